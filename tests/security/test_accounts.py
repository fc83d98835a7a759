"""Accounts (issue 19, point 5): the reset limit counts the address as stored, the reset email
leaves after the page, failed sign-ins slow the next attempts without ever refusing the right
password, and a send-back is locked like every other board decision."""

from __future__ import annotations

import socket
import time

import pytest

from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import Notification
from tracker.services.people import throttling


def _post(client_request, url: str, data: dict, **options):
    return client_request.client.post(url, data={"csrf_token": client_request.csrf_token(), **data}, **options)


def _sign_in(client_request, email: str, password: str):
    return _post(client_request, "/sign-in", {"email": email, "password": password})


def test_the_reset_limit_counts_the_address_however_it_is_typed(client_request, smtp_server) -> None:
    user = make_user(make_organisation(), email="chair@example.org")
    db.session.commit()
    variants = [
        "chair@example.org",
        "  chair@example.org",
        "\tchair@example.org",
        "CHAIR@example.org\t",
        " \t Chair@Example.org  ",
        "   chair@example.org",
    ]
    answers = []
    for variant in variants:
        response = _post(client_request, "/forgot-password", {"email": variant})
        answers.append(response.status_code)
        response.close()
    assert answers == [200, 200, 200, 200, 200, 429]
    assert [recipients for recipients, _ in smtp_server.messages] == [[user.email]] * 5


def test_forgot_password_does_not_reach_the_mail_server_during_the_request(app, client_request, monkeypatch) -> None:
    user = make_user(make_organisation())
    db.session.commit()
    listener = socket.create_server(("127.0.0.1", 0))  # a mail server that answers nothing
    listener.settimeout(0.5)
    monkeypatch.setitem(app.config, "MAIL_PORT", listener.getsockname()[1])
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.5)
    try:
        # Unbuffered: the response stays open until closed, as on a server that is still sending it.
        response = _post(client_request, "/forgot-password", {"email": user.email}, buffered=False)
        assert response.status_code == 200
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody connected while the page was made
        response.close()  # the server has sent the page: now the email goes
        connection, _ = listener.accept()
        connection.close()
    finally:
        listener.close()
    assert db.session.query(Notification).one().attempts == 1


def test_wrong_passwords_slow_sign_in_down_but_never_lock_the_owner_out(app, client_request, monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(throttling, "pause", waits.append)
    monkeypatch.setitem(app.config, "SIGN_IN_MAX_DELAY_SECONDS", 10.0)
    chair = make_user(make_organisation())
    db.session.commit()
    for _ in range(7):
        assert _sign_in(client_request, chair.email, "a wrong guess").status_code == 400
    assert waits == [0, 0, 0, 1, 2, 4, 8]
    response = _sign_in(client_request, f"  {chair.email.upper()}", chair.test_password)
    assert response.status_code == 302  # the right password works, after the longest wait
    assert waits[-1] == 10


def test_the_wait_is_real_and_comes_before_the_password_is_checked(app, client_request, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SIGN_IN_MAX_DELAY_SECONDS", 0.4)
    monkeypatch.setitem(app.config, "SIGN_IN_FREE_FAILURES_PER_EMAIL", 1)
    chair = make_user(make_organisation())
    db.session.commit()
    for _ in range(3):
        _sign_in(client_request, chair.email, "a wrong guess")
    for password, status in (("another guess", 400), (chair.test_password, 302)):
        started = time.perf_counter()
        assert _sign_in(client_request, chair.email, password).status_code == status
        assert time.perf_counter() - started >= 0.4  # the same wait, right or wrong


def test_one_client_address_trying_many_accounts_is_slowed_too(app, client_request, monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(throttling, "pause", waits.append)
    monkeypatch.setitem(app.config, "SIGN_IN_MAX_DELAY_SECONDS", 10.0)
    monkeypatch.setitem(app.config, "SIGN_IN_FREE_FAILURES_PER_ADDRESS", 2)
    for number in range(4):
        _sign_in(client_request, f"guess{number}@example.org", "password1")
    assert waits == [0, 0, 1, 2]


def test_the_failures_are_shared_by_every_worker_and_forgotten_with_the_window(app, another_app, travel) -> None:
    travel("2026-03-01T12:01:00")
    user = make_user(make_organisation())
    db.session.commit()
    second_worker = another_app()
    for attempt in range(5):
        if attempt % 2:
            throttling.record_failure(user.email, "127.0.0.1")
            db.session.commit()
        else:
            with second_worker.app_context():
                throttling.record_failure(user.email, "127.0.0.1")
                db.session.commit()
    app.config["SIGN_IN_MAX_DELAY_SECONDS"] = 10.0
    try:
        assert throttling.sign_in_delay(user.email, "127.0.0.1") == 4
        travel("2026-03-01T12:20:00")  # the next window
        assert throttling.sign_in_delay(user.email, "127.0.0.1") == 0
    finally:
        app.config["SIGN_IN_MAX_DELAY_SECONDS"] = 0.05


# The send-back lock: tests/board/test_send_back_lock.py (it uses the board's fixture).
