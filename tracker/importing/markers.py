"""Recognising list markers ("4.", "(iii)", "b)", "•") at the start of a line.

Both the text cleaner (which must not glue a new list item onto the line before it) and
the parser (which splits a section into items) need the same answer, so it lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that reports and converters use as bullets. Private-use code points are
# where Word's Symbol/Wingdings bullets land when a PDF or DOCX is converted to text.
BULLET_CHARACTERS = "•◦‣⁃∙●○◉◼◻■□▪▫▶►▸➢➤✓✔❖➔→·-–*"

_BULLET = re.compile(r"([" + re.escape(BULLET_CHARACTERS) + r"\ue000-\uf8ff])\s+")

# A printed list number: decimal (with optional sub-levels), a roman numeral or a single
# letter, written "4." / "4)" / "(4)". A space must follow, so "i.e." and "4.5%" never
# count as markers.
_NUMBERED = re.compile(
    r"""
    (?:
        \(  (?P<in_brackets> \d{1,3} | [ivxlcdm]{1,7} | [IVXLCDM]{1,7} | [a-zA-Z] ) \)
      |
        (?P<plain> \d{1,3}(?:\.\d{1,3})* | [ivxlcdm]{1,7} | [IVXLCDM]{1,7} | [a-zA-Z] ) [.)]
      |
        (?P<dotted> \d{1,2}\.\d{1,2}(?:\.\d{1,2})? ) (?=\s+[A-Z])   # "11.1 All toilets ...": no closing stop
    )
    \s+
    """,
    re.VERBOSE,
)

_ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")
_ROMAN_OR_LETTER = set("ivxlcdm")


@dataclass(frozen=True)
class ListMarker:
    """A list marker found at the start of a line.

    ``style`` is "decimal", "roman", "letter", "roman-or-letter" (a lone "i", "v", "x"...
    whose meaning depends on the items around it) or "bullet". ``label`` is the number
    as printed without its punctuation ("4", "iii", "b"); empty for bullets.
    ``text_start`` is where the item's own text begins in the line.
    """

    label: str
    style: str
    text_start: int


def is_roman_numeral(label: str) -> bool:
    """True for lower- or upper-case roman numerals up to xxxix."""
    return bool(label) and bool(_ROMAN.match(label.lower()))


def roman_value(label: str) -> int:
    """The value of a roman numeral accepted by :func:`is_roman_numeral`."""
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    lowered = label.lower()
    for index, character in enumerate(lowered):
        value = values[character]
        following = values[lowered[index + 1]] if index + 1 < len(lowered) else 0
        total += -value if value < following else value
    return total


def _style_of(label: str) -> str | None:
    if label[0].isdigit():
        return "decimal"
    if len(label) == 1:
        if label.lower() in _ROMAN_OR_LETTER and is_roman_numeral(label):
            return "roman-or-letter"
        return "letter"
    if is_roman_numeral(label):
        return "roman"
    return None  # "cd." or "xl)" is a word, not a marker


def match_list_marker(line: str) -> ListMarker | None:
    """Return the list marker that starts ``line``, or None.

    A bullet followed by a number ("- iii. quality assurance", as markdown converters
    write numbered items) counts as the number, because the number is what the report
    printed.
    """
    position = 0
    bullet = _BULLET.match(line)
    if bullet:
        position = bullet.end()
    numbered = _NUMBERED.match(line, position)
    if numbered:
        label = numbered.group("in_brackets") or numbered.group("plain") or numbered.group("dotted")
        style = _style_of(label)
        is_initial = style == "letter" and label.isupper() and _looks_like_initial(line, numbered.end())
        if style is not None and not is_initial:
            return ListMarker(label=label, style=style, text_start=numbered.end())
    if bullet:
        return ListMarker(label="", style="bullet", text_start=bullet.end())
    return None


def _looks_like_initial(line: str, text_start: int) -> bool:
    """ "A. Smith" is a name, not item A: a short line of capitalised words after it."""
    rest = line[text_start:].split()
    return 0 < len(rest) <= 3 and all(word[:1].isupper() for word in rest)
