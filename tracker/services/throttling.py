"""Sign-in throttling, counted in the database so every gunicorn worker sees the same count.

Failures are counted per email address and per client address in fixed 15-minute windows;
past the limit, sign-in is refused (even with the right password) until the window ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import SignInAttempt, utc_now

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Throttle:
    blocked: bool
    retry_after: timedelta = timedelta(0)


def _window_start(now: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)


def _keys(email: str, address: str | None) -> dict[str, int]:
    config = current_app.config
    keys = {f"email:{email.strip().lower()}": config["SIGN_IN_LIMIT_PER_EMAIL"]}
    if address:
        keys[f"ip:{address}"] = config["SIGN_IN_LIMIT_PER_ADDRESS"]
    return keys


def check(email: str, address: str | None, now: datetime | None = None) -> Throttle:
    now = now or utc_now()
    window = _window_start(now)
    keys = _keys(email, address)
    rows = db.session.execute(
        select(SignInAttempt.key, func.max(SignInAttempt.failures))
        .where(SignInAttempt.key.in_(list(keys)), SignInAttempt.window_start == window)
        .group_by(SignInAttempt.key)
    )
    for key, failures in rows:
        if failures >= keys[key]:
            return Throttle(True, window + WINDOW - now)
    return Throttle(False)


def record_failure(email: str, address: str | None, now: datetime | None = None) -> None:
    """Count one failed sign-in; an atomic upsert, so concurrent workers never lose a count."""
    window = _window_start(now or utc_now())
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[db.session.get_bind().dialect.name]
    for key in _keys(email, address):
        statement = insert(SignInAttempt).values(key=key, window_start=window, failures=1)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"failures": SignInAttempt.failures + 1}))


def forget_old(now: datetime | None = None) -> int:
    """Delete counts from windows that have ended (called by the scheduler's housekeeping)."""
    cutoff = _window_start(now or utc_now())
    return db.session.execute(SignInAttempt.__table__.delete().where(SignInAttempt.window_start < cutoff)).rowcount
