"""Every action as CSV (UTF-8 with a byte-order mark, so Excel reads the accents right),
written by `tracker.exports`, which defuses text a spreadsheet would run as a formula."""

from __future__ import annotations

from ..exports import csv_bytes
from ..services.board.pack import BoardPack
from .columns import ACTION_COLUMNS, action_values


def board_pack_csv(pack: BoardPack) -> bytes:
    return csv_bytes(
        ["Organisation", *ACTION_COLUMNS], ([pack.organisation.name, *action_values(row)] for row in pack.rows)
    )
