from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import SHOWN_NOWHERE, UTCDateTime, utc_now

if TYPE_CHECKING:
    from .user import User


class AuditEvent(db.Model):
    """Append-only record of a change: who, when (UTC), what, and the values before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_subject", "subject_type", "subject_id"),
        Index("ix_audit_events_organisation_occurred", "organisation_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # How the actor is shown even if their account goes: an email, "command line", "scheduler".
    actor_label: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(64))  # e.g. "action.update_posted"
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()


class DataVersion(db.Model):
    """A counter per organisation that goes up with every audited change to its data, in the
    same transaction. Rendered pages are cached under the counters of the organisations they
    show (see tracker/page_cache.py), so a change makes every page that shows it render afresh.

    A counter rather than the latest audit event id: ids are handed out when a transaction
    inserts, not when it commits, so a later id can be visible before an earlier one. The
    counter's row is locked until the change commits, so a reader never sees the new number
    before the data it stands for."""

    __tablename__ = "data_versions"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
