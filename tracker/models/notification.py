"""The outbox, and the settings that decide what goes into it.

- `Notification`: one row per email that must go out (the outbox).
- `ReminderPolicy`: an organisation's reminder schedule, when it differs from the default.
- `NotificationPreference`: how a person wants reminders: each one as it falls due, or a
  weekly digest.
- `SchedulerRun`: the last run of each scheduler job, so admins can see reminders are going.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import SHOWN_NOWHERE, UTCDateTime, string_enum, utc_now

if TYPE_CHECKING:
    from .organisation import Organisation
    from .user import User


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # Not sent because it was no longer needed when its turn came: the action was closed, a
    # later reminder replaced it, or the recipient no longer holds the role.
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Notification(db.Model):
    """The outbox: one row per email that must go out.

    `key` (action, kind, target date, recipient) is unique, so queueing the same reminder
    twice inserts nothing, and a row is only marked sent after the mail server accepted it.
    """

    __tablename__ = "notifications"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows
    __table_args__ = (Index("ix_notifications_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    target_date: Mapped[date | None]
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[NotificationStatus] = mapped_column(
        string_enum(NotificationStatus), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # What the mail backend called it: the SMTP Message-ID, or GOV.UK Notify's notification id.
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    # Set when a manager asked for it to be sent again: it then goes even if no longer due.
    resend_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationClaim(db.Model):
    """A reminder, or a person's day, that an outbox row has taken care of.

    When several reminders for one person go out as one email, each reminder's own outbox key
    is claimed here by the email that carries it, so it is never sent again on its own; and
    `day:DATE:EMAIL` is claimed by the one email a person gets that day. Both are unique, so
    two runs can never send the same reminder or a second email on the same day.
    """

    __tablename__ = "notification_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    notification_key: Mapped[str] = mapped_column(String(400), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ReminderPolicy(db.Model):
    """An organisation's reminder schedule. Organisations without a row use the defaults.

    A zero turns a step off (no weekly reminders while overdue, no escalation, no nudge).
    """

    __tablename__ = "reminder_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    # Days before the deadline that a reminder goes out, e.g. [90, 30, 14, 7, 1].
    days_before: Mapped[list[int]] = mapped_column(JSON, default=list)
    remind_on_due_day: Mapped[bool] = mapped_column(default=True)
    overdue_every_days: Mapped[int] = mapped_column(default=7)
    escalate_after_days_overdue: Mapped[int] = mapped_column(default=28)
    nudge_after_days_without_update: Mapped[int] = mapped_column(default=60)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    organisation: Mapped[Organisation] = relationship()


class ReminderFrequency(enum.StrEnum):
    EACH = "each"  # reminders as they fall due, at most one email a day
    WEEKLY_DIGEST = "weekly_digest"  # one summary a week per organisation instead
    SINGLE = "single"  # every reminder as its own email, however many in a day

    @property
    def label(self) -> str:
        return {
            "each": "Reminders as they fall due, at most one email a day",
            "weekly_digest": "One weekly summary",
            "single": "Every reminder as its own email",
        }[self.value]


class NotificationPreference(db.Model):
    """How one person wants reminders. People without a row get each reminder as it falls due."""

    __tablename__ = "notification_preferences"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    frequency: Mapped[ReminderFrequency] = mapped_column(string_enum(ReminderFrequency), default=ReminderFrequency.EACH)
    # The weekday the digest goes out: 0 is Monday, as in `date.weekday()`.
    digest_weekday: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    user: Mapped[User] = relationship()


class SchedulerRun(db.Model):
    """The latest run of one scheduler job (one row per job id), shown to administrators."""

    __tablename__ = "scheduler_runs"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(64), unique=True)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the last successful run did, e.g. "Queued 3, sent 3, failed 0, skipped 1".
    last_outcome: Mapped[str | None] = mapped_column(Text)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Which process ran it ("host pid 1234", or "command line"), to spot a second scheduler.
    last_run_by: Mapped[str | None] = mapped_column(String(200))
