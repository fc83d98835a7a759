"""The PDF page furniture shared by the board pack and the evidence pack (fpdf2).

Text is drawn in DejaVu Sans, embedded from the operating system's fonts (Debian's
fonts-dejavu-core, installed by `make install`; PDF_FONT_DIR in config.py), so Welsh
(ŵ, ŷ), curly quotes and names in other scripts print as typed. Nothing is downloaded.

Written for paper: A4, black text on white; table headings on a light tint and repeated after
a page break; data rows never filled; colour only ever beside a word that says the same.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from .text import printable

FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
HEADINGS = FontFace(emphasis="BOLD", fill_color=(243, 242, 241))
WHITE = (255, 255, 255)


class FontMissing(RuntimeError):
    """The Unicode font is not installed: say how to get it rather than print '?' for letters."""


CELL_PADDING = 1.2
CELL_LINES = 24  # a table row of this many lines still fits a landscape page with its headings


class Document(FPDF):
    def __init__(self, *, title: str, footer: str, orientation: str = "L") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        folder = Path(current_app.config["PDF_FONT_DIR"])
        for style, filename in FONT_FILES.items():
            path = folder / filename
            if not path.is_file():
                raise FontMissing(
                    f"The PDF font {path} is missing: install Debian's fonts-dejavu-core "
                    "(make install does) or set PDF_FONT_DIR."
                )
            self.add_font(FONT, style, str(path))
        self.footer_text = printable(footer)
        self.set_title(printable(title))
        self.set_creator(printable(current_app.config["SERVICE_NAME"]))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=16)
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, size=8)
        self.set_text_color(60)
        self.cell(0, 5, f"{self.footer_text} \u2013 page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    @property
    def space_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` mm is left on this one."""
        if self.space_left < height:
            self.add_page()

    # -- building blocks --

    def heading(self, text: str, size: int = 16, space_before: float = 2, room: float = 28) -> None:
        self.keep_room(room)  # never a heading alone at the foot of a page
        self.ln(space_before)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)
        self.set_font(FONT, size=10)

    def paragraph(self, text: str, size: int = 10, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=10)

    def table_of(
        self,
        headings: list[str],
        rows: list[list[str]],
        widths: tuple[float, ...],
        size: int = 9,
        numeric_columns: tuple[int, ...] = (),
        width: float | None = None,
        styles: list[dict[int, FontFace]] | None = None,
    ) -> None:
        """A table; `styles[i][j]` styles row i's cell j (the RAG cell's tint, say)."""
        self.set_font(FONT, size=size)
        self.set_fill_color(*WHITE)
        total = width or self.epw
        inner = [total * share / sum(widths) - 2 * CELL_PADDING for share in widths]
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=size * 0.45,
            headings_style=HEADINGS,
            padding=CELL_PADDING,
            repeat_headings=1,
            align="LEFT",
            width=total,
            cell_fill_mode=TableCellFillMode.NONE,
            cell_fill_color=WHITE,
        ) as table:
            table.row([printable(heading) for heading in headings])
            for number, values in enumerate(rows):
                row = table.row()
                cell_styles = styles[number] if styles else {}
                for index, value in enumerate(values):
                    row.cell(
                        self.fitted(printable(value), inner[index], size * 0.45),
                        align="RIGHT" if index in numeric_columns else None,
                        style=cell_styles.get(index),
                    )
        self.ln(3)
        self.set_font(FONT, size=10)

    def fitted(self, text: str, width: float, line_height: float) -> str:
        """`text` wrapped to the cell's width (long words are broken) and cut, with an ellipsis,
        to at most CELL_LINES lines, so no row is ever taller than a page."""
        lines = self.multi_cell(max(width, 1), line_height, text, dry_run=True, output="LINES")
        if len(lines) <= CELL_LINES:
            return text
        return "\n".join(line.rstrip() for line in lines[: CELL_LINES - 1]) + "\n..."

    def swatch(self, x: float, y: float, colour: tuple[int, int, int], size: float = 3.5) -> None:
        self.set_fill_color(*colour)
        self.rect(x, y, size, size, style="F")
        self.set_fill_color(*WHITE)
