"""Dates as UK plans write them. A reading is a date, or a question for the manager: anything
that could mean two things is asked about, never guessed silently."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST = date(2000, 1, 1)
FUTURE_YEARS = 20


@dataclass(frozen=True)
class DateReading:
    value: date | None = None
    problem: str | None = None  # set: the row cannot be saved until the date is given
    note: str | None = None  # how an unusual form was read, shown beside the row


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _financial_quarter_end(quarter: int, start_year: int) -> date:
    """The UK financial year starts on 1 April: Q1 is April to June, Q4 January to March."""
    return {
        1: date(start_year, 6, 30),
        2: date(start_year, 9, 30),
        3: date(start_year, 12, 31),
        4: date(start_year + 1, 3, 31),
    }[quarter]


def from_excel_serial(serial: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(serial))


QUARTER = re.compile(r"^q([1-4])\s*(?:fy\s*)?(\d{2,4})\s*[/-]\s*(\d{2,4})$")
QUARTER_ONE_YEAR = re.compile(r"^q([1-4])\s*(?:fy\s*)?(\d{4})$")
NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{2}|\d{4})$")
MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
MONTH_YEAR = re.compile(r"^([a-z]+)\.?[\s/-]+(\d{2}|\d{4})$")


def _checked(value: date, today: date, note: str | None = None, *, not_after_today: bool = False) -> DateReading:
    if value < EARLIEST:
        return DateReading(problem=f"{value:%-d %B %Y} is too far in the past. Check the date.")
    latest = today if not_after_today else date(today.year + FUTURE_YEARS, 12, 31)
    if value > latest:
        if not_after_today:
            return DateReading(problem=f"{value:%-d %B %Y} is in the future. Check the date.")
        return DateReading(problem=f"{value:%-d %B %Y} is too far in the future. Check the date.")
    return DateReading(value, note=note)


def _numeric_date(day: int, month: int, year: int, text: str) -> DateReading | date:
    if month > 12 and day <= 12:
        return DateReading(problem=f"\u201c{text}\u201d reads as month first (US order). Enter it as day/month/year.")
    try:
        return date(year, month, day)
    except ValueError:
        return DateReading(problem=f"\u201c{text}\u201d is not a real date.")


def read_date(value: object, today: date, *, not_after_today: bool = False) -> DateReading:
    """A date from a cell: a real date, an Excel serial number, or text such as "31/03/2026",
    "31 March 2026", "Mar-26" (end of March 2026) or "Q1 2026/27" (30 June 2026).
    Blank gives an empty reading. `not_after_today` is for the dates of updates already made."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DateReading()
    if isinstance(value, date):
        return _checked(value, today, not_after_today=not_after_today)
    if isinstance(value, int | float):
        if 20000 <= value <= 80000:
            return _checked(
                from_excel_serial(value),
                today,
                f"Read {int(value)} as an Excel date serial number.",
                not_after_today=not_after_today,
            )
        return DateReading(problem=f"\u201c{value}\u201d is a number, not a date.")
    text = re.sub(r"\s+", " ", str(value).strip().lower()).rstrip(".")
    if text.isascii() and text.isdigit() and 20000 <= int(text) <= 80000:
        return read_date(int(text), today, not_after_today=not_after_today)
    note = None
    reading: DateReading | date | None = None
    if match := ISO.match(text):
        reading = _numeric_date(int(match[3]), int(match[2]), int(match[1]), str(value))
    elif match := NUMERIC.match(text):
        reading = _numeric_date(int(match[1]), int(match[2]), _year(match[3]), str(value))
    elif match := QUARTER.match(text):
        start, end = _year(match[2]), _year(match[3])
        if end % 100 != (start + 1) % 100:
            return DateReading(
                problem=f"\u201c{value}\u201d is not a financial year (it runs April to March, e.g. Q1 2026/27)."
            )
        reading = _financial_quarter_end(int(match[1]), start)
        note = f"Read \u201c{value}\u201d as the end of that quarter of the financial year."
    elif QUARTER_ONE_YEAR.match(text):
        return DateReading(
            problem=f"\u201c{value}\u201d could be a calendar or a financial quarter. "
            "Enter the date (for example 30/06/2026) or the financial year (Q1 2026/27)."
        )
    elif (match := DAY_MONTH_YEAR.match(text)) and match[2] in MONTHS:
        reading = _numeric_date(int(match[1]), MONTHS[match[2]], _year(match[3]), str(value))
    elif (match := MONTH_DAY_YEAR.match(text)) and match[1] in MONTHS:
        reading = _numeric_date(int(match[2]), MONTHS[match[1]], int(match[3]), str(value))
    elif (match := MONTH_YEAR.match(text)) and match[1] in MONTHS:
        reading = _end_of_month(_year(match[2]), MONTHS[match[1]])
        note = f"Read \u201c{value}\u201d as the end of that month, {reading:%-d %B %Y}."
    if reading is None:
        return DateReading(
            problem=f"\u201c{value}\u201d is not a date this importer can read. "
            "Enter it as day/month/year, for example 31/03/2026."
        )
    if isinstance(reading, DateReading):
        return reading
    return _checked(reading, today, note, not_after_today=not_after_today)
