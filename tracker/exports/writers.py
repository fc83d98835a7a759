"""CSV and Excel files from tables: a header and rows of plain values (text, numbers, dates, None)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO, StringIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .cells import csv_cell, put

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), lines ending CRLF."""
    output = StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([csv_cell(heading) for heading in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return output.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a bold header, frozen, with a filter over the table; or, with `labels`,
    a list of bold labels (first column) and their values, with no header."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Mapping[int, int] = field(default_factory=dict)  # column number (from 1) to width
    date_format: str = "d mmm yyyy"
    wrap: bool = False  # wrap the rows' text, aligned to the top of each cell
    heading: str | None = None  # a title line above the table, then a blank line
    labels: bool = False


def add_sheet(workbook: Workbook, spec: Sheet, *, first: bool = False) -> Worksheet:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = spec.title
    if spec.labels:
        _write_labels(sheet, spec)
        return sheet
    header_row = 1
    if spec.heading is not None:
        put(sheet.cell(row=1, column=1), spec.heading, spec.date_format)
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        header_row = 3
    for column, heading in enumerate(spec.header, start=1):
        put(sheet.cell(row=header_row, column=column), heading, spec.date_format)
        sheet.cell(row=header_row, column=column).font = Font(bold=True)
    last_row = header_row
    for last_row, values in enumerate(spec.rows, start=header_row + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=last_row, column=column)
            put(cell, value, spec.date_format)
            if spec.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(spec.header))}{last_row}"
    sheet.freeze_panes = f"A{header_row + 1}"
    for column, heading in enumerate(spec.header, start=1):
        width = spec.widths.get(column, max(12, min(len(heading) + 2, 30)))
        sheet.column_dimensions[get_column_letter(column)].width = width
    return sheet


def _write_labels(sheet: Worksheet, spec: Sheet) -> None:
    for row, (label, value) in enumerate(spec.rows, start=1):
        put(sheet.cell(row=row, column=1), label, spec.date_format)
        sheet.cell(row=row, column=1).font = Font(bold=True)
        put(sheet.cell(row=row, column=2), value, spec.date_format)
    for column, width in spec.widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of `sheets`, in order."""
    workbook = Workbook()
    for position, spec in enumerate(sheets):
        add_sheet(workbook, spec, first=position == 0)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
