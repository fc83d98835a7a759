"""The oversight comparison as CSV and Excel: the page's columns, row for row, in its order."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..services.asked_before.oversight import RepeatCount
from ..services.board.oversight import OrganisationRow
from .writers import Sheet, csv_bytes, xlsx_bytes

HEADINGS = (
    "Organisation",
    "Actions open",
    "Per cent done",
    "Overdue",
    "At risk or blocked",
    "Oldest overdue (days)",
    "Last update",
    "Next board meeting",
    "Asked before",
    "Asked before, once signed off",
    "Nobody will be reminded",
)


def _values(row: OrganisationRow, repeat: RepeatCount | None, today: date) -> list[Any]:
    return [
        row.organisation.name,
        row.open,
        row.percent_done,
        row.overdue,
        row.at_risk,
        row.oldest_overdue_days(today),
        row.last_update_at.date() if row.last_update_at else None,
        row.next_meeting_on,
        repeat.actions if repeat else 0,
        repeat.once_signed_off if repeat else 0,
        row.nobody_reminded,
    ]


def comparison_csv(rows: list[OrganisationRow], repeats: Mapping[int, RepeatCount], today: date) -> bytes:
    return csv_bytes(HEADINGS, (_values(row, repeats.get(row.organisation.id), today) for row in rows))


def comparison_xlsx(rows: list[OrganisationRow], repeats: Mapping[int, RepeatCount], today: date) -> bytes:
    return xlsx_bytes(
        [
            Sheet(
                "Organisations",
                HEADINGS,
                (_values(row, repeats.get(row.organisation.id), today) for row in rows),
                {1: 40},
            )
        ]
    )
