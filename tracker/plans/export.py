"""A plan written in the shape the importer reads back: one header row, the recommendation's own
row (no step) followed by its steps, UK dates as real dates, statuses in words."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

HEADINGS = ("Recommendation number", "Recommendation", "Plan step", "Owners", "Original deadline", "Deadline",
            "Status", "Flag", "Latest update on", "Latest update")
WIDTHS = (14, 60, 50, 30, 14, 14, 14, 10, 14, 60)

ExportRow = tuple[str, str, str, str, date | None, date | None, str, str, date | None, str]


def plan_xlsx(title: str, rows: Iterable[ExportRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(list(HEADINGS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([value if not isinstance(value, str) else ILLEGAL_CHARACTERS_RE.sub("", value)
                      for value in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text starting with "=" stays text
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(65 + index)].width = width
    sheet.freeze_panes = "A4"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

