"""Never lose a section silently: every heading that looks like a recommendations heading,
and what reading it gave, beside the sections that were kept.

A report may hold two lists (a local authority's 1-25 and a board's 155-169); when only one
is kept, the other is reported here with its count, so the review screen can say "also
looked like recommendations: 25 numbered items under '...'" and offer to add them. A heading
that gave nothing is reported too, so the manager can check the report there.
"""

from __future__ import annotations

from dataclasses import dataclass

from .headings import heading_as_printed, is_section_heading
from .lines import TextLine
from .section import Item, Section, read_section

MAX_SURVEYED = 20


@dataclass(frozen=True)
class PassedOver:
    """A recommendations-like heading that was not kept: its items (maybe none) and where."""

    heading: str
    items: tuple[Item, ...]
    section: Section


def passed_over_sections(lines: list[TextLine], kept: list[Section]) -> list[PassedOver]:
    """Headings outside the kept sections, each read as a section, in reading order."""
    spans = [(section.heading.start, _end_offset(lines, section)) for section in kept]
    found: list[PassedOver] = []
    read_up_to = -1
    for index, line in enumerate(lines):
        if index < read_up_to or not is_section_heading(line.text):
            continue
        if any(start <= line.start < end for start, end in spans):
            continue
        if len(found) >= MAX_SURVEYED:
            break  # each read may run to the end of the text: bound the work on hostile text
        section = read_section(lines, index)
        read_up_to = section.end_index if section.items else -1  # an empty one may run on over the next heading
        found.append(PassedOver(heading=heading_as_printed(line.text), items=tuple(section.items), section=section))
    return found


def _end_offset(lines: list[TextLine], section: Section) -> int:
    last = min(max(section.end_index - 1, 0), len(lines) - 1)
    return max(lines[last].end, section.heading.end) + 1
