"""The one formula-escaping rule, for CSV and Excel alike.

A cell of text starting with one of `FORMULA_STARTS` is run as a formula by spreadsheet programs
(CSV injection). OWASP's advice is a leading apostrophe, which makes it text:
- in CSV, where every cell is text, the apostrophe is written before the text;
- in Excel the cell is typed as text and carries Excel's own apostrophe (the cell's quote
  prefix, what Excel records when someone types '=...): the text reads back unchanged, so an
  exported plan imports again as it was, and it stays text if someone edits the cell.
Only text is escaped: a number such as -3 is a number, not a formula."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> str:
    """A value as CSV text: nothing for None, ISO dates, and text that could run defused."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if starts_formula(value):
        return "'" + value
    return str(value)


def put(cell: Cell, value: Any, date_format: str) -> None:
    """A value into an Excel cell: text always as text (control characters Excel refuses are
    dropped, and text that could run gets the quote prefix), dates in `date_format`."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula, whatever it starts with
        if starts_formula(cell.value):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = date_format
