"""The lines of a PDF page as pypdf emits them, with their positions and fonts: what both the
text reader (:mod:`.pdf_text`) and the table rebuilder (:mod:`.pdf_tables`) work on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PdfLine:
    """One line of text as pypdf emitted it, with where it starts on the page."""

    text: str
    x: float | None = None
    y: float | None = None
    size: float = 0.0
    bold: bool = False

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass
class PdfPage:
    lines: list[PdfLine]
    bottom: float
    height: float
