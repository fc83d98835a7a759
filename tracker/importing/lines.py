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


# No line wrapped at a page's or a window's width is this long: a text with such lines and no
# blank line between them sets each paragraph on a line of its own.
_UNWRAPPED_LINE = 150
_PARAGRAPH_END = (".", "!", "?", '."', ".”", ".)")


def paragraphs_one_a_line(lines: list[TextLine]) -> list[TextLine]:
    """A pasted web page often keeps each paragraph on one line and no blank line between
    them. There a line that ends a sentence ends its paragraph, so a blank line is put after
    it, as a text with blank lines between its paragraphs would have; other texts are kept
    as they are."""
    if any(line.is_blank for line in lines[:-1]) or not any(len(line.text) > _UNWRAPPED_LINE for line in lines):
        return lines
    spaced: list[TextLine] = []
    for line in lines:
        spaced.append(line)
        if line.text.endswith(_PARAGRAPH_END):
            spaced.append(TextLine(text="", start=line.end, end=line.end))
    return spaced


def next_text_index(lines: list[TextLine], index: int) -> int | None:
    """Index of the first non-blank line at or after ``index``."""
    while index < len(lines):
        if not lines[index].is_blank:
            return index
        index += 1
    return None
