"""`flask tracker send-reminders [--today DATE] [--dry-run]` (the real-process runs are in test_faults.py)."""

from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_role
from tracker.extensions import db
from tracker.models import Notification


@pytest.fixture
def action_due_in_7_days(app):
    organisation = make_organisation("Lewisham YOS")
    role = make_role(organisation, "YOS Head of Service", holder="head@lewisham.example")
    vacant = make_role(organisation, "Vacant role")
    make_action(organisation, owners=[role], due_on=date(2026, 6, 30), number="3")
    make_action(organisation, owners=[vacant], due_on=date(2026, 6, 30), number="4")
    db.session.commit()


def test_send_reminders_prints_queued_sent_failed_and_skipped(app, smtp_server, action_due_in_7_days):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["tracker", "send-reminders", "--today", "2026-06-23", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    unheard = [
        "1 action had a reminder due that nobody will get: give their owner roles a holder or a deputy "
        "on the Roles page.",
        "  - Lewisham YOS: June 2025 inspection, recommendation 4 (owner role Vacant role, held by nobody)",
    ]
    assert dry.output.rstrip().splitlines() == [
        "Dry run: would queue 1, sent 0, failed 0, skipped 1 (2026-06-23).",
        *unheard,
    ]
    assert db.session.query(Notification).count() == 0 and smtp_server.messages == []

    first = runner.invoke(args=["tracker", "send-reminders", "--today", "2026-06-23"])
    assert first.output.rstrip().splitlines() == ["Queued 1, sent 1, failed 0, skipped 1 (2026-06-23).", *unheard]
    again = runner.invoke(args=["tracker", "send-reminders", "--today", "2026-06-23"])
    assert again.output.rstrip().splitlines() == ["Queued 0, sent 0, failed 0, skipped 2 (2026-06-23).", *unheard]
    assert len(smtp_server.messages) == 1


def test_a_bad_date_is_refused(app):
    result = app.test_cli_runner().invoke(args=["tracker", "send-reminders", "--today", "23/06/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_the_mail_server_being_down_is_reported_not_hidden(app, action_due_in_7_days):
    from tests.conftest import _free_port

    previous = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _free_port()  # nothing listens there
    try:
        result = app.test_cli_runner().invoke(args=["tracker", "send-reminders", "--today", "2026-06-23"])
    finally:
        app.config["MAIL_PORT"] = previous
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Queued 1, sent 0, failed 0, skipped 1 (2026-06-23); 1 failed for now and will be retried."
    )


def test_the_commands_are_listed(app):
    result = app.test_cli_runner().invoke(args=["tracker", "--help"])
    assert "send-reminders" in result.output and "scheduler" in result.output


def test_the_real_command_sends_a_real_email_once(app, database_url, smtp_server, action_due_in_7_days):
    """`flask --app wsgi tracker send-reminders --today DATE`, run as a person would, twice."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRACKER_CONFIG": "development",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(app.config["MAIL_PORT"]),
    }
    command = [
        str(Path(sys.executable).parent / "flask"),
        "--app",
        "wsgi",
        "tracker",
        "send-reminders",
        "--today",
        "2026-06-23",
    ]
    first = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Queued 1, sent 1, failed 0")
    second = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert second.stdout.startswith("Queued 0, sent 0, failed 0")
    ((recipients, message),) = smtp_server.messages
    assert recipients == ["head@lewisham.example"]
    assert message["Subject"].startswith(
        "June 2025 inspection, recommendation 3 for Lewisham YOS is due on 30 June 2026"
    )
