"""Every action as CSV (UTF-8 with a byte-order mark, so Excel reads the accents right)."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO

from ..services.board_pack import BoardPack
from .columns import ACTION_COLUMNS, action_values

# A cell starting with one of these is run as a formula by spreadsheet programs; a leading
# apostrophe makes it text (OWASP's advice for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def board_pack_csv(pack: BoardPack) -> bytes:
    output = StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(["Organisation", *ACTION_COLUMNS])
    for row in pack.rows:
        writer.writerow([_safe(pack.organisation.name), *(_safe(value) for value in action_values(row))])
    return output.getvalue().encode("utf-8-sig")
