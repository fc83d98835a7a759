"""Downloads (issue 19, point 6): CSV files name their character set once, and an evidence file is
kept and served under an extension that comes from its checked type, never from its upload name."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Evidence
from tracker.services.evidence import name_for_type


@pytest.fixture
def setting(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    role = make_role(organisation, holder=manager)
    action = make_action(organisation, owners=[role], due_on=date(2030, 1, 1))
    db.session.commit()
    return organisation, manager, action


def test_every_csv_download_names_its_charset_once(app, client_request, setting) -> None:
    organisation, manager, _ = setting
    client_request.login(manager)
    csv_paths = [
        f"/organisations/{organisation.slug}/actions/export.csv",
        f"/organisations/{organisation.slug}/board/pack.csv",
    ]
    for path in csv_paths:
        response = client_request.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", path
    routes = [rule.rule for rule in app.url_map.iter_rules() if "csv" in rule.rule]
    assert routes and all(
        any(part in route for part in ("actions/export", "board/pack", "oversight")) for route in routes
    )  # a new CSV route gets a line above


@pytest.mark.parametrize(
    ("uploaded", "content", "kept"),
    [
        ("payload.exe", b"This is plain text that claims to be a program.\n", "payload.txt"),
        ("minutes.html", b"<script>alert(1)</script> minutes of the board\n", "minutes.txt"),
        ("audit.final.txt", b"%PDF-1.4\n%%EOF\n", "audit.final.pdf"),
        ("photo", b"\x89PNG\r\n\x1a\n" + bytes(20), "photo.png"),
        ("...", b"notes\n", "evidence.txt"),
    ],
)
def test_evidence_is_kept_and_served_under_its_checked_type(client_request, setting, uploaded, content, kept) -> None:
    _, manager, action = setting
    client_request.login(manager)
    response = client_request.client.post(
        client_request.url("actions.post", action_id=action.id),
        content_type="multipart/form-data",
        data={
            "csrf_token": client_request.csrf_token(),
            "note": "Evidence attached",
            "status": "unchanged",
            "flag": "unchanged",
            "version": str(action.version),
            "evidence": [(io.BytesIO(content), uploaded)],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    evidence = db.session.query(Evidence).one()
    assert evidence.filename == kept
    download = client_request.client.get(f"/evidence/{evidence.id}")
    assert download.status_code == 200 and download.data == content
    assert f"filename={kept}" in download.headers["Content-Disposition"]


def test_evidence_kept_before_this_change_is_served_under_its_type(client_request, setting) -> None:
    assert name_for_type("report.exe", "application/pdf") == "report.pdf"
    assert (
        name_for_type("sheet.xlsx.html", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        == "sheet.xlsx.xlsx"
    )
    assert name_for_type("x" * 400 + ".exe", "text/plain").endswith("x.txt")
    assert len(name_for_type("x" * 400 + ".exe", "text/plain")) <= 255
