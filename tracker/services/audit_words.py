"""The words the audit log's sentences are made of: dates and moments, quoted text, statuses and
flags, lists of names, and what an update changed on an action. Pure functions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tracker.clock import long_date, long_date_time
from tracker.models import Flag, Status


def say_day(value: Any) -> str:
    if not value:
        return "no date"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10]) if len(value) <= 10 else datetime.fromisoformat(value)
        except ValueError:
            return value
    return long_date(value)


def say_moment(value: Any, zone: ZoneInfo) -> str:
    if not value:
        return "no time"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(zone)
    return long_date_time(value)


def say_quoted(text: Any, limit: int = 300) -> str:
    text = " ".join(str(text or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"\u201c{text}\u201d"


def say_status(value: Any) -> str:
    try:
        return Status(value).label.lower()
    except ValueError:
        return str(value)


def say_flag(value: Any) -> str:
    try:
        return Flag(value).label.lower()
    except ValueError:
        return str(value)


def say_names(values: Any) -> str:
    values = [str(value) for value in (values or [])]
    if not values:
        return "nobody"
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]


def action_changes(before: dict, after: dict) -> list[str]:
    """What an update or decision changed on the action, as clauses."""
    changes = []
    if before.get("status") and after.get("status") and before["status"] != after["status"]:
        changes.append(f"changed the status from {say_status(before['status'])} to {say_status(after['status'])}")
    if before.get("flag") != after.get("flag"):
        if after.get("flag"):
            changes.append(
                f"flagged the action as {say_flag(after['flag'])} ({after.get('flag_reason') or 'no reason given'})"
            )
        elif before.get("flag"):
            changes.append(f"removed the {say_flag(before['flag'])} flag")
    elif after.get("flag") and before.get("flag_reason") != after.get("flag_reason"):
        changes.append(
            f"changed the reason for the {say_flag(after['flag'])} flag to {say_quoted(after.get('flag_reason'))}"
        )
    if before.get("due_on") and after.get("due_on") and before["due_on"] != after["due_on"]:
        changes.append(f"changed the deadline from {say_day(before['due_on'])} to {say_day(after['due_on'])}")
    return changes


def say_all(clauses: list[str]) -> str:
    if len(clauses) <= 1:
        return "".join(clauses)
    return ", ".join(clauses[:-1]) + " and " + clauses[-1]
