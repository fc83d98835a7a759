"""Deadlines from publication dates and the report's rule."""

from __future__ import annotations

import calendar
from datetime import date

DEFAULT_MONTHS = 12
# Every date a person sets (a deadline, a request for more time, a publication date) stays
# within this many years of today: no inspection asks for more, and a deadline of 31/12/9999
# once broke every calendar feed that listed it.
SANE_YEARS = 20


def within_sane_range(day: date, today: date) -> bool:
    """Whether `day` is within SANE_YEARS of `today`, either way."""
    return add_months(today, -12 * SANE_YEARS) <= day <= add_months(today, 12 * SANE_YEARS)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def deadline_for(publication_date: date, *, month_only: bool, months: int | None = None) -> date:
    """When a recommendation must be done: publication + the report's period (12 months by default).

    When the report gave only a month, the deadline runs from the end of that month, so it is
    never earlier than the report allows; confirming the day later moves it.
    """
    start = end_of_month(publication_date) if month_only else publication_date
    return add_months(start, DEFAULT_MONTHS if months is None else months)
