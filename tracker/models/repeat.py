"""Links between a recommendation and what an earlier inspection of the same organisation asked."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, string_enum, utc_now

if TYPE_CHECKING:
    from .report import Recommendation
    from .user import User


class RepeatState(enum.StrEnum):
    """A suggestion waits for a person; only a confirmed link says "asked before"."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class RepeatLink(db.Model):
    """ "Recommendation X was asked before as Y": a suggestion from the matching, or a person's
    decision about one (confirmed or dismissed), or a link a person made by hand.

    Both recommendations belong to `organisation_id` (the services refuse anything else), and a
    recommendation is never linked to itself (also a database check)."""

    __tablename__ = "repeat_links"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "earlier_recommendation_id"),
        CheckConstraint("recommendation_id <> earlier_recommendation_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    earlier_recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[RepeatState] = mapped_column(string_enum(RepeatState), default=RepeatState.SUGGESTED)
    # How close the wording is, 0 to 1, when the matching suggested it; None for a link made by hand.
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recommendation: Mapped[Recommendation] = relationship(foreign_keys=[recommendation_id])
    earlier: Mapped[Recommendation] = relationship(foreign_keys=[earlier_recommendation_id])
    decided_by: Mapped[User | None] = relationship()
