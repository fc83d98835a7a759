"""Shared test fixtures.

- The database is built by the Alembic migrations (never `create_all`), once per run: a
  temporary SQLite file by default, or the PostgreSQL database in TEST_DATABASE_URL.
- Every test starts with empty tables (rows are deleted after each test), so tests that use
  real subprocesses or concurrent connections see committed data like production does.
- Outgoing connections to anything but loopback fail loudly.
- `client_request` GETs or POSTs by endpoint, checks the status and returns parsed HTML.
"""

from __future__ import annotations

import contextvars
import ipaddress
import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import text

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


# --- No network but loopback ---------------------------------------------------------------

_real_connect = socket.socket.connect


def _loopback_only_connect(self: socket.socket, address, *args, **kwargs):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            is_loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            is_loopback = host == "localhost"
        if not is_loopback:
            raise RuntimeError(f"Test tried to connect to {address!r}: only loopback is allowed")
    return _real_connect(self, address, *args, **kwargs)


socket.socket.connect = _loopback_only_connect  # type: ignore[method-assign]


# --- The application and its database ------------------------------------------------------


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL when TEST_DATABASE_URL says so; otherwise a fresh SQLite file for this run."""
    from config import normalise_database_url

    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    url = normalise_database_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and url.startswith("postgresql"):
        url = _database_of_its_own(url, worker)
    return url


def _database_of_its_own(url: str, worker: str) -> str:
    """Under pytest-xdist each worker drops and rebuilds its schema, so each gets its own database."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.extensions import db

    application = create_app(
        "test", SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads"))
    )
    with application.app_context():
        _reset_schema(db)
        upgrade()
        yield application
        db.session.remove()


@pytest.fixture
def another_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Make more apps on the test database (a second worker, a production configuration); each
    one's pooled connections are closed when the test ends, not left to the garbage collector."""
    from tracker import create_app
    from tracker.extensions import db

    made: list[Flask] = []

    def make(config_name: str = "test", **settings: Any) -> Flask:
        settings.setdefault("SQLALCHEMY_DATABASE_URI", database_url)
        made.append(create_app(config_name, **settings))
        return made[-1]

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()


def _reset_schema(db) -> None:
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    from tracker.extensions import cache, db

    db.session.rollback()
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    # The next test starts ids and change counters from the beginning again, as a new
    # database would; pages kept from this one would match its keys.
    cache.clear()


@pytest.fixture
def no_page_cache(app: Flask) -> Iterator[None]:
    """Render every page every time (as CACHE_TYPE=NullCache does), for tests that measure rendering."""
    from cachelib import NullCache

    from tracker.extensions import cache

    kept = app.extensions["cache"][cache]
    app.extensions["cache"][cache] = NullCache()
    yield
    app.extensions["cache"][cache] = kept


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context and database session.

    The tests hold an app context for the factories; without this, requests would share it
    (and `g`, and the session) with the test and with each other, which production never does.
    """

    def open(self, *args, **kwargs):
        # Buffered: the body is read and closed at once, as a server does after sending it; a file that
        # a view sends would otherwise stay open until garbage collection (a ResourceWarning).
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        # Werkzeug spools a large request body to a temporary file that only `response.close()`
        # closes (and, after redirects, not the first request's); the app has read it by now.
        for answered in (*response.history, response):
            if answered.request is not None:
                answered.request.input_stream.close()
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


# --- Page-test helper ----------------------------------------------------------------------


@dataclass
class ClientRequest:
    """GET or POST a page by endpoint, check the status, and return the parsed page."""

    client: FlaskClient
    app: Flask
    user: object | None = None
    _csrf_token: str | None = field(default=None, repr=False)

    def url(self, endpoint: str, **values) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def login(self, user) -> None:
        """Sign in through the real sign-in form."""
        self.logout()
        page = self.get("auth.sign_in")
        token = page.select_one("input[name=csrf_token]")["value"]
        response = self.client.post(
            self.url("auth.sign_in"), data={"email": user.email, "password": user.test_password, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.user = user
        self._csrf_token = None

    def logout(self) -> None:
        self.client.delete_cookie("session")
        self.user = None
        self._csrf_token = None

    def get(self, endpoint: str, _expected_status: int = 200, _follow: bool = False, **values) -> BeautifulSoup:
        response = self.client.get(self.url(endpoint, **values), follow_redirects=_follow)
        assert response.status_code == _expected_status, (
            f"GET {endpoint} gave {response.status_code}, expected {_expected_status}\n"
            + response.get_data(as_text=True)[:1000]
        )
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def csrf_token(self) -> str:
        if self._csrf_token is None:
            page = self.get("dashboard.index") if self.user else self.get("auth.sign_in")
            self._csrf_token = page.select_one("input[name=csrf_token]")["value"]
        return self._csrf_token

    def post(
        self,
        endpoint: str,
        data: dict | None = None,
        _expected_status: int = 302,
        _expected_redirect: str | None = None,
        _follow: bool = False,
        **values,
    ) -> BeautifulSoup:
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        response = self.client.post(self.url(endpoint, **values), data=payload, follow_redirects=_follow)
        assert response.status_code == _expected_status, (
            f"POST {endpoint} gave {response.status_code}, expected {_expected_status}\n"
            + response.get_data(as_text=True)[:2000]
        )
        if _expected_redirect is not None:
            assert response.headers["Location"] == _expected_redirect
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def client_request(app: Flask, client: FlaskClient) -> ClientRequest:
    return ClientRequest(client=client, app=app)


def normalise_whitespace(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


# --- Time and email ------------------------------------------------------------------------


@pytest.fixture
def travel():
    """Move time explicitly: `travel("2026-03-01")` sets now to UTC noon on that day, and
    `travel("2026-03-01T12:20:00")` to that moment (UTC)."""
    import time_machine

    travellers = []

    def go(day: str):
        moment = day if "T" in day else f"{day}T12:00:00"
        traveller = time_machine.travel(f"{moment}+00:00", tick=False)
        traveller.start()
        travellers.append(traveller)
        return traveller

    yield go
    for traveller in reversed(travellers):
        traveller.stop()


class RecordingHandler:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[RecordingHandler]:
    """A real SMTP server on loopback; the app sends to it for the length of the test."""
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    previous = app.config["MAIL_PORT"], app.config["MAIL_SERVER"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield handler
    finally:
        controller.stop()
        app.config["MAIL_PORT"], app.config["MAIL_SERVER"] = previous


def skip_without_shared() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared reports are not available here")
