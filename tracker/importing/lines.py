"""Clean text as a list of lines that remember where they are in the text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextLine:
    """One line of clean text; ``start``/``end`` are offsets into that text."""

    text: str
    start: int
    end: int

    @property
    def is_blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[TextLine]:
    """Split clean text into lines, keeping each line's character offsets."""
    lines: list[TextLine] = []
    position = 0
    for raw in text.split("\n"):
        lines.append(TextLine(text=raw.strip(), start=position, end=position + len(raw)))
        position += len(raw) + 1
    return lines


def next_text_index(lines: list[TextLine], index: int) -> int | None:
    """Index of the first non-blank line at or after ``index``."""
    while index < len(lines):
        if not lines[index].is_blank:
            return index
        index += 1
    return None
