"""The outbox: nothing lost when the mail server is down, retries back off, failures are kept."""

import json
import threading
import uuid
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import time_machine
from sqlalchemy import select

from tests.conftest import _free_port
from tests.factories import make_action, make_organisation, make_role, make_user
from tests.reminders.conftest import received_per_notification
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Notification, NotificationStatus
from tracker.services import ServiceError, outbox
from tracker.services.reminders.run import deliver_outbox, send_reminders

DUE = date(2026, 6, 30)
RUN_DAY = date(2026, 6, 23)  # 7 days before: one reminder per action


@pytest.fixture
def five_reminders(app):
    organisation = make_organisation("Lewisham YOS")
    roles = [make_role(organisation, f"Role {n}", holder=f"owner{n}@lewisham.example") for n in range(5)]
    for number, role in enumerate(roles, start=1):
        make_action(organisation, owners=[role], due_on=DUE, number=str(number))
    db.session.commit()
    return organisation


@pytest.fixture
def clock():
    """Move time explicitly: `clock("2026-06-23 06:00")`."""
    traveller = time_machine.travel(datetime(2026, 6, 23, 6, tzinfo=UTC), tick=False)
    coordinates = traveller.start()

    def move(moment: str) -> None:
        coordinates.move_to(datetime.fromisoformat(moment).replace(tzinfo=UTC))

    yield move
    traveller.stop()


def statuses() -> list[tuple[NotificationStatus, int]]:
    return [(n.status, n.attempts) for n in db.session.scalars(select(Notification).order_by(Notification.id))]


def test_mail_server_down_for_a_run_and_back_for_the_next_loses_and_repeats_nothing(
    app, gated_smtp, five_reminders, clock
):
    closed_port = _free_port()  # nothing listens there: connection refused
    app.config["MAIL_PORT"] = closed_port
    first = send_reminders(RUN_DAY)
    # All five are in the outbox; the first try found the server down, so the rest were not tried.
    assert (first.queued, first.sent, first.failed, first.retrying) == (5, 0, 0, 1)
    assert statuses() == [(NotificationStatus.PENDING, 1)] + [(NotificationStatus.PENDING, 0)] * 4
    failed_once = db.session.scalar(select(Notification).order_by(Notification.id))
    assert "Could not reach the mail server" in failed_once.last_error
    assert failed_once.next_attempt_at == datetime(2026, 6, 23, 6, 5, tzinfo=UTC)

    smtp = gated_smtp()  # the server is back
    clock("2026-06-24 06:00")
    second = send_reminders(date(2026, 6, 24))
    assert (second.queued, second.sent, second.failed, second.skipped) == (0, 5, 0, 5)
    assert sorted(received_per_notification(smtp).values()) == [1] * 5
    assert {message["To"] for _, message in smtp.messages} == {f"owner{n}@lewisham.example" for n in range(5)}
    third = send_reminders(date(2026, 6, 24))
    assert (third.queued, third.sent) == (0, 0) and len(smtp.messages) == 5


def test_the_retry_waits_double_and_the_email_fails_for_good_after_the_last_try(app, gated_smtp, clock):
    organisation = make_organisation()
    make_action(organisation, owners=[make_role(organisation, holder="full@example.org")], due_on=DUE)
    db.session.commit()
    gated_smtp(refuse={"full@example.org": "452 Mailbox full, try later"})
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    try:
        assert send_reminders(RUN_DAY).retrying == 1
        notification = db.session.scalar(select(Notification))
        assert notification.next_attempt_at == datetime(2026, 6, 23, 6, 5, tzinfo=UTC)
        clock("2026-06-23 06:04")
        assert deliver_outbox().retrying == 0  # not yet
        clock("2026-06-23 06:05")
        assert deliver_outbox().retrying == 1
        db.session.refresh(notification)
        assert notification.next_attempt_at == datetime(2026, 6, 23, 6, 15, tzinfo=UTC)  # 10 minutes
        clock("2026-06-23 06:15")
        assert deliver_outbox().failed == 1
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 10
    db.session.refresh(notification)
    assert (notification.status, notification.attempts) == (NotificationStatus.FAILED, 3)
    assert "452" in notification.last_error and "Mailbox full" in notification.last_error


def test_a_refused_address_fails_at_once_is_audited_and_the_others_still_go(app, gated_smtp, five_reminders, clock):
    smtp = gated_smtp(refuse={"owner2@lewisham.example": "550 No such user here"})
    result = send_reminders(RUN_DAY)
    assert (result.sent, result.failed) == (4, 1)
    failed = db.session.scalar(select(Notification).where(Notification.status == NotificationStatus.FAILED))
    assert failed.recipient == "owner2@lewisham.example" and failed.attempts == 1
    assert "550" in failed.last_error and "No such user" in failed.last_error
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "notification.failed"))
    assert event.subject_id == failed.id and event.organisation_id == five_reminders.id
    assert "No such user" in event.after["error"]
    assert len(smtp.messages) == 4


def test_resend_is_explicit_audited_and_sends_once_more(app, gated_smtp, five_reminders, clock):
    smtp = gated_smtp(refuse={"owner2@lewisham.example": "550 No such user here"})
    send_reminders(RUN_DAY)
    failed = db.session.scalar(select(Notification).where(Notification.status == NotificationStatus.FAILED))
    manager = make_user(five_reminders, AccessLevel.MANAGER)
    smtp.refuse.clear()  # the mailbox was set up
    outbox.resend(failed, actor=manager)
    db.session.commit()
    with pytest.raises(ServiceError, match="already waiting"):
        outbox.resend(failed, actor=manager)  # a second click does not queue it twice
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "notification.resend_requested"))
    assert event.actor_id == manager.id and event.before["status"] == "failed"
    assert event.before["last_error"].startswith("Recipient refused")
    assert deliver_outbox().sent == 1
    assert received_per_notification(smtp)[failed.id] == 1


def test_the_message_id_names_the_outbox_row_and_is_the_same_on_every_try(app, gated_smtp, five_reminders, clock):
    smtp = gated_smtp()
    send_reminders(RUN_DAY)
    notification = db.session.scalar(select(Notification).order_by(Notification.id))
    reference = outbox.reference_for(notification)
    # The sender is tracker@localhost, so the domain comes from BASE_URL, never "localhost".
    assert smtp.messages[0][1]["Message-ID"] == f"<{reference}@127.0.0.1>"
    assert notification.provider_reference == f"<{reference}@127.0.0.1>"
    outbox.resend(notification, actor="test")
    db.session.commit()
    deliver_outbox()
    assert smtp.messages[-1][1]["Message-ID"] == smtp.messages[0][1]["Message-ID"]


def test_after_a_long_outage_only_the_latest_reminder_goes_not_a_burst_of_stale_ones(
    app, gated_smtp, five_reminders, clock
):
    app.config["MAIL_PORT"] = _free_port()  # down from the 7-day reminder...
    assert send_reminders(RUN_DAY).queued == 5
    smtp = gated_smtp()  # ...until the day before the deadline
    clock("2026-06-29 06:00")
    result = send_reminders(date(2026, 6, 29))
    assert (result.queued, result.sent, result.cancelled) == (5, 5, 5)
    assert {
        db.session.get(Notification, notification_id).kind for notification_id in received_per_notification(smtp)
    } == {"before_1"}
    stale = db.session.scalars(select(Notification).where(Notification.kind == "before_7")).all()
    assert {(n.status, n.last_error) for n in stale} == {
        (NotificationStatus.CANCELLED, "Not needed: a later reminder replaced it, or the deadline changed.")
    }


def test_a_reminder_waiting_for_the_mail_server_is_not_sent_once_its_action_is_closed(
    app, gated_smtp, five_reminders, clock
):
    from tracker.models import Action, Status

    app.config["MAIL_PORT"] = _free_port()
    send_reminders(RUN_DAY)
    first_action = db.session.scalar(select(Action).order_by(Action.id))
    first_action.status = Status.COMPLETED
    db.session.commit()
    smtp = gated_smtp()
    clock("2026-06-24 06:00")
    result = send_reminders(date(2026, 6, 24))
    assert (result.sent, result.cancelled) == (4, 1)
    cancelled = db.session.scalar(select(Notification).where(Notification.status == NotificationStatus.CANCELLED))
    assert cancelled.action_id == first_action.id and cancelled.attempts == 1  # the one real try
    assert cancelled.last_error == "Not needed: the action was completed before this could be sent."
    assert len(smtp.messages) == 4
    with pytest.raises(ServiceError, match="completed"):
        outbox.resend(cancelled, actor="test")


def test_a_reminder_waiting_for_a_holder_who_has_gone_goes_to_the_new_holder_instead(
    app, gated_smtp, five_reminders, clock
):
    from tracker.services.people import organisations

    app.config["MAIL_PORT"] = _free_port()
    send_reminders(RUN_DAY)
    organisations.set_role_holder(five_reminders, "Role 0", "successor@lewisham.example", actor="test")
    db.session.commit()
    smtp = gated_smtp()
    clock("2026-06-24 06:00")
    send_reminders(date(2026, 6, 24))
    recipients = sorted(message["To"] for _, message in smtp.messages)
    assert recipients == sorted(["successor@lewisham.example"] + [f"owner{n}@lewisham.example" for n in range(1, 5)])
    gone = db.session.scalar(select(Notification).where(Notification.recipient == "owner0@lewisham.example"))
    assert (gone.status, gone.last_error) == (
        NotificationStatus.CANCELLED,
        "Not needed: the recipient no longer holds the role.",
    )


def test_a_manager_can_resend_a_reminder_that_a_later_one_replaced(app, gated_smtp, five_reminders, clock):
    smtp = gated_smtp()
    send_reminders(RUN_DAY)
    clock("2026-06-29 06:00")
    send_reminders(date(2026, 6, 29))
    old = db.session.scalar(select(Notification).where(Notification.kind == "before_7").order_by(Notification.id))
    outbox.resend(old, actor="test")
    db.session.commit()
    assert deliver_outbox().sent == 1
    assert received_per_notification(smtp)[old.id] == 2


# --- GOV.UK Notify, against a local stand-in for its API -------------------------------------------


SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())


class FakeNotify(ThreadingHTTPServer):
    """Answers POST /v2/notifications/email as Notify does, checking the JWT like Notify."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), self.Handler)
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []  # queued answers; 201 when empty

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            server: FakeNotify = self.server
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            token = self.headers["Authorization"].removeprefix("Bearer ")
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            server.requests.append({"path": self.path, "body": body, "iss": claims["iss"]})
            status, answer = (
                server.answers.pop(0)
                if server.answers
                else (201, {"id": str(uuid.uuid4()), "reference": body.get("reference"), "content": {}})
            )
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)


@pytest.fixture
def fake_notify(app, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = FakeNotify()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    template_id = str(uuid.uuid4())
    saved = {
        key: app.config.get(key) for key in ("EMAIL_BACKEND", "NOTIFY_API_KEY", "NOTIFY_TEMPLATE_ID", "NOTIFY_BASE_URL")
    }
    app.config.update(
        EMAIL_BACKEND="notify",
        NOTIFY_API_KEY=f"tracker_test-{SERVICE_ID}-{SECRET}",
        NOTIFY_TEMPLATE_ID=template_id,
        NOTIFY_BASE_URL=f"http://127.0.0.1:{server.server_port}",
    )
    server.template_id = template_id
    yield server
    app.config.update(saved)
    server.shutdown()
    server.server_close()


def test_the_notify_backend_sends_through_the_notify_api(app, fake_notify, five_reminders, clock):
    result = send_reminders(RUN_DAY)
    assert (result.queued, result.sent) == (5, 5)
    request = fake_notify.requests[0]
    assert request["path"] == "/v2/notifications/email" and request["iss"] == SERVICE_ID
    notification = db.session.scalar(select(Notification).order_by(Notification.id))
    assert request["body"] == {
        "email_address": notification.recipient,
        "template_id": fake_notify.template_id,
        "personalisation": {"subject": notification.subject, "body": notification.body_text},
        "reference": outbox.reference_for(notification),
    }
    assert notification.status is NotificationStatus.SENT and notification.provider_reference
    assert send_reminders(RUN_DAY).sent == 0 and len(fake_notify.requests) == 5


def test_notify_errors_are_retried_or_failed_as_notify_says(app, fake_notify, five_reminders, clock):
    fake_notify.answers = [
        (400, {"status_code": 400, "errors": [{"error": "BadRequestError", "message": "Not a valid email address"}]}),
        (500, {"status_code": 500, "errors": [{"error": "Exception", "message": "Internal server error"}]}),
    ]
    result = send_reminders(RUN_DAY)
    # The 400 fails for good; the 500 says Notify is in trouble, so the rest wait for the next run.
    assert (result.sent, result.failed, result.retrying) == (0, 1, 1)
    first, second = db.session.scalars(select(Notification).order_by(Notification.id).limit(2))
    assert first.status is NotificationStatus.FAILED
    assert first.last_error == "GOV.UK Notify 400: Not a valid email address"
    assert second.status is NotificationStatus.PENDING and "GOV.UK Notify 500" in second.last_error
    clock("2026-06-23 07:00")
    assert deliver_outbox().sent == 4


def test_notify_unreachable_is_a_retry_not_a_failure(app, fake_notify, five_reminders, clock):
    app.config["NOTIFY_BASE_URL"] = f"http://127.0.0.1:{_free_port()}"
    result = send_reminders(RUN_DAY)
    assert (result.sent, result.failed, result.retrying) == (0, 0, 1)
    assert "GOV.UK Notify 503" in db.session.scalar(select(Notification).order_by(Notification.id)).last_error


def test_a_limited_sweep_sends_that_many_and_leaves_the_rest_pending(app, smtp_server, five_reminders, clock):
    from tracker.services.reminders.run import queue_reminders

    assert queue_reminders(RUN_DAY).queued == 5
    db.session.commit()
    first = deliver_outbox(RUN_DAY, limit=2)
    assert first.sent == 2 and len(smtp_server.messages) == 2
    assert sorted(status for status, _ in statuses()).count(NotificationStatus.PENDING) == 3
    rest = deliver_outbox(RUN_DAY)
    assert rest.sent == 3 and len(smtp_server.messages) == 5
