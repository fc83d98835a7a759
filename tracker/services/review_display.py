"""What the review screen says beside the items, kept true as the manager edits: the
parser's warnings that still apply, and the deadline date each item would get if saved now."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..importing import ParsedReport
from .imports import ImportItem
from .review import ReviewChoices, due_on

_DATE_WARNING = re.compile(r"^(?:No publication date found|The report gives only a month)")
_ITEM_WARNING = re.compile(r"^Recommendation (?P<number>[^:]{1,20}): (?P<warning>.*)$")


def warnings_still_true(parsed: ParsedReport, items: Sequence[ImportItem], published: date | None) -> list[str]:
    """The parser's warnings, less those the manager has dealt with: a typed publication date
    answers the date warnings; an item given owners, or deleted, no longer needs its warning."""
    by_number = {}
    for item in items:
        by_number.setdefault(item.number, item)
    still = []
    for warning in parsed.warnings:
        if published is not None and _DATE_WARNING.match(warning):
            continue
        if about_item := _ITEM_WARNING.match(warning):
            item = by_number.get(about_item.group("number"))
            if item is None and any(not other.number for other in items):
                item = _unnumbered(parsed, items, about_item.group("number"))
            if item is None or ("no owner is named" in about_item.group("warning") and item.owners):
                continue
        still.append(warning)
    return still


def _unnumbered(parsed: ParsedReport, items: Sequence[ImportItem], number: str) -> ImportItem | None:
    """The item that came from the parsed bullet numbered ``number`` by position."""
    for index, recommendation in enumerate(parsed.recommendations):
        if recommendation.number == number:
            return next((item for item in items if index in item.origin), None)
    return None


def item_deadlines(items: Sequence[ImportItem], choices: ReviewChoices) -> list[date | None]:
    """Each item's deadline date if saved now; None while the publication date is unknown."""
    return [due_on(item, choices) for item in items]
