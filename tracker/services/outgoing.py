"""Emails a person is waiting for (invitations, password resets, partner links).

They go through the outbox like every other email, so nothing is lost when the mail server
is down, but they do not wait for the scheduler's next sweep: the view commits, then calls
`send_now` with the ids `queue_email` returned. A send that fails for a reason that may pass
leaves the row pending with a back-off, and the scheduler's outbox sweep retries it.
"""

from __future__ import annotations

from flask import Response, current_app, render_template
from sqlalchemy import update

from tracker.extensions import db
from tracker.models import Notification, NotificationStatus, utc_now
from tracker.services.outbox import DeliveryResult, _record_outcome, _send, queue


def queue_email(
    *, key: str, kind: str, recipient: str, subject: str, template: str, organisation_id: int | None, **context
) -> int | None:
    """Render `emails/<template>.txt` and `.html` and put the email in the outbox (not sent yet).

    `organisation_id` decides whose outbox shows it: None for emails carrying a secret that the
    organisation's managers must not read (password resets).
    """
    context = {"subject": subject, "service_name": current_app.config["SERVICE_NAME"], **context}
    ids = queue(
        [
            {
                "key": key,
                "kind": kind,
                "recipient": recipient,
                "subject": subject,
                "organisation_id": organisation_id,
                "action_id": None,
                "target_date": None,
                "body_text": render_template(f"emails/{template}.txt", **context),
                "body_html": render_template(f"emails/{template}.html", **context),
            }
        ]
    )
    return ids.get(key)


def send_now(notification_ids: list[int | None], *, actor="web") -> DeliveryResult:
    """Send these outbox rows at once, each in its own transaction, after the caller committed."""
    db.session.commit()
    result = DeliveryResult()
    for notification_id in notification_ids:
        if notification_id is None:
            continue
        claimed = db.session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == NotificationStatus.PENDING)
            .values(attempts=Notification.attempts + 1, last_attempt_at=utc_now())
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # the scheduler took it first
            db.session.rollback()
            continue
        notification = db.session.get(Notification, notification_id, populate_existing=True)
        error = _send(notification)
        _record_outcome(notification, error, result, actor=actor)
        db.session.commit()
    return result


def send_after_response(response: Response, notification_ids: list[int | None]) -> Response:
    """Send these outbox rows once `response` has gone out (when the server closes it), so a
    request that queued an email answers in the same time as one that did not: the reply to
    "forgot my password" then says nothing about whether the address has an account."""
    ids = [notification_id for notification_id in notification_ids if notification_id is not None]
    if not ids:
        return response
    app = current_app._get_current_object()

    def send() -> None:
        with app.app_context():
            send_now(ids)

    response.call_on_close(send)
    return response


# --- Sent straight after the commit ------------------------------------------------------------

AFTER_COMMIT = "tracker_send_after_commit"


def send_after_commit(notification_id: int | None) -> None:
    """Mark an email queued in this transaction to be sent as soon as the transaction commits.

    For what a person must act on today (a decision on their request, a send-back, a welcome
    to a role). The web request sends them once the view has committed (`send_registered`,
    run after each request); a command calls `send_registered` itself after its commit. If the
    transaction is rolled back instead, the row never existed and nothing goes.
    """
    if notification_id is not None:
        db.session.info.setdefault(AFTER_COMMIT, []).append(notification_id)


def send_registered(*, actor="web") -> DeliveryResult | None:
    """Send the emails `send_after_commit` marked, after discarding anything left uncommitted."""
    notification_ids = db.session.info.pop(AFTER_COMMIT, None)
    if not notification_ids:
        return None
    db.session.rollback()  # the request or command has committed what it meant to keep
    return send_now(notification_ids, actor=actor)


def init_app(app) -> None:
    """Send what a request marked with `send_after_commit`, once its view has committed."""

    @app.after_request
    def send_marked_emails(response):
        send_registered()
        return response
