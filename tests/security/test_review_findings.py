"""The server errors the security review found, each now a clear answer with nothing changed."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.boardpack import WRITERS
from tracker.email import _build_message
from tracker.extensions import db
from tracker.inputs import MAX_ID, one_line, storable, whole_number
from tracker.models import AccessLevel, Evidence, Flag, Status
from tracker.services.actions import InvalidUpdate, edit_update, withdraw_action
from tracker.services.board.pack import board_pack
from tracker.services.people import accounts


@pytest.fixture
def setting(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation(slug="reviewed")
    manager = make_user(organisation, AccessLevel.MANAGER)
    role = make_role(organisation, holder=manager)
    action = make_action(organisation, owners=[role], due_on=date(2030, 1, 1))
    db.session.commit()
    return organisation, manager, action


def test_numbers_are_read_with_ascii_digits_only():
    assert [whole_number(value) for value in ("12", " 7 ", "²", "١٢", "-1", "", None, "9" * 30)] == [
        12,
        7,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert MAX_ID == 2**31 - 1
    assert storable("note") and not storable("a\ud800b") and not storable("a\x00b")


def test_ids_too_large_for_the_database_are_not_found(client_request, setting):
    *_, manager, action = setting
    client_request.login(manager)
    for too_large in (2**31, 2**63 + 1):
        assert client_request.client.get(f"/actions/{too_large}").status_code == 404
    assert client_request.client.get(f"/actions/{action.id}").status_code == 200


def test_the_api_answers_deep_json_surrogates_and_large_versions_with_json(client, setting):
    organisation, manager, action = setting
    token = accounts.create_api_token(manager, actor="test")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    for body in ("[" * 5000 + "]" * 5000, '{"note": "\\ud800", "version": 1}', '{"note": "x", "version": 2147483648}'):
        response = client.post(
            f"/api/v1/actions/{action.id}/updates", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 400 and response.is_json, body[:20]
    assert db.session.get(type(action), action.id).version == action.version
    assert client.get("/api/v1/actions", query_string={"owner": "²"}, headers=headers).status_code == 400
    assert client.get("/api/v1/actions", query_string={"owner": str(2**40)}, headers=headers).status_code == 400


def test_the_apis_413_and_500_answers_are_json(app, client, setting, monkeypatch):
    organisation, manager, action = setting
    token = accounts.create_api_token(manager, actor="test")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post(
        f"/api/v1/actions/{action.id}/updates",
        data="x" * (app.config["MAX_CONTENT_LENGTH"] + 1),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 413 and response.get_json()["error"] == "413"

    from tracker.views import api

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api.queries, "action_page", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/api/v1/actions", headers=headers)
    assert response.status_code == 500 and response.get_json() == {
        "error": "500",
        "message": "Something went wrong on our side.",
    }


def test_a_flag_reason_of_300_unbroken_wide_characters_still_makes_a_pdf_pack(app, setting):
    organisation, manager, action = setting
    action.flag, action.flag_reason = Flag.BLOCKED, "Ｗ" * 300 + "漢" * 300
    db.session.commit()
    with app.test_request_context():
        content = WRITERS["pdf"](board_pack(organisation, date(2026, 3, 1)))
    assert content.startswith(b"%PDF")


def test_long_nul_and_odd_file_names(client_request, setting):
    organisation, manager, action = setting
    client_request.login(manager)

    def post(name):
        return client_request.client.post(
            f"/actions/{action.id}/updates",
            content_type="multipart/form-data",
            data={
                "csrf_token": client_request.csrf_token(),
                "note": "Evidence",
                "status": "unchanged",
                "flag": "unchanged",
                "version": str(action.version),
                "evidence": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), name),
            },
        )

    assert post("a\x00b.pdf").status_code == 400
    assert db.session.query(Evidence).count() == 0
    assert post("x" * 400 + ".pdf").status_code == 302
    kept = db.session.query(Evidence).one()
    assert len(kept.filename) == 255 and kept.filename.endswith(".pdf")


def test_line_breaks_are_folded_out_of_email_subjects(app):
    assert one_line("Step one\r\nand two\n") == "Step one and two"
    with app.app_context():
        message = _build_message(
            to="a@example.org", subject="Reminder: Step\nBcc: x@example.org", text="t", html="<p>t</p>", reference=None
        )
    assert message["Subject"] == "Reminder: Step Bcc: x@example.org"


def test_an_update_recording_a_board_decision_is_locked_against_its_author(client_request, setting):
    organisation, manager, action = setting
    record = withdraw_action(
        action,
        by=manager,
        reason="Superseded",
        board_decision="Board, 1 March, item 4",
        expected_version=action.version,
    )
    db.session.commit()
    assert action.status is Status.WITHDRAWN and record.records_board_decision
    with pytest.raises(InvalidUpdate, match="board decision"):
        edit_update(record, editor=manager, note="Never withdrawn", links=[])
    db.session.rollback()
    client_request.login(manager)
    client_request.get("actions.edit_update", update_id=record.id, _expected_status=403)
    assert db.session.get(type(record), record.id).note.startswith("Withdrawn: Superseded")
