"""The scheduler process (`flask tracker scheduler`): thin jobs that call services.

Exactly one scheduler should run, as its own process; web workers never start one (nothing
but the `scheduler` command imports this module). Three jobs, with explicit ids:

- `send-due-reminders`, daily at REMINDER_HOUR in TRACKER_TIMEZONE: queue what is due, then
  deliver. If the scheduler starts later in the day and the day's run has not succeeded yet,
  it runs at once, so a restart or an outage at that hour does not lose a day.
- `deliver-outbox`, every OUTBOX_INTERVAL_MINUTES: retries, and emails a manager resent.
- `housekeeping`, daily at 03:00: deletes uploads left on the import review screen for more
  than a day and sign-in throttle counts from windows that have ended, and removes personal
  data past its retention period (services/privacy/retention.py).

All three are idempotent sweeps (the outbox keys and row locks make a second run send nothing
twice). On PostgreSQL each run also holds a transaction-level advisory lock for the job, on a
connection of its own, so if a second scheduler is started by mistake it skips the run.
Each job's last run (and last success) is kept in `scheduler_runs` and shown to managers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from . import clock
from .extensions import db
from .models import utc_now
from .models.notification import SchedulerRun
from .services import files
from .services.imports import staging as imports
from .services.people import throttling
from .services.privacy import retention
from .services.reminders import run as reminders

log = logging.getLogger(__name__)

SEND_DUE_REMINDERS = "send-due-reminders"
DELIVER_OUTBOX = "deliver-outbox"
HOUSEKEEPING = "housekeeping"
SCHEDULER_ACTOR = "scheduler"


# --- The jobs ------------------------------------------------------------------------------


def send_due_reminders(app: Flask) -> str | None:
    """Today's reminder run. Returns what it did, or None if another scheduler is running it."""
    with app.app_context():
        return run_exclusively(
            SEND_DUE_REMINDERS, lambda: reminders.send_reminders(clock.today(), actor=SCHEDULER_ACTOR).describe()
        )


def housekeeping(app: Flask) -> str | None:
    """Forget what is only kept for a while: staged uploads and ended sign-in throttle windows."""

    def tidy() -> str:
        staged = imports.forget_old_staged()
        files.forget_older_than("staging", utc_now() - timedelta(hours=imports.STAGED_FOR_HOURS))
        windows = throttling.forget_old()
        kept_too_long = retention.apply_retention(actor=SCHEDULER_ACTOR)
        db.session.commit()
        return f"Deleted {staged} staged uploads and {windows} old sign-in counts." + (
            " " + " ".join(kept_too_long.lines()) if kept_too_long.total else ""
        )

    with app.app_context():
        return run_exclusively(HOUSEKEEPING, tidy)


def deliver_outbox(app: Flask) -> str | None:
    """Send what is waiting in the outbox (retries that are due, resends)."""
    with app.app_context():

        def work() -> str:
            result = reminders.deliver_outbox(actor=SCHEDULER_ACTOR)
            return f"Sent {result.sent}, failed {result.failed}, {result.retrying} to retry" + (
                f", {result.cancelled} no longer needed" if result.cancelled else ""
            )

        return run_exclusively(DELIVER_OUTBOX, work)


# --- One at a time, and a record of each run -------------------------------------------------


def advisory_lock_key(job_id: str) -> int:
    """A stable signed 64-bit number for the job, as pg_try_advisory_xact_lock wants."""
    return int.from_bytes(hashlib.sha256(f"tracker:{job_id}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(job_id: str) -> Iterator[bool]:
    """Yield True if this process may run the job now, False if another one is running it.

    On PostgreSQL, pg_try_advisory_xact_lock is taken in a transaction on a connection of its
    own and held until the job ends: the job itself commits many times (once per email), and
    a transaction-level lock on its own session would be released by the first commit. If the
    process dies, its connection closes and the lock goes with it. SQLite (development) has no
    such lock; there, the outbox's claims alone keep emails from going twice.
    """
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    with db.engine.connect() as connection:
        acquired = connection.scalar(select(func.pg_try_advisory_xact_lock(advisory_lock_key(job_id))))
        try:
            yield bool(acquired)
        finally:
            connection.rollback()  # ends the transaction, releasing the lock


def run_exclusively(job_id: str, work: Callable[[], str], *, run_by: str | None = None) -> str | None:
    """Run `work` unless another process is running this job; record how it went.

    `run_by` names who ran it when not this scheduler process ("command line")."""
    with exclusive(job_id) as acquired:
        if not acquired:
            log.info("Skipped %s: another scheduler is running it.", job_id)
            return None
        return run_and_record(job_id, work, run_by=run_by)


def run_and_record(job_id: str, work: Callable[[], str], *, run_by: str | None = None) -> str:
    """Run `work` and record how it went, so the Emails page counts runs from anywhere.

    Takes no lock: a run from the command line goes ahead beside the scheduler's, and the
    outbox's unique keys and row claims keep either from sending an email twice."""
    started = utc_now()
    _record(job_id, run_by, last_started_at=started)
    try:
        outcome = work()
    except Exception as error:
        db.session.rollback()
        log.exception("Job %s failed", job_id)
        _record(job_id, run_by, last_failed_at=utc_now(), last_error=f"{type(error).__name__}: {error}"[:2000])
        raise
    _record(job_id, run_by, last_succeeded_at=utc_now(), last_outcome=outcome)
    log.info("Finished %s: %s", job_id, outcome)
    return outcome


def _record(job_id: str, run_by: str | None = None, **values) -> None:
    """Save the job's run record in a transaction of its own (the job commits its own work)."""
    run = db.session.scalar(select(SchedulerRun).filter_by(job_id=job_id))
    if run is None:
        run = SchedulerRun(job_id=job_id)
        db.session.add(run)
    for name, value in values.items():
        setattr(run, name, value)
    run.last_run_by = f"{run_by + ', ' if run_by else ''}{socket.gethostname()} pid {os.getpid()}"
    db.session.commit()


def reminders_missed_today(app: Flask, now: datetime) -> bool:
    """True if today's reminder hour has passed and today's run has not succeeded yet."""
    zone = clock.local_zone(app)
    local_now = now.astimezone(zone)
    if local_now.hour < app.config["REMINDER_HOUR"]:
        return False
    with app.app_context():
        last = db.session.scalar(select(SchedulerRun.last_succeeded_at).filter_by(job_id=SEND_DUE_REMINDERS))
        db.session.remove()
    return last is None or last.astimezone(zone).date() < local_now.date()


# --- The scheduler process -------------------------------------------------------------------


def build_scheduler(app: Flask):
    """A BlockingScheduler with the three jobs, in TRACKER_TIMEZONE.

    coalesce: a run missed several times (the machine was asleep) runs once, not once per miss.
    misfire_grace_time: the daily run still happens if it is up to 12 hours late (the same
    day); an outbox sweep that is late by more than its interval is skipped for the next one.
    max_instances=1: a slow run is never overlapped by the next run of the same job.
    """
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    zone = clock.local_zone(app)
    now = datetime.now(zone)
    interval = app.config["OUTBOX_INTERVAL_MINUTES"]
    scheduler = BlockingScheduler(timezone=zone)
    daily = {"next_run_time": now} if reminders_missed_today(app, now) else {}
    scheduler.add_job(
        send_due_reminders,
        CronTrigger(hour=app.config["REMINDER_HOUR"], minute=0, timezone=zone),
        args=[app],
        id=SEND_DUE_REMINDERS,
        name="Send due reminders",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(timedelta(hours=12).total_seconds()),
        **daily,
    )
    scheduler.add_job(
        deliver_outbox,
        IntervalTrigger(minutes=interval, timezone=zone),
        args=[app],
        id=DELIVER_OUTBOX,
        name="Deliver the outbox",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=interval * 60,
        next_run_time=now,
    )  # anything left pending before a restart goes at once
    scheduler.add_job(
        housekeeping,
        CronTrigger(hour=3, minute=0, timezone=zone),
        args=[app],
        id=HOUSEKEEPING,
        name="Housekeeping",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(timedelta(hours=12).total_seconds()),
    )
    return scheduler


def run_scheduler(app: Flask) -> None:
    """Run the scheduler until SIGTERM or Ctrl+C; a job in progress is left to finish.

    Killing it harder is safe too: the email being sent stays pending and goes on the next run.
    """
    scheduler = build_scheduler(app)

    def stop(signum, frame) -> None:
        log.info("Stopping the scheduler (signal %s).", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("Scheduler starting: %s", "; ".join(f"{job.id} ({job.trigger})" for job in scheduler.get_jobs()))
    scheduler.start()
