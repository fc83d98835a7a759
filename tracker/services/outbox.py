"""The outbox: every email is a `Notification` row first, and leaves only after it is committed.

Queueing is insert-or-ignore on the row's unique key, so the same email can never be queued
twice. Delivery takes one row at a time, sends it, records the outcome and commits, so:

- an email is marked sent only after the mail server accepted it;
- a crash or kill rolls back the row being sent, which stays pending and goes on the next run
  (the one email in flight at that moment may arrive twice; it carries the same Message-ID
  both times, so mail systems can tell);
- two senders never take the same row: on PostgreSQL the row is locked with
  SELECT ... FOR UPDATE SKIP LOCKED for as long as it is being sent, and every database
  checks a conditional UPDATE of `attempts` before sending (SQLite lets one writer at a time);
- a failure that may pass (the mail server is down) backs off and is retried; one that will
  not (the address is refused), or one that keeps failing, is marked failed and shown to
  managers, who may resend it (an audited action);
- an email that is no longer needed when its turn comes (after an outage, say: the action
  was closed meanwhile, or a later reminder replaced it) is cancelled, not sent late; the
  sender that knows what the email is about passes that rule in (reminders do).

Emails a person is waiting for (an invitation, a reset link) are sent at once after the commit
rather than at the next sweep, through the same rows (`queue_email`, `send_now`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Response, current_app, render_template
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from tracker.email import EmailError, send_email
from tracker.extensions import db
from tracker.models import Action, Organisation, utc_now
from tracker.models.notification import (
    Notification,
    NotificationStatus,
)
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor
from tracker.services.dml import insert_for, rowcount

log = logging.getLogger(__name__)

LONGEST_RETRY_WAIT = timedelta(hours=6)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0  # given up on in this run: shown to managers
    retrying: int = 0  # failed in this run for a reason that may pass; tried again later
    cancelled: int = 0  # no longer needed when their turn came; not sent
    stopped_early: str | None = None  # why the run stopped with emails still waiting, if it did


# --- Queueing --------------------------------------------------------------------------------


def queue(emails: list[dict]) -> dict[str, int]:
    """Put emails in the outbox: INSERT ... ON CONFLICT (key) DO NOTHING, as few statements
    as the database allows. Returns the new rows' ids by key; a key already in the outbox
    (queued by another run, perhaps a moment ago) is left alone and not in the result."""
    if not emails:
        return {}
    dialect = db.session.get_bind().dialect.name
    insert = insert_for(dialect)
    now = utc_now()
    rows = [
        {"status": NotificationStatus.PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now, **values}
        for values in emails
    ]
    statement = (
        insert(Notification).on_conflict_do_nothing(index_elements=["key"]).returning(Notification.key, Notification.id)
    )
    return {key: notification_id for key, notification_id in db.session.execute(statement, rows)}


def existing_keys(keys: list[str]) -> set[str]:
    """Which of `keys` are already in the outbox, whatever their status."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # keep the IN list a sensible size
        found.update(
            db.session.scalars(select(Notification.key).where(Notification.key.in_(keys[start : start + 500])))
        )
    return found


def reference_for(notification: Notification) -> str:
    """A stable name for one outbox row, used as its Message-ID: the same on every attempt."""
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:16]
    return f"tracker-notification-{notification.id}-{digest}"


# --- Delivery --------------------------------------------------------------------------------


def deliver_pending(
    *,
    reason_to_cancel: Callable[[Notification], str | None] | None = None,
    actor: Actor = "scheduler",
    limit: int | None = None,
) -> DeliveryResult:
    """Send every pending email whose time has come, committing after each one.

    It commits, by design, as the outbox's other senders do (`send_now`, and
    `reminders.send_reminders`, which delivers through this): each email is its own
    transaction, so an email leaves only after its row was committed as pending, is marked sent only after the
    mail server accepted it, and a crash part way through loses nothing that was recorded.
    The current transaction is committed first, so nothing half-done is ever sent.

    `reason_to_cancel` is asked about each email just before it is sent: a reason means the
    email is no longer wanted (a reminder for an action closed meanwhile, say) and it is
    cancelled with that reason instead of sent. The outbox knows nothing of what an email is
    about; reminders pass their rule in (`reminders.run.deliver_outbox`). `limit` caps how many
    emails one call takes (the rest wait, pending, for the next sweep).
    """
    db.session.commit()
    result = DeliveryResult()
    tried: set[int] = set()
    while limit is None or len(tried) < limit:
        try:
            notification = _claim_next(tried)
        except OperationalError as locked:
            # SQLite only: another sender holds the write lock. It is sending; leave it to it.
            db.session.rollback()
            result.stopped_early = f"another sender is busy ({locked.orig})"
            break
        if notification is None:
            break
        tried.add(notification.id)
        reason = reason_to_cancel(notification) if reason_to_cancel else None
        if reason is not None:
            notification.status = NotificationStatus.CANCELLED
            notification.last_error = reason
            notification.attempts -= 1  # it was not tried
            result.cancelled += 1
            db.session.commit()
            continue
        error = _send(notification)
        _record_outcome(notification, error, result, actor=actor)
        db.session.commit()
        if error is not None and error.service_unavailable:
            result.stopped_early = str(error)
            break
    if result.stopped_early:
        log.warning("Delivery stopped with emails still waiting: %s", result.stopped_early)
    return result


def _claim_next(tried: set[int]) -> Notification | None:
    """Take the next pending email whose time has come, and count the attempt.

    The row stays locked (PostgreSQL) or the database write-locked (SQLite) until the caller
    commits the outcome, so no other sender can take it meanwhile.
    """
    now = utc_now()
    while True:
        statement = (
            select(Notification)
            .where(Notification.status == NotificationStatus.PENDING, Notification.next_attempt_at <= now)
            # The order of the (status, next_attempt_at) index, so the database reads one
            # row instead of sorting every pending email each time.
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(1)
        )
        if tried:
            statement = statement.where(Notification.id.not_in(tried))
        if db.session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        notification = db.session.scalar(statement)
        if notification is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(Notification)
            .where(
                Notification.id == notification.id,
                Notification.status == NotificationStatus.PENDING,
                Notification.attempts == notification.attempts,
            )
            .values(attempts=Notification.attempts + 1, last_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(claimed) == 1:
            db.session.refresh(notification)
            return notification
        db.session.rollback()  # another sender took it between our read and our claim
        tried.add(notification.id)


def _send(notification: Notification) -> EmailError | None:
    try:
        notification.provider_reference = send_email(
            to=notification.recipient,
            subject=notification.subject,
            text=notification.body_text,
            html=notification.body_html,
            reference=reference_for(notification),
        )
    except EmailError as error:
        return error
    except Exception as error:  # a bug must not leave the row stuck at the head of the queue
        log.exception("Unexpected error sending notification %s", notification.id)
        return EmailError(f"Unexpected error: {error!r}", transient=True)
    return None


def retry_wait(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: MAIL_RETRY_MINUTES, doubling, at most 6 hours."""
    minutes = current_app.config["MAIL_RETRY_MINUTES"] * 2 ** (max(attempts, 1) - 1)
    return min(timedelta(minutes=minutes), LONGEST_RETRY_WAIT)


def _record_outcome(
    notification: Notification, error: EmailError | None, result: DeliveryResult, *, actor: Actor
) -> None:
    now = utc_now()
    if error is None:
        notification.status = NotificationStatus.SENT
        notification.sent_at = now
        notification.last_error = None
        result.sent += 1
        return
    notification.last_error = str(error)[:2000]
    if error.transient and notification.attempts < current_app.config["MAIL_MAX_ATTEMPTS"]:
        notification.next_attempt_at = now + retry_wait(notification.attempts)
        result.retrying += 1
        return
    notification.status = NotificationStatus.FAILED
    result.failed += 1
    audit.record(
        "notification.failed",
        notification,
        actor=actor,
        organisation_id=notification.organisation_id,
        after={
            "key": notification.key,
            "recipient": notification.recipient,
            "attempts": notification.attempts,
            "error": notification.last_error,
        },
    )


# --- Managers: what is waiting, what went, what failed; resend ---------------------------------


@dataclass
class Outbox:
    pending: list[Notification] = field(default_factory=list)
    failed: list[Notification] = field(default_factory=list)
    sent: list[Notification] = field(default_factory=list)
    cancelled: list[Notification] = field(default_factory=list)
    counts: dict[NotificationStatus, int] = field(default_factory=dict)


def outbox(organisation: Organisation, *, limit: int = 100) -> Outbox:
    """An organisation's emails by status, the latest `limit` of each."""
    rows = db.session.execute(
        select(Notification.status, func.count())
        .where(Notification.organisation_id == organisation.id)
        .group_by(Notification.status)
    ).all()
    counts = {status: count for status, count in rows}
    result = Outbox(counts={status: counts.get(status, 0) for status in NotificationStatus})
    for status, target, order in (
        (NotificationStatus.PENDING, result.pending, Notification.next_attempt_at.asc()),
        (NotificationStatus.FAILED, result.failed, Notification.last_attempt_at.desc()),
        (NotificationStatus.SENT, result.sent, Notification.sent_at.desc()),
        (NotificationStatus.CANCELLED, result.cancelled, Notification.last_attempt_at.desc()),
    ):
        target.extend(
            db.session.scalars(
                select(Notification)
                .where(Notification.organisation_id == organisation.id, Notification.status == status)
                .order_by(order, Notification.id.desc())
                .limit(limit)
            )
        )
    return result


def notification_in(organisation: Organisation, notification_id: int) -> Notification | None:
    """The organisation's notification with that id; None for another organisation's."""
    return db.session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.organisation_id == organisation.id)
    )


def resend(notification: Notification, *, actor: Actor) -> None:
    """Put a failed, sent or cancelled email back in the outbox; the next delivery sends it.

    This is the one way an email goes twice, or goes when no longer due, so it is an
    explicit, audited choice. Reminders about closed actions are not sent again.
    """
    if notification.status is NotificationStatus.PENDING:
        raise ServiceError("That email is already waiting to be sent.")
    action = db.session.get(Action, notification.action_id) if notification.action_id else None
    if action is not None and action.status.is_closed:
        raise ServiceError(f"That action is {action.status.label.lower()}: there is nothing to remind anyone about.")
    before = {
        "status": notification.status.value,
        "attempts": notification.attempts,
        "last_error": notification.last_error,
        "sent_at": notification.sent_at.isoformat() if notification.sent_at else None,
    }
    notification.status = NotificationStatus.PENDING
    notification.attempts = 0
    notification.next_attempt_at = notification.resend_requested_at = utc_now()
    db.session.flush()
    audit.record(
        "notification.resend_requested",
        notification,
        actor=actor,
        organisation_id=notification.organisation_id,
        before=before,
        after={
            "status": notification.status.value,
            "recipient": notification.recipient,
            "subject": notification.subject,
        },
    )


# --- Emails a person is waiting for (invitations, password resets, partner links) -----------
# They go through the outbox like every other email, so nothing is lost when the mail server
# is down, but they do not wait for the scheduler's next sweep: the view commits, then calls
# `send_now` with the ids `queue_email` returned. A send that fails for a reason that may pass
# leaves the row pending with a back-off, and the scheduler's outbox sweep retries it.


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


def send_now(notification_ids: Sequence[int | None], *, actor="web") -> DeliveryResult:
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
        if rowcount(claimed) != 1:  # the scheduler took it first
            db.session.rollback()
            continue
        notification = db.session.get(Notification, notification_id, populate_existing=True)
        assert notification is not None  # the row claimed just above
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
    # current_app is a LocalProxy, which Flask types as the app itself (no _get_current_object)
    app = current_app._get_current_object()  # type: ignore[attr-defined]

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
