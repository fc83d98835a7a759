"""The scheduler: explicit jobs in Europe/London, one at a time, never in a web worker."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from tests.factories import make_action, make_organisation, make_role
from tests.reminders.conftest import REPO, received_per_notification, skip_unless_postgresql
from tracker import jobs
from tracker.extensions import db
from tracker.models import Notification
from tracker.models.notification import SchedulerRun


def test_the_scheduler_has_three_explicit_jobs_in_london_time(app, travel):
    travel("2026-06-23")  # 13:00 in London, after the reminder hour, and no run recorded today
    scheduler = jobs.build_scheduler(app)
    assert str(scheduler.timezone) == "Europe/London"
    by_id = {job.id: job for job in scheduler.get_jobs()}
    assert set(by_id) == {"send-due-reminders", "deliver-outbox", "housekeeping"}

    daily = by_id["send-due-reminders"]
    assert str(daily.trigger.timezone) == "Europe/London"
    assert {field.name: str(field) for field in daily.trigger.fields}["hour"] == str(app.config["REMINDER_HOUR"])
    assert daily.misfire_grace_time == 12 * 3600 and daily.coalesce and daily.max_instances == 1
    # The day's run was missed (the scheduler was not running at 07:00), so it runs at once.
    assert daily.next_run_time == datetime(2026, 6, 23, 12, tzinfo=UTC)

    outbox = by_id["deliver-outbox"]
    assert outbox.trigger.interval == timedelta(minutes=app.config["OUTBOX_INTERVAL_MINUTES"])
    assert outbox.misfire_grace_time == app.config["OUTBOX_INTERVAL_MINUTES"] * 60 and outbox.coalesce


def test_the_days_run_is_not_repeated_at_start_when_it_already_ran(app, travel):
    travel("2026-06-23")
    db.session.add(SchedulerRun(job_id="send-due-reminders", last_succeeded_at=datetime(2026, 6, 23, 6, 0, tzinfo=UTC)))
    db.session.commit()
    now = datetime.now(UTC)
    assert not jobs.reminders_missed_today(app, now)
    assert jobs.reminders_missed_today(app, now + timedelta(days=1))
    # Before the reminder hour there is nothing to catch up yet.
    early = datetime(2026, 6, 24, 5, 0, tzinfo=ZoneInfo("Europe/London"))
    assert not jobs.reminders_missed_today(app, early)


def test_a_job_run_is_recorded_for_administrators(app, smtp_server, travel):
    travel("2026-06-23")
    organisation = make_organisation()
    make_action(organisation, owners=[make_role(organisation, holder="head@example.org")], due_on=date(2026, 6, 30))
    db.session.commit()
    assert jobs.send_due_reminders(app) == "Queued 1, sent 1, failed 0, skipped 0"
    run = db.session.scalar(select(SchedulerRun).filter_by(job_id="send-due-reminders"))
    assert run.last_succeeded_at == datetime(2026, 6, 23, 12, tzinfo=UTC)
    assert run.last_outcome == "Queued 1, sent 1, failed 0, skipped 0" and run.last_error is None
    assert jobs.deliver_outbox(app) == "Sent 0, failed 0, 0 to retry"


def test_a_failing_job_records_the_error_and_keeps_the_last_success(app, travel):
    travel("2026-06-23")
    db.session.add(
        SchedulerRun(
            job_id="send-due-reminders",
            last_succeeded_at=datetime(2026, 6, 22, 6, tzinfo=UTC),
            last_outcome="Queued 0, sent 0, failed 0, skipped 0",
        )
    )
    db.session.commit()

    def broken() -> str:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        jobs.run_exclusively("send-due-reminders", broken)
    run = db.session.scalar(select(SchedulerRun).filter_by(job_id="send-due-reminders"))
    db.session.refresh(run)
    assert run.last_error == "RuntimeError: the database went away"
    assert run.last_succeeded_at == datetime(2026, 6, 22, 6, tzinfo=UTC)


def test_a_second_scheduler_skips_a_job_another_one_is_running(app, smtp_server, travel):
    skip_unless_postgresql("The advisory lock")
    travel("2026-06-23")
    organisation = make_organisation()
    make_action(organisation, owners=[make_role(organisation, holder="head@example.org")], due_on=date(2026, 6, 30))
    db.session.commit()
    with db.engine.connect() as other_scheduler:  # holds the job's lock, as a running scheduler does
        other_scheduler.execute(select(func.pg_advisory_xact_lock(jobs.advisory_lock_key("send-due-reminders"))))
        assert jobs.send_due_reminders(app) is None
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
        # Another job's lock is separate.
        assert jobs.deliver_outbox(app) == "Sent 0, failed 0, 0 to retry"
        other_scheduler.rollback()
    assert jobs.send_due_reminders(app).startswith("Queued 1, sent 1")
    assert sorted(received_per_notification(smtp_server).values()) == [1]


def test_the_lock_is_released_when_the_job_ends(app, travel):
    skip_unless_postgresql("The advisory lock")
    travel("2026-06-23")
    assert jobs.run_exclusively("deliver-outbox", lambda: "done") == "done"
    with db.engine.connect() as connection:
        assert connection.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": jobs.advisory_lock_key("deliver-outbox")}
        )


def test_web_workers_never_start_a_scheduler():
    """Importing the app as gunicorn does loads no scheduler and starts no thread."""
    probe = (
        "import sys, threading, wsgi; "
        "print('apscheduler' in sys.modules, 'tracker.jobs' in sys.modules, threading.active_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "TRACKER_CONFIG": "test"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "1"]


def test_housekeeping_forgets_abandoned_uploads_and_ended_sign_in_windows(app, tmp_path, travel):
    import os
    import time

    from tracker.models import SignInAttempt
    from tracker.services.imports import staging as imports
    from tracker.services.people import throttling

    app.config["UPLOAD_DIR"] = str(tmp_path)
    with app.test_request_context():
        old = imports.stage(b"an abandoned upload", "old.txt")
        fresh = imports.stage(b"a review in progress", "fresh.txt")
    old_path = tmp_path / "staging" / old.sha256
    travel("2026-06-22")
    throttling.record_failure("someone@example.org", "127.0.0.1")
    db.session.commit()
    travel("2026-06-23")
    throttling.record_failure("someone@example.org", "127.0.0.1")
    db.session.commit()
    for path, age_hours in ((old_path, 48), (tmp_path / "staging" / fresh.sha256, 1)):
        moment = time.time() - age_hours * 3600  # relative to the moved clock
        os.utime(path, (moment, moment))

    assert jobs.housekeeping(app) == "Deleted 1 staged uploads and 2 old sign-in counts."
    assert not old_path.exists() and (tmp_path / "staging" / fresh.sha256).exists()
    assert db.session.query(SignInAttempt).count() == 2  # this window's counts (email and address) remain
