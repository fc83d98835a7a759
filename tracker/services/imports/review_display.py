"""What the review screen says beside the items, kept true as the manager edits: the
parser's warnings that still apply, and the deadline date each item would get if saved now."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from tracker.importing import ParsedReport
from tracker.services.imports.review import ReviewChoices, due_on
from tracker.services.imports.staging import ImportItem

_DATE_WARNING = re.compile(r"^(?:No publication date found|The report gives only a month)")
_ITEM_WARNING = re.compile(r"^Recommendation (?P<number>[^:]{1,20}): (?P<warning>.*)$")


def warnings_still_true(parsed: ParsedReport, items: Sequence[ImportItem], published: date | None) -> list[str]:
    """The parser's warnings, less those the manager has dealt with, in the list's own terms.

    A typed publication date answers the date warnings. A warning about one recommendation is
    said of the item it is now (after moves, merges and deletions), only while it still applies
    (an item given owners no longer "names no owner"), and the same warning about several items
    is said once: "Items 1, 2 and 5: no owner is named; assign one at review."
    """
    by_number: dict[str, ImportItem] = {}
    for listed in items:
        if listed.number:
            by_number.setdefault(listed.number, listed)
    still: list[str] = []
    about_items: dict[str, list[int]] = {}
    for warning in parsed.warnings:
        if published is not None and _DATE_WARNING.match(warning):
            continue
        about_item = _ITEM_WARNING.match(warning)
        if about_item is None:
            still.append(warning)
            continue
        item = by_number.get(about_item.group("number")) or _unnumbered(parsed, items, about_item.group("number"))
        text = about_item.group("warning").rstrip(".")
        if item is None or ("no owner is named" in text and item.owners):
            continue
        positions = about_items.setdefault(text, [])
        position = next(index for index, candidate in enumerate(items, start=1) if candidate is item)
        if position not in positions:
            positions.append(position)
    for text, positions in about_items.items():
        still.append(f"{_item_list(sorted(positions))}: {text}.")
    return still


def _item_list(positions: list[int]) -> str:
    if len(positions) == 1:
        return f"Item {positions[0]}"
    numbers = [str(position) for position in positions]
    return f"Items {', '.join(numbers[:-1])} and {numbers[-1]}"


def _unnumbered(parsed: ParsedReport, items: Sequence[ImportItem], number: str) -> ImportItem | None:
    """The item that came from the parsed bullet numbered ``number`` by position."""
    for index, recommendation in enumerate(parsed.recommendations):
        if recommendation.number == number:
            return next((item for item in items if index in item.origin), None)
    return None


def item_deadlines(items: Sequence[ImportItem], choices: ReviewChoices) -> list[date | None]:
    """Each item's deadline date if saved now; None while the publication date is unknown."""
    return [due_on(item, choices) for item in items]
