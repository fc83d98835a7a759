"""Today's date and time zone conversion where the service runs.

The one place that turns UTC timestamps into calendar days in TRACKER_TIMEZONE (Europe/London
by default) and back, so tests can move time explicitly and every layer agrees on a "day".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def local_zone(app: Flask | None = None) -> ZoneInfo:
    """The service's time zone (TRACKER_TIMEZONE), of `app` or the current one."""
    return ZoneInfo((app or current_app).config["TRACKER_TIMEZONE"])


def today() -> date:
    """The calendar date now in TRACKER_TIMEZONE (Europe/London by default), or TRACKER_TODAY if set."""
    fixed: date | None = current_app.config.get("TRACKER_TODAY")
    return fixed if fixed is not None else datetime.now(local_zone()).date()


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in the service's time zone, as a UTC timestamp."""
    return datetime.combine(day, time(0), tzinfo=local_zone()).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """The first instant after `day` (exclusive upper bound), as a UTC timestamp."""
    return start_of_day(day + timedelta(days=1))


def local_date(moment: datetime) -> date:
    """The calendar day a UTC timestamp falls on in the service's time zone."""
    return moment.astimezone(local_zone()).date()


def local_time(moment: datetime) -> datetime:
    """A UTC timestamp as the wall-clock time in the service's time zone."""
    return moment.astimezone(local_zone())


def long_date(day: date | None) -> str:
    """A date as every page, email and message writes it: "3 March 2026" ("Not set" for none)."""
    return day.strftime("%-d %B %Y") if day else "Not set"


def short_date(day: date | None) -> str:
    """A date for the narrow columns of board packs: "3 Mar 2026" ("Not set" for none)."""
    return day.strftime("%-d %b %Y") if day else "Not set"


def long_date_time(moment: datetime) -> str:
    """A wall-clock time (see `local_time`) as pages write it: "3 March 2026 at 2:05pm"."""
    return f"{long_date(moment)} at {moment:%-I:%M}{moment.strftime('%p').lower()}"
