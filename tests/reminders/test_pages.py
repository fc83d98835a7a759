"""The pages: the outbox for managers (with resend), reminder settings, and a person's choice."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.conftest import normalise_whitespace
from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Notification, NotificationStatus
from tracker.models.notification import NotificationPreference, ReminderFrequency, ReminderPolicy, SchedulerRun
from tracker.services.reminders.policy import Policy, policy_for


def make_notification(
    organisation,
    status: NotificationStatus,
    recipient: str,
    error: str | None = None,
    subject: str = "June 2025 inspection, recommendation 3 for Lewisham YOS is due on 30 June 2026",
) -> Notification:
    now = datetime(2026, 6, 23, 6, tzinfo=UTC)
    notification = Notification(
        key=f"reminder:test:{recipient}:{status.value}",
        organisation_id=organisation.id,
        kind="before_7",
        target_date=date(2026, 6, 23),
        recipient=recipient,
        subject=subject,
        body_text="text",
        body_html="<p>html</p>",
        status=status,
        attempts=0 if status is NotificationStatus.PENDING and not error else 1,
        next_attempt_at=now,
        last_attempt_at=now if error or status is not NotificationStatus.PENDING else None,
        last_error=error,
        created_at=now,
        sent_at=now if status is NotificationStatus.SENT else None,
    )
    db.session.add(notification)
    db.session.flush()
    return notification


@pytest.fixture
def outbox(app):
    organisation = make_organisation("Lewisham YOS", slug="lewisham")
    manager = make_user(organisation, AccessLevel.MANAGER)
    sent = make_notification(organisation, NotificationStatus.SENT, "sent@lewisham.example")
    failed = make_notification(
        organisation,
        NotificationStatus.FAILED,
        "gone@lewisham.example",
        error="Recipient refused: {'gone@lewisham.example': (550, b'No such user here')}",
    )
    pending = make_notification(
        organisation,
        NotificationStatus.PENDING,
        "later@lewisham.example",
        error="Could not reach the mail server: [Errno 111] Connection refused",
    )
    db.session.add(
        SchedulerRun(
            job_id="send-due-reminders",
            last_succeeded_at=datetime(2026, 6, 23, 6, tzinfo=UTC),
            last_outcome="Queued 3, sent 1, failed 1, skipped 0",
            last_run_by="worker-1 pid 42",
        )
    )
    db.session.commit()
    return organisation, manager, sent, failed, pending


def table_rows(page, heading_id: str) -> list[list[str]]:
    """The cells of the table under the heading, or [] if the section has no table."""
    for sibling in page.find(id=heading_id).find_next_siblings():
        if sibling.name == "h2":
            return []
        if sibling.name == "table":
            return [
                [normalise_whitespace(cell.get_text()) for cell in row.select("td")]
                for row in sibling.select("tbody tr")
            ]
    return []


def test_the_outbox_page_lists_pending_sent_and_failed_emails_with_their_errors(client_request, outbox):
    organisation, manager, sent, failed, pending = outbox
    client_request.login(manager)
    page = client_request.get("notifications.outbox", slug=organisation.slug)
    assert normalise_whitespace(page.title.text) == "Emails – Lewisham YOS – Inspection recommendation tracker"
    assert normalise_whitespace(page.find(id="failed").text) == "Failed (1)"
    (failed_row,) = table_rows(page, "failed")
    assert failed_row[:2] == ["gone@lewisham.example", failed.subject]
    assert "550" in failed_row[4] and "No such user here" in failed_row[4]
    (pending_row,) = table_rows(page, "pending")
    assert pending_row[0] == "later@lewisham.example" and "Connection refused" in pending_row[4]
    (sent_row,) = table_rows(page, "sent")
    assert sent_row[0] == "sent@lewisham.example" and sent_row[2] == "23 June 2026 at 7:00am"
    (run_row,) = table_rows(page, "scheduler")
    assert run_row[:3] == ["send-due-reminders", "23 June 2026 at 7:00am", "Queued 3, sent 1, failed 1, skipped 0"]
    assert table_rows(page, "cancelled") == []
    resend = page.select_one(f"form[action$='/emails/{failed.id}/resend']")
    assert resend["method"] == "post" and resend.select_one("input[name=csrf_token]")["value"]
    assert page.select_one(f"form[action$='/emails/{pending.id}/resend']") is None  # already waiting


def test_the_outbox_lists_reminders_that_were_no_longer_needed(client_request, outbox):
    organisation, manager, *_ = outbox
    make_notification(
        organisation,
        NotificationStatus.CANCELLED,
        "left@lewisham.example",
        error="Not needed: the recipient no longer holds the role.",
    )
    db.session.commit()
    client_request.login(manager)
    page = client_request.get("notifications.outbox", slug=organisation.slug)
    (row,) = table_rows(page, "cancelled")
    assert row[0] == "left@lewisham.example" and row[2] == "Not needed: the recipient no longer holds the role."
    assert row[3] == "Send anyway"


def test_the_outbox_warns_when_reminders_have_never_run(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(manager)
    page = client_request.get("notifications.outbox", slug=organisation.slug)
    assert "Reminders have never run successfully" in page.select_one(".govuk-warning-text").text


def test_resend_is_a_post_with_csrf_and_is_audited(client_request, outbox):
    organisation, manager, _, failed, _ = outbox
    client_request.login(manager)
    page = client_request.post(
        "notifications.resend", slug=organisation.slug, notification_id=failed.id, _follow=True, _expected_status=200
    )
    assert "The email to gone@lewisham.example will be sent again" in page.select_one(".govuk-notification-banner").text
    db.session.refresh(failed)
    assert (failed.status, failed.attempts) == (NotificationStatus.PENDING, 0)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "notification.resend_requested"))
    assert event.actor_id == manager.id and event.subject_id == failed.id and event.before["status"] == "failed"

    # Without the CSRF token nothing happens.
    failed.status = NotificationStatus.FAILED
    db.session.commit()
    response = client_request.client.post(
        client_request.url("notifications.resend", slug=organisation.slug, notification_id=failed.id)
    )
    assert response.status_code == 400
    db.session.refresh(failed)
    assert failed.status is NotificationStatus.FAILED


@pytest.mark.parametrize("access", [AccessLevel.OWNER, AccessLevel.BOARD])
def test_only_managers_and_admins_see_the_outbox(client_request, outbox, access):
    organisation, _, _, failed, _ = outbox
    user = make_user(organisation, access)
    db.session.commit()
    client_request.login(user)
    client_request.get("notifications.outbox", slug=organisation.slug, _expected_status=403)
    client_request.get("notifications.policy", slug=organisation.slug, _expected_status=403)
    client_request.post("notifications.resend", slug=organisation.slug, notification_id=failed.id, _expected_status=403)


def test_another_organisations_emails_are_not_found(client_request, outbox):
    organisation, _, _, failed, _ = outbox
    other = make_organisation("Other YOS")
    other_manager = make_user(other, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(other_manager)
    client_request.get("notifications.outbox", slug=organisation.slug, _expected_status=404)
    # Their own slug with our email's id: still not found, and not resent.
    client_request.post("notifications.resend", slug=other.slug, notification_id=failed.id, _expected_status=404)
    db.session.refresh(failed)
    assert failed.status is NotificationStatus.FAILED


def test_a_person_chooses_a_weekly_digest(client_request, app):
    organisation = make_organisation()
    owner = make_user(organisation, AccessLevel.OWNER)
    db.session.commit()
    client_request.login(owner)
    page = client_request.get("notifications.settings")
    assert normalise_whitespace(page.title.text).startswith("Reminder emails – ")
    assert page.select_one("input[name=frequency][value=each]").has_attr("checked")
    client_request.post(
        "notifications.settings",
        data={"frequency": "weekly_digest", "digest_weekday": "2"},
        _expected_redirect=client_request.url("notifications.settings"),
    )
    preference = db.session.scalar(select(NotificationPreference).filter_by(user_id=owner.id))
    assert (preference.frequency, preference.digest_weekday) == (ReminderFrequency.WEEKLY_DIGEST, 2)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "notification_preference.changed"))
    assert event.actor_id == owner.id and event.after["frequency"] == "weekly_digest"
    page = client_request.get("notifications.settings")
    assert page.select_one("input[name=frequency][value=weekly_digest]").has_attr("checked")
    assert page.select_one("select[name=digest_weekday] option[selected]").text == "Wednesday"

    page = client_request.post("notifications.settings", data={"frequency": "hourly"}, _expected_status=400)
    assert page.select_one(".govuk-error-summary")
    assert normalise_whitespace(page.title.text).startswith("Error: ")


def test_settings_need_sign_in(client_request, app):
    response = client_request.client.get(client_request.url("notifications.settings"))
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_manager_changes_the_organisations_reminder_policy(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(manager)
    page = client_request.get("notifications.policy", slug=organisation.slug)
    assert page.select_one("input[name=days_before]")["value"] == "90, 30, 14, 7, 1"
    client_request.post(
        "notifications.policy",
        slug=organisation.slug,
        data={
            "days_before": "60, 14,7",
            "remind_on_due_day": "no",
            "overdue_every_days": "14",
            "escalate_after_days_overdue": "0",
            "nudge_after_days_without_update": "30",
        },
    )
    assert policy_for(organisation) == Policy(
        days_before=(60, 14, 7),
        remind_on_due_day=False,
        overdue_every_days=14,
        escalate_after_days_overdue=0,
        nudge_after_days_without_update=30,
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "reminder_policy.changed"))
    assert event.before["days_before"] == [90, 30, 14, 7, 1] and event.after["days_before"] == [60, 14, 7]

    page = client_request.post(
        "notifications.policy",
        slug=organisation.slug,
        _expected_status=400,
        data={
            "days_before": "ninety",
            "remind_on_due_day": "yes",
            "overdue_every_days": "-1",
            "escalate_after_days_overdue": "28",
            "nudge_after_days_without_update": "60",
        },
    )
    errors = normalise_whitespace(page.select_one(".govuk-error-summary").text)
    assert "Enter whole numbers of days separated by commas" in errors and "from 0 to 366" in errors
    assert db.session.scalar(select(ReminderPolicy)).days_before == [60, 14, 7]
