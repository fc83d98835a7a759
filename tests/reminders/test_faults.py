"""Faults with real processes: a run killed mid-way, and two senders or schedulers at once.

Every test here counts what the SMTP server received per outbox row (the Message-ID names
the row) and asserts each row arrived exactly once, or precisely how it did not.
"""

import os
import signal
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role
from tests.reminders.conftest import (
    FLASK,
    REPO,
    Process,
    command_env,
    notification_id,
    received_per_notification,
    send_reminders_command,
    skip_unless_postgresql,
    wait_until,
)
from tracker.extensions import db
from tracker.models import Notification, NotificationStatus
from tracker.models.notification import SchedulerRun
from tracker.services.reminders import run as reminders

RUN_DAY = date(2026, 6, 23)
DUE = date(2026, 6, 30)


def make_reminders(count: int, due_on: date = DUE) -> list[str]:
    """`count` actions due on `due_on`, each owned by a different person; returns their emails."""
    organisation = make_organisation("Lewisham YOS")
    emails = []
    for number in range(1, count + 1):
        email = f"owner{number}@lewisham.example"
        make_action(
            organisation,
            owners=[make_role(organisation, f"Role {number}", holder=email)],
            due_on=due_on,
            number=str(number),
        )
        emails.append(email)
    db.session.commit()
    return emails


def outbox_rows() -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def test_a_run_killed_mid_way_loses_nothing_and_repeats_only_the_email_in_flight(
    app, database_url, gated_smtp, processes
):
    make_reminders(6)
    smtp = gated_smtp(hold_from=3)  # the 3rd email arrives, and its sender waits for our reply
    env = command_env(database_url, smtp.port)

    killed = Process(send_reminders_command(RUN_DAY), env)
    processes.append(killed)
    assert smtp.arrived.wait(timeout=30), killed.output
    os.kill(killed.popen.pid, signal.SIGKILL)
    assert killed.finish() == -signal.SIGKILL
    in_flight = notification_id(smtp.messages[-1][1])
    smtp.release()

    # What the killed run left: two sent and committed, the one in flight rolled back to
    # pending (its attempt was never committed), the rest untouched.
    rows = outbox_rows()
    assert len(rows) == 6
    assert [(row.status, row.attempts) for row in rows] == (
        [(NotificationStatus.SENT, 1)] * 2 + [(NotificationStatus.PENDING, 0)] * 4
    )
    assert rows[2].id == in_flight

    second = subprocess.run(
        send_reminders_command(RUN_DAY), cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 0, second.stderr
    assert "Queued 0, sent 4, failed 0, skipped 6" in second.stdout
    assert all(row.status is NotificationStatus.SENT for row in outbox_rows())

    # Nothing lost: every key arrived. Nothing duplicated, except the one email the server had
    # already taken when the sender was killed, before it could record that it was sent: that
    # one arrived exactly twice, with the same Message-ID both times (so mail systems can tell).
    counts = received_per_notification(smtp)
    assert set(counts) == {row.id for row in rows}
    assert counts[in_flight] == 2
    assert all(count == 1 for row_id, count in counts.items() if row_id != in_flight)
    copies = [message["Message-ID"] for _, message in smtp.messages if notification_id(message) == in_flight]
    assert copies[0] == copies[1]


def test_two_senders_at_once_never_take_the_same_email(app, database_url, gated_smtp, processes):
    skip_unless_postgresql("Two senders at once")
    make_reminders(6)
    # The day's emails are already queued, so the senders only deliver. (A run that queues
    # while another is sending may wait, in its INSERT, for the email in flight to finish; the
    # gate below would hold that forever. The next test covers two runs queueing at once.)
    assert reminders.queue_reminders(RUN_DAY).queued == 6
    db.session.commit()
    # Hold every email until both senders are sending. Each sender waits longer for the
    # server's reply than the server holds, so neither gives up on an email and moves on: two
    # emails in flight can only be the two senders, each holding a different row (SKIP LOCKED).
    smtp = gated_smtp(hold_from=1, hold_for=90)
    env = command_env(database_url, smtp.port, MAIL_TIMEOUT="120")
    senders = [Process(send_reminders_command(RUN_DAY), env) for _ in range(2)]
    processes.extend(senders)

    def what_happened() -> str:
        outputs = "\n".join(
            f"sender {number} (exit {sender.popen.poll()}):\n{sender.output}"
            for number, sender in enumerate(senders, 1)
        )
        rows = [(row.id, row.status.value, row.attempts) for row in outbox_rows()]
        return f"{smtp.in_flight} in flight, {len(smtp.messages)} received; outbox {rows}\n{outputs}"

    wait_until(lambda: smtp.in_flight == 2, timeout=60, message="two senders sending at once", details=what_happened)
    smtp.release()
    assert [sender.finish() for sender in senders] == [0, 0], what_happened()
    assert smtp.most_in_flight == 2, what_happened()
    counts = received_per_notification(smtp)
    assert sorted(counts.values()) == [1] * 6 and set(counts) == {row.id for row in outbox_rows()}, what_happened()
    assert all("Queued 0," in sender.output for sender in senders), what_happened()


def test_two_runs_queueing_at_once_queue_each_email_once(app, database_url, gated_smtp, processes):
    skip_unless_postgresql("Two runs at once")
    make_reminders(6)
    smtp = gated_smtp()
    env = command_env(database_url, smtp.port)
    runs = [Process(send_reminders_command(RUN_DAY), env) for _ in range(2)]
    processes.extend(runs)
    assert [run.finish(timeout=60) for run in runs] == [0, 0], [run.output for run in runs]
    queued = sorted(int(run.output.split("Queued ")[1].split(",")[0]) for run in runs)
    assert sum(queued) == 6, [run.output for run in runs]  # the outbox key made the other inserts do nothing
    rows = outbox_rows()
    assert len(rows) == 6 and all(row.status is NotificationStatus.SENT for row in rows)
    counts = received_per_notification(smtp)
    assert sorted(counts.values()) == [1] * 6 and set(counts) == {row.id for row in rows}


def london_today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def scheduler_process(database_url: str, port: int) -> Process:
    env = command_env(database_url, port, REMINDER_HOUR="0", OUTBOX_INTERVAL_MINUTES="60")
    return Process([FLASK, "--app", "wsgi", "tracker", "scheduler"], env)


def test_the_scheduler_process_runs_the_days_reminders_and_records_the_run(app, database_url, gated_smtp, processes):
    make_reminders(3, due_on=london_today() + timedelta(days=7))
    smtp = gated_smtp()
    scheduler = scheduler_process(database_url, smtp.port)
    processes.append(scheduler)
    scheduler.wait_for_line("Finished send-due-reminders: Queued 3, sent 3", timeout=30)
    scheduler.popen.send_signal(signal.SIGTERM)
    assert scheduler.finish() == 0, scheduler.output
    assert sorted(received_per_notification(smtp).values()) == [1, 1, 1]
    db.session.expire_all()
    run = db.session.scalar(select(SchedulerRun).filter_by(job_id="send-due-reminders"))
    assert run.last_succeeded_at is not None and run.last_outcome.startswith("Queued 3, sent 3")
    assert run.last_run_by.endswith(f"pid {scheduler.popen.pid}")


def test_two_schedulers_at_once_the_second_skips_the_run(app, database_url, gated_smtp, processes):
    skip_unless_postgresql("Two schedulers at once")
    make_reminders(4, due_on=london_today() + timedelta(days=7))
    smtp = gated_smtp(hold_from=1)  # the first scheduler's run stays in progress until we release it
    first = scheduler_process(database_url, smtp.port)
    processes.append(first)
    assert smtp.arrived.wait(timeout=30), first.output
    second = scheduler_process(database_url, smtp.port)
    processes.append(second)
    second.wait_for_line("Skipped send-due-reminders: another scheduler is running it.", timeout=30)
    smtp.release()
    first.wait_for_line("Finished send-due-reminders", timeout=30)
    wait_until(lambda: len(received_per_notification(smtp)) == 4, message="every reminder delivered")
    for scheduler in (first, second):
        scheduler.popen.send_signal(signal.SIGTERM)
    assert [first.finish(), second.finish()] == [0, 0]
    assert "Finished send-due-reminders" not in second.output
    counts = received_per_notification(smtp)
    assert sorted(counts.values()) == [1] * 4 and set(counts) == {row.id for row in outbox_rows()}
