"""The values the parser returns: plain frozen dataclasses, no behaviour beyond JSON."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

NO_DEADLINE_STATED = "none stated; the default of 12 months applies"


@dataclass(frozen=True)
class ParsedRecommendation:
    """One recommendation as the report prints it, before anyone has reviewed it."""

    number: str
    text: str
    owners: tuple[str, ...]
    owner_source: str  # "heading" | "brackets" | "addressee" | "none"
    deadline_rule: str
    deadline_months: int | None
    warnings: tuple[str, ...] = ()
    source_start: int | None = None
    source_end: int | None = None
    # Where the item came from and why, for the review screen: the page it starts on (PDFs),
    # the headings above it ("What needs to improve? › Within three months"), the group it
    # sits in (a theme, a time group or an owner heading), and a sentence each saying why its
    # owners and its deadline were chosen.
    source_page: int | None = None
    source_heading: str | None = None
    group: str | None = None
    owner_reason: str = ""
    deadline_reason: str = ""
    printed_number: bool = True  # False for a bullet or paragraph, whose number is its position

    def to_json_dict(self) -> dict[str, Any]:
        """The recommendation as it appears in ``flask tracker parse --json``."""
        return {
            "number": self.number,
            "owners": list(self.owners),
            "owner_source": self.owner_source,
            "text": self.text,
            "deadline_rule": self.deadline_rule,
        }


@dataclass(frozen=True)
class ParsedSection:
    """One recommendations section as found, so the review screen can say what was read.

    ``groups`` pairs each group heading inside the section (owner, time group or theme) with
    the number of items found under it. ``partial`` is true when the section could only be
    read in part, and ``note`` then says what was left unread.
    """

    heading: str
    page: int | None
    item_count: int
    groups: tuple[tuple[str, int], ...] = ()
    partial: bool = False
    note: str | None = None
    # For a section that was passed over (see ``ParsedReport.passed_over``): its items, which
    # the review screen can add with one button.
    candidates: tuple[ParsedRecommendation, ...] = ()


@dataclass(frozen=True)
class ParsedReport:
    """Everything the importer takes from one report, plus the text it was read from."""

    service: str | None
    inspectorate: str | None
    inspection_type: str | None
    publication_date: datetime.date | None
    date_precision: str | None  # "day" | "month" | None
    overall_rating: str | None
    ratings: dict[str, str]
    deadline_rule: str
    deadline_months: int | None
    recommendations: tuple[ParsedRecommendation, ...]
    warnings: tuple[str, ...]
    text: str
    recommendations_heading: str | None = None
    sections: tuple[ParsedSection, ...] = ()
    # Every other heading that looks like a recommendations heading, with what it gave: none
    # (flagged, so the manager checks the report there) or items that were not added.
    passed_over: tuple[ParsedSection, ...] = ()

    def publication_date_text(self) -> str | None:
        """``YYYY-MM-DD``, or ``YYYY-MM`` when the report only gives a month."""
        if self.publication_date is None:
            return None
        if self.date_precision == "month":
            return self.publication_date.strftime("%Y-%m")
        return self.publication_date.isoformat()

    def to_json_dict(self) -> dict[str, Any]:
        """Exactly the object ``flask tracker parse --json`` prints (see DESIGN.md)."""
        return {
            "service": self.service,
            "inspectorate": self.inspectorate,
            "inspection_type": self.inspection_type,
            "publication_date": self.publication_date_text(),
            "date_precision": self.date_precision,
            "overall_rating": self.overall_rating,
            "ratings": dict(self.ratings),
            "deadline_rule": self.deadline_rule,
            "recommendations": [item.to_json_dict() for item in self.recommendations],
            "warnings": list(self.warnings),
        }
