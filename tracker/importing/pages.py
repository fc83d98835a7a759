"""Which page of a PDF each recommendation and section starts on, for the review screen."""

from __future__ import annotations

import re
from dataclasses import replace

from .models import ParsedReport

_NOT_LETTERS = re.compile(r"[^a-z]+")
_PROBE_LETTERS = 40


def _letters(text: str) -> str:
    return _NOT_LETTERS.sub("", text.lower())


def with_pages(report: ParsedReport, page_texts: list[str]) -> ParsedReport:
    """The report with ``source_page`` (1-based) set on each item and ``page`` on each section.

    An item's page is the first page, at or after the previous item's, whose letters
    contain the first letters of the item's source text; comparing letters only makes it
    indifferent to the spacing, hyphens and quotes that cleaning changed.
    """
    pages = [_letters(text) for text in page_texts]
    after = 0
    items = []
    for item in report.recommendations:
        source = report.text[item.source_start : item.source_end] if item.source_start is not None else item.text
        page = _find_page(pages, _letters(source)[:_PROBE_LETTERS], after)
        if page is not None:
            after = page - 1
        items.append(replace(item, source_page=page))
    # A section's page is its first item's: searching for the heading would find the
    # contents page.
    sections = []
    first_item = 0
    for section in report.sections:
        page = items[first_item].source_page if section.item_count and first_item < len(items) else None
        sections.append(replace(section, page=page))
        first_item += section.item_count
    return replace(report, recommendations=tuple(items), sections=tuple(sections))


def _find_page(pages: list[str], probe: str, start: int) -> int | None:
    if len(probe) < 8:
        return None
    for index in range(start, len(pages)):
        if probe in pages[index]:
            return index + 1
    return None
