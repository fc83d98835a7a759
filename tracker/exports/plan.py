"""A plan written in the shape the importer reads back: a title line, one header row, the
recommendation's own row (no step) followed by its steps, UK dates as real dates, statuses in
words. (Outside the pure plan reader, `tracker/plans`, because writing is not reading.)"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .writers import Sheet, xlsx_bytes

HEADINGS = (
    "Recommendation number",
    "Recommendation",
    "Plan step",
    "Owners",
    "Original deadline",
    "Deadline",
    "Status",
    "Flag",
    "Latest update on",
    "Latest update",
)
WIDTHS = (14, 60, 50, 30, 14, 14, 14, 10, 14, 60)

ExportRow = tuple[str, str, str, str, date | None, date | None, str, str, date | None, str]


def plan_xlsx(title: str, rows: Iterable[ExportRow]) -> bytes:
    return xlsx_bytes(
        [
            Sheet(
                "Action plan",
                HEADINGS,
                rows,
                dict(enumerate(WIDTHS, start=1)),
                date_format="dd/mm/yyyy",
                wrap=True,
                heading=title,
            )
        ]
    )
