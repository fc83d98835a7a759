"""Finding the header row below a title block, and guessing what each column holds from its
heading and, when the heading says nothing, from its values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import read_date
from .errors import PlanReadError
from .sheets import Value
from .statuses import is_status_word

# What a column can hold, in the order the mapping screen offers them.
KINDS: dict[str, str] = {
    "ignore": "Do not import",
    "number": "Recommendation number",
    "recommendation": "Recommendation",
    "step": "Action or step",
    "owner": "Owner or lead",
    "deadline": "Deadline",
    "original_deadline": "Original deadline",
    "status": "Status",
    "rag": "RAG rating",
    "flag": "Flag (at risk or blocked)",
    "update": "Latest progress update",
    "update_date": "Date of the latest update",
    "update_author": "Who wrote the latest update",
    "evidence": "Evidence",
}

# Checked in this order, so "Recommendation number" is a number and "Latest update on" a date.
HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        (
            "ignore",
            r"^(action id|report id|role id|id|report|published|days overdue|rag reason"
            r"|changes since last meeting|per ?cent.*|%.*)$",
        ),
        (
            "update_author",
            r"^((latest |last )?(update|progress)( update)? (by|author|written by)|updated by|author"
            r"|reported by|completed by|update author)$",
        ),
        (
            "update_date",
            r"^(date (of )?(the )?(last |latest )?(update|progress)|last updated|updated|date updated"
            r"|(latest |last )?(update|progress)( update)? (on|date|when))$",
        ),
        ("original_deadline", r"original (deadline|target|due)"),
        ("number", r"^(rec(ommendation)? ?)?(no|number|num|ref|reference|#)$|^recommendation (number|no|ref)"),
        (
            "deadline",
            r"deadline|target date|due date|^due( by)?$|by when|timescale|completion date|^target$"
            r"|date due|end date|^by date$|^date$",
        ),
        ("rag", r"^rag\b|\brag$|rag rating"),
        ("status", r"status|progress rating|^position$"),
        ("flag", r"^flag"),
        ("owner", r"owner|lead|responsib|by whom|accountab|^who"),
        ("evidence", r"evidence"),
        ("update", r"update|progress|comment|^notes?$|position statement"),
        ("step", r"action|step|task|activit|what (we|will)|milestone|^how"),
        ("recommendation", r"recommendation|area (for|of) improvement|improvement|finding|issue|objective|requirement"),
    ]
]
NUMBER_LIKE = re.compile(r"^(\d{1,3}([.)]\d{1,3})*[a-z]?|[ivx]{1,6}|[a-z])[.)]?$", re.IGNORECASE)
HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class Column:
    index: int
    heading: str
    kind: str
    reason: str  # why it was guessed, shown on the mapping screen


def _normal(heading: Value) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s%#]", " ", str(heading).lower())).strip()


def kind_from_heading(heading: Value) -> str | None:
    if not isinstance(heading, str):
        return None
    text = _normal(heading)
    if not text or len(text) > 60:
        return None
    return next((kind for kind, pattern in HEADINGS if pattern.search(text)), None)


def find_header_row(rows: list[list[Value]]) -> int:
    """The first row, among the first 30, that names the most columns we know (at least two)."""
    best, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        kinds = {kind_from_heading(value) for value in row} - {None, "ignore"}
        if len(kinds) > best_score:
            best, best_score = index, len(kinds)
    if best is None:
        raise PlanReadError(
            "No header row was found: none of the first 30 rows names columns such as Recommendation, "
            "Action, Owner, Deadline or Status. Add a row of column headings above the plan and upload it again."
        )
    return best


def _guess_from_values(values: list[Value], today: date, taken: set[str]) -> tuple[str, str]:
    filled = [value for value in values if value is not None]
    if not filled:
        return "ignore", "The column is empty."
    share = len(filled)
    if sum(1 for value in filled if read_date(value, today).value is not None) >= 0.6 * share:
        kind = "deadline" if "deadline" not in taken else "update_date"
        return kind, "Most of its values are dates."
    if sum(1 for value in filled if is_status_word(value)) >= 0.6 * share:
        return "status" if "status" not in taken else "rag", "Most of its values are status or RAG words."
    if sum(1 for value in filled if NUMBER_LIKE.match(str(value))) >= 0.6 * share:
        return "number", "Its values look like recommendation numbers."
    average = sum(len(str(value)) for value in filled) / share
    if average > 30:
        for kind in ("recommendation", "step", "update"):
            if kind not in taken:
                return kind, "It holds long text."
    return "ignore", "Its heading and values do not say what it holds."


def guess_columns(rows: list[list[Value]], header_index: int, today: date) -> list[Column]:
    header = rows[header_index]
    below = rows[header_index + 1 : header_index + 51]
    columns: list[Column] = []
    taken: set[str] = set()
    unknown: list[int] = []
    for index, heading in enumerate(header):
        kind = kind_from_heading(heading)
        if kind is None:
            unknown.append(index)
            columns.append(Column(index, str(heading or ""), "ignore", ""))
        elif kind != "ignore" and kind in taken:
            columns.append(
                Column(index, str(heading), "ignore", f"Another column is already the {KINDS[kind].lower()}.")
            )
        else:
            taken.add(kind)
            columns.append(Column(index, str(heading), kind, "From its heading."))
    for index in unknown:
        values = [row[index] if index < len(row) else None for row in below]
        kind, reason = _guess_from_values(values, today, taken)
        if kind != "ignore":
            taken.add(kind)
        columns[index] = Column(index, columns[index].heading, kind, reason)
    return columns
