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
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
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

    organisation: Mapped[Organisation] = relationship()
    imported_by: Mapped[User | None] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Recommendation.position"
    )


class Recommendation(db.Model):
    """One recommendation as the report printed it."""

    __tablename__ = "recommendations"

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
