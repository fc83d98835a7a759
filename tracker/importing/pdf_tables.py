"""Two-column tables of recommendations, rebuilt from where pypdf puts each line.

Area SEND reports print "Areas for priority action" as a table: a "Responsible body"
column on the left and the action on the right, each cell wrapped over several lines,
rows running on over a page break. pypdf gives every line with its position, so a row is
the left-column lines and right-column lines that start level with each other. Each row
becomes one bulleted line, "◼ <action> [Responsible body: <body>]", so the parser reads it
as one item and takes its owners from the column (see :mod:`.parse`). Bullets inside a
cell stay inside the row's text.

Why not pdfplumber: measured on the five corpus reports with such a table, its table
extraction took two to four times as long as pypdf's whole text extraction of the same
file (see BENCHMARKS.md), and it needs pdfminer.six's slower parsing besides, so
it cannot fit the 2-second budget per report; the geometry pypdf already reports is
enough for this one kind of table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf_lines import PdfLine, PdfPage

COLUMN_HEADER = re.compile(r"^responsible\s+bod(?:y|ies)\b", re.IGNORECASE)
COLUMN_LABEL = "Responsible body"
ROW_BULLET = "◼"
_COLUMN_TOLERANCE = 6.0
_MIN_COLUMN_GAP = 60.0


@dataclass
class _Row:
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    line: PdfLine | None = None

    def render(self) -> str:
        action = " ".join(" ".join(self.right).split())
        body = " ".join(" ".join(self.left).split())
        return f"{ROW_BULLET} {action} [{COLUMN_LABEL}: {body}]" if body else f"{ROW_BULLET} {action}"


@dataclass
class _Table:
    left_x: float
    right_x: float | None = None
    size: float = 0.0
    rows: list[_Row] = field(default_factory=list)
    resuming: bool = False  # on a new page, still filling the row cut by the page break


def rebuild_tables(pages: list[PdfPage]) -> None:
    """Replace the lines of each "Responsible body" table by one line per row, in place."""
    table: _Table | None = None
    for page in pages:
        output: list[PdfLine] = []
        if table is not None:
            table.resuming = _row_goes_on(table, page)
        for line in page.lines:
            text = line.text.strip()
            if not text:
                output.append(line)
                continue
            if line.x is not None and COLUMN_HEADER.match(text):
                table = _Table(left_x=line.x, size=line.size)
                continue  # the header row itself is not content
            if table is not None and _in_table(table, line):
                _add_to_table(table, line, output)
                continue
            if table is not None:
                _finish(table)
                table = None
            output.append(line)
        page.lines = output
        if table is not None:
            _finish(table, keep_open=True)
    if table is not None:
        _finish(table)


# The title of the next table or section ends this one even at the same position.
_NEXT_TITLE = re.compile(
    r"^(?:areas?\s+for\s+(?:improvement|priority\s+action)|what\s+needs\s+to\s+improve)\b", re.IGNORECASE
)


def _in_table(table: _Table, line: PdfLine) -> bool:
    if line.x is None or abs(line.size - table.size) > 1.0 or _NEXT_TITLE.match(line.text.strip()):
        return False
    if abs(line.x - table.left_x) <= _COLUMN_TOLERANCE:
        return True
    if table.right_x is None:
        return line.x > table.left_x + _MIN_COLUMN_GAP
    return abs(line.x - table.right_x) <= _COLUMN_TOLERANCE


def _add_to_table(table: _Table, line: PdfLine, output: list[PdfLine]) -> None:
    text = line.text.strip()
    is_left = abs((line.x or 0) - table.left_x) <= _COLUMN_TOLERANCE
    if not is_left and table.right_x is None:
        table.right_x = line.x
    row = table.rows[-1] if table.rows else None
    if not is_left:
        table.resuming = False
    starts_row = is_left and (row is None or bool(row.right)) and not table.resuming
    if row is None or starts_row:
        row = _Row()
        row.line = PdfLine(text="", x=table.left_x, y=line.y, size=line.size)
        output.append(row.line)
        table.rows.append(row)
    (row.left if is_left else row.right).append(text)
    assert row.line is not None
    row.line.text = row.render()


def _row_goes_on(table: _Table, page: PdfPage) -> bool:
    """After a page break a row's cells may go on: the action column resumes in lower case."""
    if not table.rows:
        return False
    for line in page.lines:
        text = line.text.strip()
        if text and _in_table(table, line) and abs((line.x or 0) - table.left_x) > _COLUMN_TOLERANCE:
            return text[:1].islower()
        if text and not _in_table(table, line):
            return False
    return False


def _finish(table: _Table, keep_open: bool = False) -> None:
    for row in table.rows:
        if row.line is not None:
            row.line.text = row.render()
    if not keep_open:
        table.rows.clear()
