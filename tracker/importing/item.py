"""One recommendation while a section is read, and how list labels follow each other.

:class:`Item` gathers the lines of one item; :func:`sequence_value` turns a label ("3",
"R3", "9.1.1", "iv", "c") into a number so that a list's next label can be told from a
new list (numbering that restarts or goes backwards).
"""

from __future__ import annotations

from dataclasses import dataclass

from .groups import GroupContext
from .markers import ListMarker, roman_value
from .paragraphs import join_lines


@dataclass
class Item:
    """A recommendation being assembled while the section is read."""

    label: str
    style: str
    parts: list[str]
    start: int
    end: int
    context: GroupContext
    awaiting_text: bool = False  # "Recommendation 2" on a line of its own; text follows

    @property
    def text(self) -> str:
        return " ".join(join_lines(self.parts).split())


def resolve_style(marker: ListMarker, current: str | None, items: list[Item]) -> str:
    """Decide whether a lone "i", "v" or "x" is a roman numeral or a letter."""
    if marker.style != "roman-or-letter":
        return marker.style
    if current in ("roman", "letter"):
        if current == "letter" and items and not continues_sequence(items[-1], marker.label, "letter"):
            return "roman"
        return current
    return "roman" if marker.label.lower() == "i" else "letter"


def sequence_value(label: str, style: str) -> int | None:
    if style == "decimal":  # "R3" is 3; "11.2" follows "11.1" and "9.1.1" follows "9.1"
        parts = label.lstrip("Rr").split(".")
        return (
            int(parts[0])
            if len(parts) == 1
            else sum(int(part) * 1000 ** (2 - place) for place, part in enumerate(parts[:3]))
        )
    if style == "roman":
        return roman_value(label)
    if style == "letter" and len(label) == 1:
        return ord(label.lower()) - ord("a") + 1
    return None


def continues_sequence(previous: Item, label: str, style: str) -> bool:
    """True when ``label`` can follow the previous item in the same list."""
    if style in ("bullet", "paragraph"):
        return True
    before = sequence_value(previous.label, previous.style)
    after = sequence_value(label, style)
    if before is None or after is None:
        return True
    return after > before


def continues_mid_sentence(item: Item, text: str) -> bool:
    last = item.parts[-1] if item.parts else ""
    return text[:1].islower() and last[-1:] not in ".!?:;"
