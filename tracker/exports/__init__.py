"""Every file the tracker writes for people to open in a spreadsheet program: CSV and Excel.

One rule keeps user text from running as a formula (`cells.FORMULA_STARTS`), and one writer of
each kind applies it, so a board pack, an action list, the oversight comparison and an exported
plan are all defused the same way. The features say what goes in each table (`board_pack`,
`oversight`, `plan`); this package says how a table is written."""

from .cells import FORMULA_STARTS, starts_formula
from .writers import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Sheet, add_sheet, csv_bytes, xlsx_bytes

__all__ = [
    "CSV_MEDIA_TYPE",
    "FORMULA_STARTS",
    "XLSX_MEDIA_TYPE",
    "Sheet",
    "add_sheet",
    "csv_bytes",
    "starts_formula",
    "xlsx_bytes",
]
