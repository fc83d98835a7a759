"""Reminder runs against a real SMTP server on loopback, with time moved explicitly."""

import importlib.util
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role, make_user
from tests.reminders.conftest import received
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Notification, NotificationStatus, Status
from tracker.models.notification import ReminderFrequency
from tracker.services.people import organisations
from tracker.services.reminders import preferences
from tracker.services.reminders.policy import Policy, save_policy
from tracker.services.reminders.run import send_reminders

DUE = date(2026, 6, 30)


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


class Runner:
    """Runs reminders as the scheduler would, with the clock set to 07:00 in London that day."""

    def __init__(self, smtp) -> None:
        self.smtp = smtp
        self.traveller = None
        self.coordinates = None

    def run(self, day: date, *, twice: bool = False):
        """One run on `day`; with `twice`, a day that sent anything is run again and must send nothing."""
        moment = datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)
        if self.traveller is None:
            self.traveller = time_machine.travel(moment, tick=False)
            self.coordinates = self.traveller.start()
        else:
            self.coordinates.move_to(moment)
        start = len(self.smtp.messages)
        result = send_reminders(day)
        messages = received(self.smtp, start)
        if twice and messages:
            again = send_reminders(day)
            assert (again.queued, again.sent, again.failed) == (0, 0, 0), f"a rerun on {day} sent something"
        return result, messages

    def stop(self) -> None:
        if self.traveller is not None:
            self.traveller.stop()


@pytest.fixture
def runner(smtp_server):
    runner = Runner(smtp_server)
    yield runner
    runner.stop()


@pytest.fixture
def lewisham(app):
    organisation = make_organisation("Lewisham YOS")
    head = make_role(organisation, "YOS Head of Service", holder="head@lewisham.example")
    chair = make_role(organisation, "Chair of the YOS Management Board", holder="chair@lewisham.example")
    chair.is_board_chair = True
    action = make_action(organisation, owners=[head], due_on=DUE, number="3")
    db.session.commit()
    return organisation, head, chair, action


def test_each_reminder_of_the_policy_is_sent_once_on_its_day_and_a_rerun_sends_nothing(runner, lewisham):
    sent = []
    for day in days(date(2026, 3, 25), date(2026, 8, 5)):
        _, messages = runner.run(day, twice=True)
        sent += [(day, recipient, kind) for recipient, kind, _ in messages]
    head, chair = "head@lewisham.example", "chair@lewisham.example"
    assert sent == [
        (date(2026, 4, 1), head, "before_90"),
        (date(2026, 5, 31), head, "before_30"),
        (date(2026, 6, 16), head, "before_14"),
        (date(2026, 6, 23), head, "before_7"),
        (date(2026, 6, 29), head, "before_1"),
        (date(2026, 6, 30), head, "due_today"),
        (date(2026, 7, 7), head, "overdue"),
        (date(2026, 7, 14), head, "overdue"),
        (date(2026, 7, 21), head, "overdue"),
        (date(2026, 7, 28), head, "overdue"),
        (date(2026, 7, 28), chair, "escalation"),
        (date(2026, 8, 4), head, "overdue"),
    ]


def test_subjects_say_what_is_due_and_when(runner, lewisham):
    subjects = {}
    for day in (date(2026, 6, 23), date(2026, 6, 30), date(2026, 7, 7), date(2026, 7, 28)):
        for _recipient, kind, subject in runner.run(day)[1]:
            subjects[kind] = subject
    assert subjects == {
        "before_7": "June 2025 inspection, recommendation 3 for Lewisham YOS is due on 30 June 2026",
        "due_today": "June 2025 inspection, recommendation 3 for Lewisham YOS is due today, 30 June 2026",
        "overdue": "June 2025 inspection, recommendation 3 for Lewisham YOS was due on 30 June 2026"
        " and is 28 days overdue",
        "escalation": "Escalation: June 2025 inspection, recommendation 3 for Lewisham YOS was due on 30 June 2026"
        " and is 28 days overdue",
    }


def test_the_email_says_why_it_came_and_where_to_change_settings(runner, app):
    organisation = make_organisation("Lewisham YOS")
    user = make_user(organisation, AccessLevel.OWNER, email="head@lewisham.example", name="Hana Head")
    head = make_role(organisation, "YOS Head of Service", holder=user)
    partner = make_role(organisation, "Police lead", holder="inspector@police.example")
    action = make_action(
        organisation, owners=[head, partner], due_on=DUE, number="3", text="Make sure every case has a plan"
    )
    db.session.commit()
    runner.run(date(2026, 6, 23))
    by_recipient = {message["To"]: message for _, message in runner.smtp.messages}

    email = by_recipient["head@lewisham.example"]
    text = email.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = email.get_body(("html",)).get_content()
    assert text.startswith(
        "June 2025 inspection, recommendation 3 for Lewisham YOS is due on 30 June 2026.\n\nDear Hana Head,"
    )
    assert "The deadline is in 7 days." in text and '"Make sure every case has a plan"' in text
    assert f"See the action and its history: http://127.0.0.1:5000/actions/{action.id}" in text
    assert (
        "Why you get this email: You hold the role \u201cYOS Head of Service\u201d in Lewisham YOS, "
        "which owns this action."
    ) in text
    assert (
        "Change how you get reminders (each one, or a weekly summary): http://127.0.0.1:5000/account/notifications"
    ) in text
    assert f'href="http://127.0.0.1:5000/actions/{action.id}"' in html and "/partner/" not in text
    # The links are real routes of the app.
    urls = app.url_map.bind("127.0.0.1:5000")
    assert urls.match(f"/actions/{action.id}")[0] == "actions.show"
    assert urls.match("/account/notifications")[0] == "notifications.settings"

    partner_text = by_recipient["inspector@police.example"].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "account/notifications" not in partner_text
    assert "If you no longer hold this role, tell Lewisham YOS so they can pass it on." in partner_text
    if importlib.util.find_spec("tracker.services.people.partner_links") is not None:
        # Partners without an account get a signed link to update the action without signing in.
        assert f"Post an update (no sign-in needed): http://127.0.0.1:5000/partner/actions/{action.id}/" in partner_text
        # "See the action" must not lead a partner to a sign-in page they cannot use.
        assert f"See the action and its history: http://127.0.0.1:5000/partner/actions/{action.id}/" in partner_text
        assert f"5000/actions/{action.id}" not in partner_text
    else:
        assert "no sign-in needed" not in partner_text


def test_after_missed_days_only_the_latest_reminder_goes(runner, lewisham):
    assert [kind for _, kind, _ in runner.run(date(2026, 4, 1))[1]] == ["before_90"]
    # The scheduler was down from April to 25 June: 30, 14 and 7 days before were missed.
    result, messages = runner.run(date(2026, 6, 25))
    assert [(kind, subject) for _, kind, subject in messages] == [
        ("before_7", "June 2025 inspection, recommendation 3 for Lewisham YOS is due on 30 June 2026")
    ]
    assert (result.queued, result.sent) == (1, 1)
    # Down again until a month overdue: one overdue reminder and the escalation, nothing older.
    messages = runner.run(date(2026, 7, 30))[1]
    assert sorted((recipient, kind) for recipient, kind, _ in messages) == [
        ("chair@lewisham.example", "escalation"),
        ("head@lewisham.example", "overdue"),
    ]
    notification = db.session.scalar(select(Notification).where(Notification.kind == "overdue"))
    assert notification.target_date == date(2026, 7, 28)


def test_escalation_goes_to_whoever_holds_the_board_chair_role(runner, lewisham):
    organisation, _, chair, _ = lewisham
    organisations.set_role_holder(organisation, chair.name, "new.chair@lewisham.example", actor="test")
    db.session.commit()
    messages = runner.run(date(2026, 7, 28))[1]
    assert sorted((recipient, kind) for recipient, kind, _ in messages) == [
        ("head@lewisham.example", "overdue"),
        ("new.chair@lewisham.example", "escalation"),
    ]
    escalation = db.session.scalar(select(Notification).where(Notification.kind == "escalation"))
    assert "Chair of the YOS Management Board" in escalation.body_text
    assert "escalated to the board chair" in escalation.body_text
    assert "YOS Head of Service (head)" in escalation.body_text  # who owns it, for the chair to chase


def test_no_board_chair_means_the_escalation_is_skipped_not_lost_silently(runner, app):
    organisation = make_organisation()
    role = make_role(organisation, holder="head@example.org")
    make_action(organisation, owners=[role], due_on=DUE)
    db.session.commit()
    result, messages = runner.run(date(2026, 7, 28))
    assert [kind for _, kind, _ in messages] == ["overdue"]
    assert result.skipped == 1


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.VERIFIED, Status.WITHDRAWN])
def test_nothing_is_sent_for_closed_actions(runner, lewisham, status):
    *_, action = lewisham
    assert len(runner.run(date(2026, 6, 23))[1]) == 1
    action.status = status
    db.session.commit()
    told_board = []
    for day in (date(2026, 6, 29), date(2026, 6, 30), date(2026, 7, 7), date(2026, 7, 28), date(2026, 9, 1)):
        result, messages = runner.run(day)
        # No reminder; a completed action waits for the board's sign-off, and the board chair is
        # told that once (services/handoffs.py).
        told_board += [subject for _, _, subject in messages if "waiting for the board" in subject]
        assert [message for message in messages if "waiting for the board" not in message[2]] == []
    assert told_board == (
        ["Today from Lewisham YOS: 1 decision waiting for the board"] if status is Status.COMPLETED else []
    )


def test_a_holder_change_sends_the_next_reminder_to_the_new_holder(runner, lewisham):
    organisation, head, _, action = lewisham
    assert [r for r, _, _ in runner.run(date(2026, 6, 23))[1]] == ["head@lewisham.example"]
    organisations.set_role_holder(organisation, head.name, "new.head@lewisham.example", actor="test")
    db.session.commit()
    # The new holder hears at once what they have taken on (the reminder that applies now)...
    assert [(r, kind) for r, kind, _ in runner.run(date(2026, 6, 24), twice=True)[1]] == [
        ("new.head@lewisham.example", "before_7")
    ]
    # ...and gets the next one; the old holder gets nothing more.
    assert [(r, kind) for r, kind, _ in runner.run(date(2026, 6, 29))[1]] == [("new.head@lewisham.example", "before_1")]
    recipients = set(
        db.session.scalars(select(Notification.recipient).where(Notification.target_date > date(2026, 6, 23)))
    )
    assert recipients == {"new.head@lewisham.example"}


def test_a_changed_deadline_changes_what_is_due_next(runner, lewisham):
    *_, action = lewisham
    assert [kind for _, kind, _ in runner.run(date(2026, 6, 23))[1]] == ["before_7"]
    action.due_on = date(2026, 9, 30)  # the board approved more time
    db.session.commit()
    assert runner.run(date(2026, 6, 29))[1] == []  # no "1 day before" for the old date
    assert runner.run(date(2026, 7, 1))[1] == []  # and nothing overdue
    assert [(kind, subject) for _, kind, subject in runner.run(date(2026, 7, 2))[1]] == [
        ("before_90", "June 2025 inspection, recommendation 3 for Lewisham YOS is due on 30 September 2026")
    ]
    notification = db.session.scalar(select(Notification).where(Notification.kind == "before_90"))
    assert "(originally 30 June 2026)" in notification.body_text


def test_a_nudge_when_an_action_in_progress_has_no_update_for_60_days(runner, lewisham):
    *_, action = lewisham
    action.due_on = date(2026, 12, 31)
    action.status = Status.IN_PROGRESS
    action.last_update_at = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    db.session.commit()
    assert runner.run(date(2026, 4, 29))[1] == []
    assert [(kind, subject) for _, kind, subject in runner.run(date(2026, 4, 30), twice=True)[1]] == [
        (
            "nudge",
            "June 2025 inspection, recommendation 3 for Lewisham YOS is due on 31 December 2026: no update for 60 days",
        )
    ]
    action.last_update_at = datetime(2026, 5, 2, 10, 0, tzinfo=UTC)  # someone posted an update
    db.session.commit()
    assert runner.run(date(2026, 6, 30))[1] == []
    assert [kind for _, kind, _ in runner.run(date(2026, 7, 1))[1]] == ["nudge"]


def test_the_organisations_policy_decides(runner, lewisham):
    organisation, *_ = lewisham
    save_policy(
        organisation,
        Policy(
            days_before=(10,),
            remind_on_due_day=False,
            overdue_every_days=0,
            escalate_after_days_overdue=3,
            nudge_after_days_without_update=0,
        ),
        actor="test",
    )
    db.session.commit()
    sent = []
    for day in days(date(2026, 6, 1), date(2026, 7, 31)):
        sent += [(day, kind) for _, kind, _ in runner.run(day)[1]]
    assert sent == [(date(2026, 6, 20), "before_10"), (date(2026, 7, 3), "escalation")]


def test_a_weekly_digest_replaces_single_emails_for_people_who_choose_it(runner, app):
    organisation = make_organisation("Lewisham YOS")
    digest_person = make_user(organisation, AccessLevel.OWNER, email="digest@lewisham.example", name="Dee Gest")
    single_person = make_user(organisation, AccessLevel.OWNER, email="single@lewisham.example")
    head = make_role(organisation, "YOS Head of Service", holder=digest_person)
    police = make_role(organisation, "Police lead", holder=single_person)
    make_action(organisation, owners=[head], due_on=date(2026, 6, 15), number="1")  # overdue
    make_action(organisation, owners=[head, police], due_on=date(2026, 6, 30), number="2")
    preferences.save_preference(
        digest_person, frequency=ReminderFrequency.WEEKLY_DIGEST, digest_weekday=0, actor=digest_person
    )
    db.session.commit()

    monday = date(2026, 6, 22)
    messages = runner.run(monday, twice=True)[1]
    assert sorted((recipient, kind) for recipient, kind, _ in messages) == [
        ("digest@lewisham.example", "digest"),
        ("single@lewisham.example", "before_14"),
    ]
    digest = db.session.scalar(select(Notification).where(Notification.kind == "digest"))
    assert digest.subject == "Your weekly summary for Lewisham YOS: 1 overdue, 1 due, the next on 30 June 2026"
    assert digest.body_text.startswith(digest.subject + ".")
    assert (
        "June 2025 inspection, recommendation 1 for Lewisham YOS was due on 15 June 2026 and is 7 days overdue"
        in digest.body_text
    )
    assert "June 2025 inspection, recommendation 2 for Lewisham YOS is due on 30 June 2026" in digest.body_text
    assert "http://127.0.0.1:5000/account/notifications" in digest.body_text

    for day in days(monday + timedelta(days=1), monday + timedelta(days=6)):
        assert all(recipient != "digest@lewisham.example" for recipient, _, _ in runner.run(day)[1])
    assert [
        kind
        for recipient, kind, _ in runner.run(monday + timedelta(days=7))[1]
        if recipient == "digest@lewisham.example"
    ] == ["digest"]


def test_a_run_records_what_it_queued_in_the_audit_log(runner, lewisham):
    organisation, *_ = lewisham
    runner.run(date(2026, 6, 23))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "reminders.queued"))
    notification = db.session.scalar(select(Notification))
    assert event.organisation_id == organisation.id and event.actor_label == "scheduler"
    assert event.after == {"date": "2026-06-23", "count": 1, "notification_ids": [notification.id]}
    assert notification.status is NotificationStatus.SENT


def test_dry_run_counts_and_writes_nothing(app, smtp_server, lewisham):
    result = send_reminders(date(2026, 6, 23), dry_run=True)
    assert (result.queued, result.sent, result.skipped) == (1, 0, 0)
    assert db.session.query(Notification).count() == 0 and smtp_server.messages == []
    assert db.session.query(AuditEvent).filter_by(event="reminders.queued").count() == 0
