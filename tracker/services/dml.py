"""INSERT ... ON CONFLICT, and the rows an UPDATE or DELETE touched, in terms SQLAlchemy's types follow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite

DialectInsert = Callable[[type[Any]], postgresql.Insert | sqlite.Insert]

_INSERTS: dict[str, DialectInsert] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_for(dialect: str) -> DialectInsert:
    """The dialect's own `insert` (PostgreSQL and SQLite spell ON CONFLICT the same way), whose
    statements have `on_conflict_do_nothing` and `on_conflict_do_update`; KeyError for another."""
    return _INSERTS[dialect]


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE without RETURNING touched. `Session.execute` is typed to
    return a `Result`, but for these statements it returns a `CursorResult`, which counts them."""
    assert isinstance(result, CursorResult)
    return result.rowcount
