"""Emails a person is waiting for (invitations, password resets, partner links).

They go through the outbox like every other email, so nothing is lost when the mail server
is down, but they do not wait for the scheduler's next sweep: the view commits, then calls
`send_now` with the ids `queue_email` returned. A send that fails for a reason that may pass
leaves the row pending with a back-off, and the scheduler's outbox sweep retries it.
"""

from __future__ import annotations

from flask import Response, current_app, render_template
from sqlalchemy import update

from ..extensions import db
from ..models import Notification, NotificationStatus, utc_now
from .notifications import DeliveryResult, _record_outcome, _send, queue


def queue_email(*, key: str, kind: str, recipient: str, subject: str, template: str,
                organisation_id: int | None, **context) -> int | None:
    """Render `emails/<template>.txt` and `.html` and put the email in the outbox (not sent yet).

    `organisation_id` decides whose outbox shows it: None for emails carrying a secret that the
    organisation's managers must not read (password resets).
    """
    context = {"subject": subject, "service_name": current_app.config["SERVICE_NAME"], **context}
    ids = queue([{
        "key": key, "kind": kind, "recipient": recipient, "subject": subject, "organisation_id": organisation_id,
        "action_id": None, "target_date": None,
        "body_text": render_template(f"emails/{template}.txt", **context),
        "body_html": render_template(f"emails/{template}.html", **context),
    }])
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
