"""Two web servers behind a load balancer, each with its own instance folder, share one
PostgreSQL database: a report uploaded and staged on one is reviewed and saved on the other,
and evidence posted on one is downloaded from the other (the database file store)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup
from werkzeug.serving import make_server

from tests.factories import make_action, make_organisation, make_role, make_user
from tests.web.test_reports import REPORT_TEXT
from tracker.extensions import db
from tracker.models import AccessLevel, Evidence, FileContent, Report

EVIDENCE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def two_servers(app, database_url, tmp_path) -> Iterator[list[str]]:
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "Two servers sharing files need PostgreSQL (the database file store); this run uses SQLite. "
            "Set TEST_DATABASE_URL to a PostgreSQL database to run it (CI does)."
        )
    from tracker import create_app

    servers, addresses = [], []
    for name in ("first", "second"):
        instance = tmp_path / name
        server_app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_DIR=str(instance / "uploads"))
        server = make_server("127.0.0.1", 0, server_app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        addresses.append(f"http://127.0.0.1:{server.server_port}")
    yield addresses
    for server in servers:
        server.shutdown()
        server.server_close()


def _page(response: requests.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _csrf(session: requests.Session, url: str) -> str:
    response = session.get(url, allow_redirects=False)
    assert response.status_code == 200, response.text[:500]
    return _page(response).select_one("input[name=csrf_token]")["value"]


def _form_data(form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for field in form.select("input[name], textarea[name]"):
        if field.get("type") in ("submit", "radio", "checkbox") and not field.has_attr("checked"):
            continue
        value = field.text if field.name == "textarea" else field.get("value", "")
        data.setdefault(field["name"], []).append(value)
    return data


def test_upload_on_one_server_review_save_and_download_on_the_other(app, two_servers, tmp_path):
    first, second = two_servers
    organisation = make_organisation("Eastbrook YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation, owners=[make_role(organisation, holder=manager)])
    db.session.commit()
    browser = requests.Session()
    response = browser.post(
        f"{first}/sign-in",
        allow_redirects=False,
        data={
            "email": manager.email,
            "password": manager.test_password,
            "csrf_token": _csrf(browser, f"{first}/sign-in"),
        },
    )
    assert response.status_code == 302, response.text[:500]

    # Upload and stage on the first server.
    upload_url = f"{first}/organisations/{organisation.slug}/reports/import"
    response = browser.post(
        upload_url,
        data={"csrf_token": _csrf(browser, upload_url)},
        files={"report": ("eastbrook.md", REPORT_TEXT.encode())},
    )
    assert response.status_code == 200, response.text[:500]
    review = _page(response).select_one("form[action$='/reports/review']")
    assert not (tmp_path / "second" / "uploads" / "staging").exists()

    # Review and save on the second, which never saw the upload.
    data = _form_data(review)
    # "Save anyway": the report's deadlines may already be past, which the review would ask about
    # first; what this test is about is the staged file, not those checks (tested in test_import_review).
    data["operation"] = ["confirm-anyway"]
    response = browser.post(f"{second}{review['action']}", data=data, allow_redirects=False)
    assert response.status_code == 302, _page(response).get_text(" ", strip=True)[:800]
    db.session.expire_all()
    report = db.session.query(Report).filter_by(source_filename="eastbrook.md").one()
    assert db.session.get(FileContent, report.source_path).data == REPORT_TEXT.encode()

    # Evidence posted on the first server is downloaded from the second.
    action_url = f"{first}/actions/{action.id}"
    response = browser.post(
        f"{action_url}/updates",
        allow_redirects=False,
        data={
            "csrf_token": _csrf(browser, action_url),
            "note": "Audit attached",
            "status": "unchanged",
            "flag": "unchanged",
            "version": str(action.version),
        },
        files={"evidence": ("audit.pdf", EVIDENCE)},
    )
    assert response.status_code == 302, _page(response).get_text(" ", strip=True)[:800]
    evidence = db.session.query(Evidence).one()
    assert not Path(tmp_path / "second" / "uploads" / evidence.stored_path).exists()
    download = browser.get(f"{second}/evidence/{evidence.id}")
    assert download.status_code == 200
    assert download.content == EVIDENCE
    assert Path(tmp_path / "second" / "uploads" / evidence.stored_path).read_bytes() == EVIDENCE
