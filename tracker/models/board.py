from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import SHOWN_NOWHERE, UTCDateTime, utc_now

if TYPE_CHECKING:
    from .organisation import Organisation
    from .user import User


class BoardMeeting(db.Model):
    """A management board meeting. "What changed since" is computed between meeting dates."""

    __tablename__ = "board_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()


class CalendarFeed(db.Model):
    """A private calendar (iCalendar) address for one person's deadlines.

    The address carries a random token; only its SHA-256 is stored, so the address is shown
    once. Revoking sets `revoked_at` and the old address answers 404 from then on. A person has
    at most one feed that is not revoked.
    """

    __tablename__ = "calendar_feeds"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecommendationTheme(db.Model):
    """A recurring theme of a recommendation, as tracker/services/board/themes.py reads its text.

    Kept so that counting themes across 100,000 recommendations is a GROUP BY, not 100,000
    texts read again on every visit. Filled for any recommendation the first time the themes
    pages need it, and filled afresh when the keyword list changes: `classifier` is a
    fingerprint of the keywords that produced the row. Every classified recommendation has at
    least one row ("other" when no theme matched).
    """

    __tablename__ = "recommendation_themes"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    classifier: Mapped[str] = mapped_column(String(16), index=True)
