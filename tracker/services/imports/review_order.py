"""Review operations that change which items there are and in what order: moving an item up
or down (buttons that work without JavaScript), adding the items of a list the parser passed
over, and tidying the text a form sends back. Pure functions on lists of ImportItem."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tracker.services import ServiceError
from tracker.services.imports.staging import ImportItem

MAX_ITEMS = 1000
# "• ", "· ", "▪ ", "- " at the very start: the bullet the report printed, not part of the text.
_LEADING_BULLET = re.compile(r"^\s*(?:[\u2022\u00b7\u25aa\u25e6\u2023\u2013\uf0a7\uf0b7*-]\s+)+(?=\S)")


def without_leading_bullet(text: str) -> str:
    """The text without a bullet glyph in front of it; bullets inside it stay."""
    return _LEADING_BULLET.sub("", text.strip())


def move_item(items: list[ImportItem], index: int, *, up: bool) -> list[ImportItem]:
    """Swap an item with the one above (or below) it; its number stays as the report printed it."""
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        raise ServiceError(f"Item {index + 1} is already {'first' if up else 'last'}.")
    moved = list(items)
    moved[index], moved[other] = moved[other], moved[index]
    return moved


def add_found_items(items: list[ImportItem], passed_over: Sequence[Any], which: int | None) -> list[ImportItem]:
    """Add the items of a section the parser found but did not add ("also looked like recommendations")."""
    if which is None or not 0 <= which < len(passed_over) or not passed_over[which].candidates:
        raise ServiceError("Those items are no longer offered. Add them by hand from the report's text.")
    found = [ImportItem.from_parsed(candidate) for candidate in passed_over[which].candidates]
    if len(items) + len(found) > MAX_ITEMS:
        raise ServiceError(f"A review can hold at most {MAX_ITEMS} items.")
    return [*items, *[replace(item, number=item.number.strip()) for item in found]]
