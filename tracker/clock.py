"""Today's date where the service runs. One function, so tests can move time explicitly."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def today() -> date:
    """The calendar date now in TRACKER_TIMEZONE (Europe/London by default)."""
    return datetime.now(ZoneInfo(current_app.config["TRACKER_TIMEZONE"])).date()
