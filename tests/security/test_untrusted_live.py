"""Two slow hostile uploads at once, against a real threaded server on loopback, leave /healthz
answering: the web workers only wait on the child processes that read the files."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from bs4 import BeautifulSoup
from werkzeug.serving import make_server

from tests import hostile_files
from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import Report


@pytest.fixture
def server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _token(response: requests.Response) -> str:
    return BeautifulSoup(response.text, "html.parser").select_one("input[name=csrf_token]")["value"]


def _signed_in(server: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    token = _token(session.get(f"{server}/sign-in", timeout=10))
    response = session.post(
        f"{server}/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:300]
    return session


def test_two_hostile_uploads_at_once_leave_healthz_answering(app, server, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "UNTRUSTED_FILE_TIMEOUT_SECONDS", 5.0)
    organisation = make_organisation()
    users = [make_user(organisation), make_user(organisation)]
    db.session.commit()
    credentials = [(user.email, user.test_password) for user in users]
    upload_url = f"{server}/organisations/{organisation.slug}/reports/import"
    slow = hostile_files.many_pages_pdf(pages=900)  # takes well over 5 seconds to read

    def upload(credentials: tuple[str, str]) -> tuple[int, str, float]:
        session = _signed_in(server, *credentials)
        token = _token(session.get(upload_url, timeout=10))
        started = time.perf_counter()
        response = session.post(
            upload_url, data={"csrf_token": token}, files={"report": ("long.pdf", slow)}, timeout=60
        )
        return response.status_code, response.text, time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=2) as pool:
        uploads = [pool.submit(upload, pair) for pair in credentials]
        time.sleep(1.0)  # both uploads are now being read
        answers = []
        for _ in range(6):
            started = time.perf_counter()
            response = requests.get(f"{server}/healthz", timeout=5)
            answers.append((response.status_code, time.perf_counter() - started))
            time.sleep(0.5)
        results = [future.result() for future in uploads]
    assert all(status == 200 for status, _ in answers)
    assert max(seconds for _, seconds in answers) < 2.0, answers
    for status, text, seconds in results:
        assert status == 400
        assert "could not be read in time" in BeautifulSoup(text, "html.parser").select_one(".govuk-error-summary").text
        assert seconds < 10.0
    assert db.session.query(Report).count() == 0
