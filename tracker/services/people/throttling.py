"""Sign-in and reset throttling, counted in the database so every gunicorn worker sees the same count.

Failures are counted per email address and per client address in fixed 15-minute windows.

Sign-in is never refused for failures (OWASP ASVS 5.0, V6.3: anyone could otherwise lock the
board chair out before a meeting by typing wrong passwords). Instead each attempt waits before
its password is checked, longer the more failures the address and the client address have had
in the window: none for the first few, then 1, 2, 4, 8 seconds, up to SIGN_IN_MAX_DELAY_SECONDS.
The wait comes before the check, for the right password too, so the time taken never tells a
guess that worked from one that did not; the rightful owner always gets in, a few seconds late.
Password reset requests are different: past their limit they are refused (`check`), which
costs the owner nothing, as signing in still works.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import SignInAttempt, utc_now
from tracker.services.dml import insert_for, rowcount

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
    keys = {f"email:{' '.join(email.split()).lower()}": config["SIGN_IN_LIMIT_PER_EMAIL"]}
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
    insert = insert_for(db.session.get_bind().dialect.name)
    for key in _keys(email, address):
        statement = insert(SignInAttempt).values(key=key, window_start=window, failures=1)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["key", "window_start"], set_={"failures": SignInAttempt.failures + 1}
            )
        )


def _failures(keys: list[str], window: datetime) -> dict[str, int]:
    rows = db.session.execute(
        select(SignInAttempt.key, func.max(SignInAttempt.failures))
        .where(SignInAttempt.key.in_(keys), SignInAttempt.window_start == window)
        .group_by(SignInAttempt.key)
    )
    return {key: failures for key, failures in rows}


def _backoff(failures: int, free: int, maximum: float) -> float:
    if failures < free:
        return 0.0
    return min(2.0 ** min(failures - free, 16), maximum)


def sign_in_delay(email: str, address: str | None, now: datetime | None = None) -> float:
    """Seconds this sign-in attempt waits before its password is checked (see the docstring above)."""
    config = current_app.config
    email_key = f"email:{' '.join(email.split()).lower()}"
    keys = [email_key] + ([f"ip:{address}"] if address else [])
    failures = _failures(keys, _window_start(now or utc_now()))
    maximum = float(config["SIGN_IN_MAX_DELAY_SECONDS"])
    delays = [_backoff(failures.get(email_key, 0), config["SIGN_IN_FREE_FAILURES_PER_EMAIL"], maximum)]
    if address:
        delays.append(_backoff(failures.get(f"ip:{address}", 0), config["SIGN_IN_FREE_FAILURES_PER_ADDRESS"], maximum))
    return max(delays)


def pause(seconds: float) -> None:
    """Wait before checking a password (tests replace it to record the waits)."""
    if seconds > 0:
        time.sleep(seconds)


def forget_old(now: datetime | None = None) -> int:
    """Delete counts from windows that have ended (called by the scheduler's housekeeping)."""
    cutoff = _window_start(now or utc_now())
    return rowcount(db.session.execute(SignInAttempt.__table__.delete().where(SignInAttempt.window_start < cutoff)))
