"""Board packs and inspection evidence packs as files: PDF (fpdf2), Excel (openpyxl) and CSV.

Each writer takes a value built by tracker/services/board/pack.py (or evidence_pack.py) and returns
bytes. The figures come from that value and no writer runs a query of its own, so the numbers on
paper are the ones the dashboard shows; following an action's relationships (its recommendation,
its owners) may still load rows the value did not load up front. Spreadsheets are written by
tracker/exports, which keeps user text from running as a formula.
"""

from __future__ import annotations

from ..exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from .csv import board_pack_csv
from .pdf import board_pack_pdf, evidence_pack_pdf
from .xlsx import board_pack_xlsx

MEDIA_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_MEDIA_TYPE, "csv": CSV_MEDIA_TYPE}
WRITERS = {"pdf": board_pack_pdf, "xlsx": board_pack_xlsx, "csv": board_pack_csv}

__all__ = ["MEDIA_TYPES", "WRITERS", "board_pack_csv", "board_pack_pdf", "board_pack_xlsx", "evidence_pack_pdf"]
