"""Helpers for the reminder tests: a controllable SMTP server, subprocesses, counting emails.

Every email the outbox sends carries a Message-ID naming its outbox row
(`<tracker-notification-ID-HASH@...>`), so tests count what a mail server received per row,
and so per outbox key.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import RecordingHandler, _free_port
from tracker.extensions import db
from tracker.models import Notification

REPO = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).parent / "flask")
MESSAGE_ID = re.compile(r"<tracker-notification-(\d+)-[0-9a-f]+@")


class GatedHandler(RecordingHandler):
    """An SMTP server that records each message as it arrives and can hold its reply.

    `hold_from`: messages with this arrival number (1-based) or later wait, unanswered, until
    `release()` (or `hold_for` seconds); `arrived` is set when the first of them comes in. A message is recorded
    *before* it is held, like a real server that has the message but has not said so yet:
    a sender killed at that moment never learns that it went.
    """

    def __init__(
        self, hold_from: int | None = None, refuse: dict[str, str] | None = None, hold_for: float = 20
    ) -> None:
        super().__init__()
        self.hold_from = hold_from
        self.hold_for = hold_for
        self.refuse = refuse or {}
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.in_flight = 0
        self.most_in_flight = 0

    def release(self) -> None:
        self.released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            reply = await super().handle_DATA(server, session, envelope)
            if self.hold_from is not None and len(self.messages) >= self.hold_from:
                self.arrived.set()
                deadline = time.monotonic() + self.hold_for
                while not self.released.is_set() and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
            return reply
        finally:
            self.in_flight -= 1


@pytest.fixture
def gated_smtp(app: Flask) -> Iterator:
    """Start a GatedHandler server: `gated_smtp(hold_from=3)` returns the handler."""
    from aiosmtpd.controller import Controller

    controllers = []
    previous = app.config["MAIL_PORT"], app.config["MAIL_SERVER"]

    def start(**options) -> GatedHandler:
        handler = GatedHandler(**options)
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="localhost")
        controller.start()
        controllers.append((controller, handler))
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        handler.port = port
        return handler

    yield start
    for controller, handler in controllers:
        handler.release()
        controller.stop()
    app.config["MAIL_PORT"], app.config["MAIL_SERVER"] = previous


def notification_id(message) -> int:
    match = MESSAGE_ID.search(message["Message-ID"])
    assert match, message["Message-ID"]
    return int(match.group(1))


def received_per_notification(handler: RecordingHandler) -> Counter:
    """How many times the mail server received each outbox row's email."""
    return Counter(notification_id(message) for _, message in handler.messages)


def received(handler: RecordingHandler, start: int = 0) -> list[tuple[str, str, str]]:
    """(recipient, kind, subject) of each message from `start`, as the outbox recorded them."""
    rows = []
    for recipients, message in handler.messages[start:]:
        notification = db.session.get(Notification, notification_id(message))
        rows.append((recipients[0], notification.kind, message["Subject"]))
    return rows


def command_env(database_url: str, mail_port: int, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRACKER_CONFIG": "development",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "MAIL_TIMEOUT": "5",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def send_reminders_command(today: date) -> list[str]:
    return [FLASK, "--app", "wsgi", "tracker", "send-reminders", "--today", today.isoformat()]


class Process:
    """A real `flask` subprocess whose output lines are collected as they come."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.popen = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.popen.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.popen.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"{text!r} never appeared in the output:\n{self.output}")

    def finish(self, timeout: float = 30) -> int:
        code = self.popen.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def stop(self) -> None:
        """Kill the process if it still runs, and close its output pipe once it has been read."""
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=10)
        self._reader.join(timeout=5)
        self.popen.stdout.close()


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    """Subprocesses started by a test; any still running at the end are killed."""
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def wait_until(condition, timeout: float = 20, message: str = "condition", details=None) -> None:
    """Poll `condition` until it holds; on timeout fail, with what `details()` says if given."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {message}" + (f"\n{details()}" if details else ""))


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def skip_unless_postgresql(what: str) -> None:
    if not is_postgresql():
        reason = (
            f"{what} needs PostgreSQL (row locks and advisory locks); this run uses SQLite. "
            "Set TEST_DATABASE_URL to a PostgreSQL database to run it (CI does)."
        )
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
