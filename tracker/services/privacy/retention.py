"""Retention: personal data kept only as long as config.py says, then removed.

One sweep, run by the scheduler's daily housekeeping and by `flask tracker retention`
(`--dry-run` counts without changing anything). Each kind has its own period; nothing open is
ever removed: emails not sent yet, evidence of actions still open, tokens and links that
still work. The sweep is idempotent: a second run the same day finds nothing more to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from tracker.extensions import db
from tracker.models import (
    Action,
    ApiToken,
    AuditEvent,
    Evidence,
    Notification,
    NotificationStatus,
    PartnerLink,
    SignInAttempt,
    Status,
    utc_now,
)
from tracker.models.board import CalendarFeed
from tracker.services import audit
from tracker.services.privacy import redaction

CLEARED = "(The text of this email was removed when its retention period ended.)"
SIGN_IN_FAILURES = ("user.sign_in_failed",)
SIGN_INS = (
    "user.signed_in",
    "user.signed_in_with_link",
    "user.signed_in_with_sso",
    "user.signed_out",
    "user.password_reset_requested",
)


class RetentionRun:
    """What the audit event of a sweep is about: the sweep itself, which has no row."""

    id = None


@dataclass
class RetentionResult:
    """How many of each kind were removed (or would be, in a dry run), in the order swept."""

    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        if not self.total:
            return ["Nothing to remove: no personal data has passed its retention period."]
        verb = "Would remove" if self.dry_run else "Removed"
        return [f"{verb} {count} {kind}." for kind, count in self.counts.items() if count]


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def apply_retention(*, now: datetime | None = None, dry_run: bool = False, actor: str = "scheduler") -> RetentionResult:
    """Remove what has passed its retention period (the caller commits)."""
    now = now or utc_now()
    config = current_app.config
    result = RetentionResult(dry_run)
    link_emails = _expired_link_emails(now)
    sweeps: list[tuple[str, Callable[[], list], Callable[[list], None]]] = [
        (
            f"evidence files of actions closed more than {config['EVIDENCE_RETENTION_YEARS']} years ago",
            lambda: _expired_evidence(years_before(now, config["EVIDENCE_RETENTION_YEARS"])),
            lambda rows: _remove_evidence(rows, actor),
        ),
        ("sent emails' text whose sign-in link has expired", lambda: link_emails, _clear_bodies),
        (
            f"sent emails' text older than {config['SENT_EMAIL_BODY_DAYS']} days",
            lambda: [
                notification_id
                for notification_id in _old_email_bodies(now - timedelta(days=config["SENT_EMAIL_BODY_DAYS"]))
                if notification_id not in link_emails
            ],
            _clear_bodies,
        ),
        (
            f"failed sign-in records older than {config['SIGN_IN_ATTEMPT_DAYS']} days",
            lambda: _events(SIGN_IN_FAILURES, now - timedelta(days=config["SIGN_IN_ATTEMPT_DAYS"])),
            _delete_events,
        ),
        (
            f"sign-in counts older than {config['SIGN_IN_ATTEMPT_DAYS']} days",
            lambda: _ids(
                SignInAttempt, SignInAttempt.window_start < now - timedelta(days=config["SIGN_IN_ATTEMPT_DAYS"])
            ),
            lambda ids: _delete(SignInAttempt, ids),
        ),
        (
            f"sign-in and sign-out records older than {config['SIGN_IN_RECORD_DAYS']} days",
            lambda: _events(SIGN_INS, now - timedelta(days=config["SIGN_IN_RECORD_DAYS"])),
            _delete_events,
        ),
        (
            "expired or revoked API tokens",
            lambda: _ids(ApiToken, or_(ApiToken.revoked_at.is_not(None), ApiToken.expires_at <= now)),
            lambda ids: _delete(ApiToken, ids),
        ),
        (
            "revoked calendar feeds",
            lambda: _ids(CalendarFeed, CalendarFeed.revoked_at.is_not(None)),
            lambda ids: _delete(CalendarFeed, ids),
        ),
        (
            "expired or revoked partner links",
            lambda: _ids(PartnerLink, or_(PartnerLink.revoked_at.is_not(None), PartnerLink.expires_at <= now)),
            lambda ids: _delete(PartnerLink, ids),
        ),
    ]
    for kind, find, remove in sweeps:
        found = find()
        result.counts[kind] = len(found)
        if found and not dry_run:
            remove(found)
    if result.total and not dry_run:
        audit.record(
            "retention.applied",
            RetentionRun(),
            actor=actor,
            organisation_id=None,
            after={"removed": {kind: count for kind, count in result.counts.items() if count}},
        )
    return result


def _ids(model, condition) -> list[int]:
    return list(db.session.scalars(select(model.id).where(condition)))


def _delete(model, ids: list[int]) -> None:
    db.session.execute(delete(model).where(model.id.in_(ids)))


def _expired_evidence(closed_before: datetime) -> list[Evidence]:
    """Files of actions closed (completed, verified or withdrawn) whose last change is older
    than the cutoff; an action reopened since is open, and keeps its files."""
    return list(
        db.session.scalars(
            select(Evidence)
            .join(Action, Action.id == Evidence.action_id)
            .where(
                Evidence.removed_at.is_(None),
                Action.status.in_(Status.CLOSED),
                func.coalesce(Action.last_update_at, Action.created_at) < closed_before,
            )
            .order_by(Evidence.id)
        )
    )


def _remove_evidence(rows: list[Evidence], actor: str) -> None:
    years = current_app.config["EVIDENCE_RETENTION_YEARS"]
    for evidence in rows:
        redaction.remove_evidence(
            evidence,
            by=actor,
            event="evidence.expired",
            reason=f"kept for {years} years after the action closed, as the retention policy says",
        )


def _sent(cutoff: datetime):
    return func.coalesce(Notification.sent_at, Notification.last_attempt_at, Notification.created_at) < cutoff


def _old_email_bodies(cutoff: datetime) -> list[int]:
    return _ids(Notification, (Notification.status != NotificationStatus.PENDING) & _has_text() & _sent(cutoff))


def _expired_link_emails(now: datetime) -> list[int]:
    """Invitations, password resets and partner links carry a link that works for a while;
    once it no longer works the sent email's text has no use, and goes at once."""
    config = current_app.config
    validity = {
        "invitation": timedelta(days=config["INVITATION_DAYS"]),
        "password_reset": timedelta(minutes=config["PASSWORD_RESET_MINUTES"]),
        "partner_link": timedelta(days=config["PARTNER_LINK_DAYS"]),
    }
    return [
        notification_id
        for kind, period in validity.items()
        for notification_id in _ids(
            Notification,
            (
                (Notification.kind == kind)
                & (Notification.status != NotificationStatus.PENDING)
                & _has_text()
                & (Notification.created_at < now - period)
            ),
        )
    ]


def _has_text():
    """Not cleared already, by retention or when its recipient was forgotten (empty)."""
    return Notification.body_text.not_in([CLEARED, ""])


def _clear_bodies(ids: list[int]) -> None:
    db.session.execute(
        update(Notification).where(Notification.id.in_(ids)).values(body_text=CLEARED, body_html=CLEARED)
    )


def _events(kinds: tuple[str, ...], cutoff: datetime) -> list[int]:
    return _ids(AuditEvent, AuditEvent.event.in_(kinds) & (AuditEvent.occurred_at < cutoff))


def _delete_events(ids: list[int]) -> None:
    _delete(AuditEvent, ids)
