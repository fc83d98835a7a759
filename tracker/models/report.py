from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, string_enum, utc_now

if TYPE_CHECKING:
    from .action import Action
    from .organisation import Organisation
    from .user import User


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"


class OwnerSource(enum.StrEnum):
    """Where the importer found a recommendation's owners."""

    HEADING = "heading"
    BRACKETS = "brackets"
    ADDRESSEE = "addressee"
    QUESTION = "question"  # the section's question: "What does the LSCB need to improve?"
    LEAD = "lead"  # a lead sentence: "the local authority should take the following action"
    SUBJECT = "subject"  # the item's own opening words: "Leaders across the partnership should ..."
    COLUMN = "column"  # a table's "Responsible body" column
    REVIEW = "review"  # typed in by the manager when checking the import
    NONE = "none"


class Report(db.Model):
    """A published inspection report, with the original file kept and hashed."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("organisation_id", "source_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    service_name: Mapped[str | None] = mapped_column(String(300))
    inspectorate: Mapped[str | None] = mapped_column(String(200))
    inspection_type: Mapped[str | None] = mapped_column(String(200))
    publication_date: Mapped[date | None]
    date_precision: Mapped[DatePrecision | None] = mapped_column(string_enum(DatePrecision))
    # A month-only date stays unconfirmed until a manager says which day it was published.
    publication_date_confirmed: Mapped[bool] = mapped_column(default=False)
    overall_rating: Mapped[str | None] = mapped_column(String(100))
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    deadline_rule: Mapped[str | None] = mapped_column(String(300))
    source_filename: Mapped[str | None] = mapped_column(String(300))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    source_media_type: Mapped[str | None] = mapped_column(String(100))
    # Path of the original file, relative to UPLOAD_DIR.
    source_path: Mapped[str | None] = mapped_column(String(500))
    extracted_text: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A withdrawn import (imported by mistake) is kept, with why, but leaves every list, pack and
    # reminder run (see models/visibility.py); the audit log keeps its story.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    imported_by: Mapped[User | None] = relationship(foreign_keys=[imported_by_id])
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Recommendation.position"
    )

    @property
    def short_name(self) -> str:
        """A name that tells this report from the organisation's others: "June 2025 inspection"."""
        kind = (self.inspection_type or "inspection").strip()
        if kind[:1].isupper() and not any(letter.isupper() for letter in kind[1:]):  # not "ILACS", "Joint"
            kind = kind[0].lower() + kind[1:]
        if self.publication_date is None:
            return self.title[:80]
        return f"{self.publication_date:%B %Y} {kind}"


class Recommendation(db.Model):
    """One recommendation as the report printed it."""

    __tablename__ = "recommendations"
    __shown_in__ = "report_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16))  # as printed: "4", "iii", "b"
    text: Mapped[str] = mapped_column(Text)
    owner_phrases: Mapped[list[str]] = mapped_column(JSON, default=list)  # as written
    owner_source: Mapped[OwnerSource] = mapped_column(string_enum(OwnerSource))
    deadline_rule: Mapped[str | None] = mapped_column(String(300))
    deadline_months: Mapped[int | None]

    report: Mapped[Report] = relationship(back_populates="recommendations")
    actions: Mapped[list[Action]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="Action.id"
    )

    revisions: Mapped[list[RecommendationRevision]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="RecommendationRevision.id.desc()"
    )

    @property
    def full_name(self) -> str:
        """The report's short name and the number, so "4" from two reports can't be confused."""
        return f"{self.report.short_name}, recommendation {self.number}"


class RecommendationRevision(db.Model):
    """Earlier wording of a recommendation, kept when someone corrects its text."""

    __tablename__ = "recommendation_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    recommendation: Mapped[Recommendation] = relationship(back_populates="revisions")
    replaced_by: Mapped[User | None] = relationship()
