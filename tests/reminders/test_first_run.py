"""After importing an old report: one summary per person, then the usual schedule.

A manager imports a report published two years ago: its 12 recommendations were due a year
ago. The first reminder run must not send one email per action (and one escalation per
action to the chair): each person gets one summary of what they now own and what is already
overdue. Read from a real SMTP server on loopback, as a mail client would.
"""

from datetime import date, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_organisation, make_user
from tests.reminders.test_runs import Runner
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Notification, Role
from tracker.models.notification import NotificationClaim, ReminderFrequency
from tracker.services.people import organisations
from tracker.services.reminders import preferences

REPORT = """# Inspection of youth offending work in Pontypridd

Published: 3 June 2024

HM Inspectorate of Probation

## Recommendations

The YOS Head of Service should:

1. make sure every case has a plan reviewed when things change
2. improve the quality of risk assessments
3. see that staff supervision is recorded
4. make sure victims are contacted promptly
5. improve the timeliness of court reports

The Chair of the YOS Management Board should ensure that:

6. the board receives performance data each quarter
7. partners attend board meetings
8. the board reviews serious incidents

South Wales Police should:

9. share intelligence with the YOS within five days
10. place an officer in the YOS
11. train custody staff about children
12. review out-of-court disposals with the YOS
"""

TODAY = date(2026, 6, 10)  # two years after publication; every deadline passed a year ago
HEAD, CHAIR, POLICE = "hana@pontypridd.example", "chair@pontypridd.example", "ffion.ŵyn@police.example"


@pytest.fixture
def runner(smtp_server):
    runner = Runner(smtp_server)
    yield runner
    runner.stop()


@pytest.fixture
def imported(app, tmp_path):
    organisation = make_organisation("Pontypridd YOS")
    head_user = make_user(organisation, AccessLevel.OWNER, email=HEAD, name="Hana Rhys")
    organisations.set_role_holder(organisation, "YOS Head of Service", head_user.email, actor="test")
    chair = organisations.set_role_holder(organisation, "Chair of the YOS Management Board", CHAIR, actor="test")
    chair.is_board_chair = True
    organisations.set_role_holder(organisation, "South Wales Police", POLICE, actor="test", name="Ffion Ŵyn")
    db.session.commit()
    source = tmp_path / "pontypridd.md"
    source.write_text(REPORT, encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["tracker", "import", str(source), "--org", organisation.slug, "--published", "2024-06-03"]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    actions = list(db.session.scalars(select(Action).where(Action.organisation_id == organisation.id)))
    assert len(actions) == 12 and all(action.due_on == date(2025, 6, 3) for action in actions)
    owners = {action.owner_roles[0].holder.email for action in actions}
    assert owners == {HEAD, CHAIR, POLICE}, "the report's owners should match the three roles"
    return organisation


def test_the_first_run_sends_one_summary_per_person_and_later_runs_follow_the_schedule(runner, imported):
    result, messages = runner.run(TODAY, twice=True)
    assert sorted(recipient for recipient, _, _ in messages) == sorted([HEAD, CHAIR, POLICE])
    assert {kind for _, kind, _ in messages} == {"summary"}
    assert result.sent == 3
    by_recipient = {message["To"]: message for _, message in runner.smtp.messages}

    head = by_recipient[HEAD]
    text = head.get_body(("plain",)).get_content()
    assert head["Subject"] == (
        "New actions from Pontypridd YOS, June 2024 inspection of youth offending work: "
        "5 actions for you, 5 already overdue"
    )
    assert "Dear Hana Rhys," in text and text.count("is 372 days overdue") == 5
    assert "June 2024 inspection of youth offending work, recommendation 5 for Pontypridd YOS" in text

    chair = by_recipient[CHAIR]
    chair_text = chair.get_body(("plain",)).get_content()
    assert chair["Subject"] == (
        "New actions from Pontypridd YOS, June 2024 inspection of youth offending work: "
        "3 actions for you, 12 already overdue, 12 escalated to you"
    )
    assert "Escalated to you as chair of the board:" in chair_text
    assert chair_text.count("Escalation: June 2024 inspection of youth offending work, recommendation") == 12
    assert "Dear" not in chair_text, "no greeting made up from the address"

    police_text = by_recipient[POLICE].get_body(("plain",)).get_content()
    assert "Dear Ffion Ŵyn," in police_text

    # The outbox still has one row per email, and every reminder it carried is claimed once.
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 3
    claims = db.session.scalar(select(func.count()).select_from(NotificationClaim))
    assert claims == 3 + 12 + 12  # each person's day, 12 overdue reminders, 12 escalations

    # Later runs: nothing until the next weekly overdue reminder, then one email each.
    sent = []
    for offset in range(1, 15):
        day = TODAY + timedelta(days=offset)
        sent += [(day, recipient, kind) for recipient, kind, _ in runner.run(day, twice=True)[1]]
    assert sorted(sent) == sorted(
        [(date(2026, 6, 16), person, "daily") for person in (HEAD, CHAIR, POLICE)]
        + [(date(2026, 6, 23), person, "daily") for person in (HEAD, CHAIR, POLICE)]
    )
    weekly = db.session.scalar(
        select(Notification)
        .where(Notification.recipient == HEAD, Notification.kind == "daily")
        .order_by(Notification.id)
    )
    assert (
        weekly.subject
        == "Today from Pontypridd YOS, June 2024 inspection of youth offending work: 5 actions for you, 5 overdue"
    )


def test_emails_carry_the_headers_mail_systems_expect(runner, imported):
    runner.run(TODAY)
    for _, message in runner.smtp.messages:
        assert parsedate_to_datetime(message["Date"]).tzinfo is not None
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["X-Auto-Response-Suppress"] == "All"
        # The sender is tracker@localhost in tests, so the domain is BASE_URL's host.
        assert message["Message-ID"].endswith("@127.0.0.1>") and "@localhost" not in message["Message-ID"]


def test_the_message_id_takes_the_senders_domain_when_it_has_one(runner, imported, app):
    app.config["MAIL_DEFAULT_SENDER"] = "reminders@tracker.pontypridd.example"
    try:
        runner.run(TODAY)
    finally:
        app.config["MAIL_DEFAULT_SENDER"] = "tracker@localhost"
    assert all(message["Message-ID"].endswith("@tracker.pontypridd.example>") for _, message in runner.smtp.messages)


def test_a_reminder_due_after_the_days_email_waits_for_tomorrow_and_is_not_lost(runner, imported):
    runner.run(TODAY)
    head_role = db.session.scalar(select(Role).where(Role.name == "YOS Head of Service"))
    late = make_action(imported, owners=[head_role], due_on=TODAY, number="13")
    db.session.commit()
    result, messages = runner.run(TODAY)
    assert messages == [] and result.queued == 0
    _, messages = runner.run(TODAY + timedelta(days=1))
    assert [(recipient, kind) for recipient, kind, _ in messages] == [(HEAD, "due_today")]
    assert db.session.scalar(select(Notification.action_id).where(Notification.kind == "due_today")) == late.id


def test_people_who_ask_for_single_emails_get_one_per_reminder(runner, imported):
    head = db.session.scalar(select(Role).where(Role.name == "YOS Head of Service")).holder.user
    preferences.save_preference(head, frequency=ReminderFrequency.SINGLE, digest_weekday=0, actor="test")
    db.session.commit()
    _, messages = runner.run(TODAY, twice=True)
    kinds = sorted((recipient, kind) for recipient, kind, _ in messages)
    assert kinds == sorted([(CHAIR, "summary"), (POLICE, "summary")] + [(HEAD, "overdue")] * 5)
