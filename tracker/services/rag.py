"""RAG (red, amber, green; grey for withdrawn): derived from status, flags and time left, never
stored, and shown with its reason. The rules are stated twice, side by side: in Python for one
action (`rag_for`) and in SQL for counting and filtering many (`rag_colour_sql`); a test compares
the two for every kind of action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case

from tracker.models import Action, Flag, Status

RAG_COLOURS = ("red", "amber", "green", "grey")
AMBER_NOT_STARTED_DAYS = 90


@dataclass(frozen=True)
class Rag:
    colour: str  # "red", "amber", "green" or "grey"
    reason: str

    @property
    def label(self) -> str:
        return f"{self.colour.capitalize()}: {self.reason}"


def days_overdue(action: Action, today: date) -> int:
    """Days past the deadline for an open action; 0 when not overdue. Never stored."""
    if action.status.is_closed or today <= action.due_on:
        return 0
    return (today - action.due_on).days


def is_overdue(action: Action, today: date) -> bool:
    return days_overdue(action, today) > 0


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def rag_for(action: Action, today: date) -> Rag:
    """Red, amber or green, with the reason a board member would want to read.

    `rag_colour_sql` states the same rules in SQL for filtering; keep the two
    in step (a test checks them against each other).
    """
    if action.status is Status.VERIFIED:
        return Rag("green", "verified by the board")
    if action.status is Status.COMPLETED:
        return Rag("green", "completed, awaiting board sign-off")
    if action.status is Status.WITHDRAWN:
        return Rag("grey", "withdrawn")
    overdue = days_overdue(action, today)
    if overdue:
        return Rag("red", f"{_days(overdue)} overdue")
    if action.flag is Flag.BLOCKED:
        return Rag("red", f"blocked: {action.flag_reason}")
    if action.flag is Flag.AT_RISK:
        return Rag("amber", f"at risk: {action.flag_reason}")
    days_left = (action.due_on - today).days
    if days_left == 0:
        return Rag("amber", "due today")
    if action.status is Status.NOT_STARTED and days_left <= AMBER_NOT_STARTED_DAYS:
        return Rag("amber", f"not started, due in {_days(days_left)}")
    return Rag("green", f"on track, due in {_days(days_left)}")


def rag_colour_sql(today: date) -> ColumnElement[str]:
    """The colour of `rag_for`, as SQL, rule for rule in the same order (tests
    compare the two for every kind of action). A CASE also sidesteps NULL: an unflagged action
    simply falls through to the next rule."""
    return case(
        (Action.status.in_(Status.DONE), "green"),
        (Action.status == Status.WITHDRAWN, "grey"),
        (overdue_sql(today), "red"),
        (Action.flag == Flag.BLOCKED, "red"),
        (Action.flag == Flag.AT_RISK, "amber"),
        (Action.due_on == today, "amber"),
        (and_(Action.status == Status.NOT_STARTED, due_within_sql(AMBER_NOT_STARTED_DAYS, today)), "amber"),
        else_="green",
    )


def overdue_sql(today: date) -> ColumnElement[bool]:
    """Open actions past their deadline: `is_overdue` as SQL, the one definition every count,
    list and filter of overdue actions uses."""
    return and_(Action.status.in_(Status.OPEN), Action.due_on < today)


def due_within_sql(days: int, today: date) -> ColumnElement[bool]:
    """Open actions due from today up to `days` days ahead (today and the last day included)."""
    return and_(Action.status.in_(Status.OPEN), Action.due_on >= today, Action.due_on <= today + timedelta(days=days))


def rag_condition(colour: str, today: date) -> ColumnElement[bool]:
    """Actions of one RAG colour, for filtering lists."""
    return rag_colour_sql(today) == colour
