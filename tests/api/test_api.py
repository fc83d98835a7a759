import json
import threading
import urllib.error
import urllib.request
from datetime import date

import pytest
from werkzeug.serving import make_server

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Status, Update
from tracker.services.people import accounts


@pytest.fixture
def api_world(app):
    organisation = make_organisation("Northfield YOS", slug="northfield")
    manager = make_user(organisation, AccessLevel.MANAGER)
    board = make_user(organisation, AccessLevel.BOARD)
    role = make_role(organisation, "YOS Head of Service", holder=manager)
    action = make_action(organisation, owners=[role], due_on=date(2030, 1, 1), number="3")
    overdue = make_action(organisation, owners=[role], due_on=date(2020, 1, 1), status=Status.IN_PROGRESS)
    other_org = make_organisation("Elsewhere YOS", slug="elsewhere")
    theirs = make_action(other_org)
    tokens = {
        "manager": accounts.create_api_token(manager, actor="test"),
        "board": accounts.create_api_token(board, actor="test"),
    }
    db.session.commit()
    manager.test_password = "correct horse battery staple"
    return tokens, action, overdue, theirs, manager


def _call(client, method, url, token=None, body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.open(url, method=method, headers=headers, json=body)
    return response.status_code, response.get_json()


def test_a_token_is_needed_and_a_session_cookie_is_not_enough(client, client_request, api_world):
    *_, manager = api_world
    assert _call(client, "GET", "/api/v1/actions")[0] == 401
    assert _call(client, "GET", "/api/v1/actions", token="trk_wrong")[0] == 401
    client_request.login(manager)
    assert client_request.client.get("/api/v1/actions").status_code == 401


def test_list_filter_and_read_actions(client, api_world):
    tokens, action, overdue, theirs, _ = api_world
    status, body = _call(client, "GET", "/api/v1/actions", tokens["manager"])
    assert status == 200 and body["total"] == 2
    assert {item["id"] for item in body["actions"]} == {action.id, overdue.id}
    status, body = _call(client, "GET", "/api/v1/actions?overdue=1", tokens["manager"])
    assert [item["id"] for item in body["actions"]] == [overdue.id]
    assert body["actions"][0]["rag"] == "red" and "overdue" in body["actions"][0]["rag_reason"]
    status, body = _call(client, "GET", "/api/v1/actions?status=not_started&organisation=northfield", tokens["manager"])
    assert [item["id"] for item in body["actions"]] == [action.id]
    status, body = _call(client, "GET", "/api/v1/actions?per_page=1&page=2", tokens["manager"])
    assert body["pages"] == 2 and len(body["actions"]) == 1
    status, body = _call(client, "GET", f"/api/v1/actions/{action.id}", tokens["manager"])
    assert body["recommendation_number"] == "3" and body["version"] == 1 and body["updates"] == []
    assert _call(client, "GET", "/api/v1/actions?status=done", tokens["manager"])[0] == 400
    assert _call(client, "GET", "/api/v1/actions?page=x", tokens["manager"])[0] == 400


def test_another_organisations_data_is_404(client, api_world):
    tokens, _, _, theirs, _ = api_world
    assert _call(client, "GET", f"/api/v1/actions/{theirs.id}", tokens["manager"])[0] == 404
    assert (
        _call(client, "POST", f"/api/v1/actions/{theirs.id}/updates", tokens["manager"], {"note": "x", "version": 1})[0]
        == 404
    )
    assert _call(client, "GET", f"/api/v1/reports/{theirs.recommendation.report_id}", tokens["manager"])[0] == 404
    assert _call(client, "GET", "/api/v1/actions?organisation=elsewhere", tokens["manager"])[0] == 404
    status, body = _call(client, "GET", "/api/v1/reports", tokens["manager"])
    assert all(report["organisation"] == "northfield" for report in body["reports"]) and body["reports"]


def test_posting_an_update_and_the_409_on_a_stale_version(client, api_world):
    tokens, action, *_ = api_world
    status, body = _call(
        client,
        "POST",
        f"/api/v1/actions/{action.id}/updates",
        tokens["manager"],
        {"note": "Started", "status": "in_progress", "version": 1},
    )
    assert status == 201 and body["action"]["status"] == "in_progress" and body["action"]["version"] == 2
    status, body = _call(
        client,
        "POST",
        f"/api/v1/actions/{action.id}/updates",
        tokens["manager"],
        {"note": "From a stale copy", "version": 1},
    )
    assert status == 409 and body["current_version"] == 2 and "Started" in body["message"]
    assert [u.note for u in db.session.query(Update).filter_by(action_id=action.id)] == ["Started"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (None, 400),
        ({"note": "x"}, 400),
        ({"note": "x", "version": "1"}, 400),
        ({"note": 5, "version": 1}, 400),
        ({"note": "x", "version": 1, "status": "done"}, 400),
        ({"note": "x", "version": 1, "status": "verified"}, 422),
        ({"version": 1}, 422),
    ],
)
def test_bad_update_bodies_get_a_clear_error(client, api_world, body, status):
    tokens, action, *_ = api_world
    response_status, response = _call(client, "POST", f"/api/v1/actions/{action.id}/updates", tokens["manager"], body)
    assert response_status == status and response["message"]
    assert db.session.query(Update).count() == 0


def test_board_members_may_read_but_not_post(client, api_world):
    tokens, action, *_ = api_world
    assert _call(client, "GET", f"/api/v1/actions/{action.id}", tokens["board"])[0] == 200
    assert (
        _call(client, "POST", f"/api/v1/actions/{action.id}/updates", tokens["board"], {"note": "x", "version": 1})[0]
        == 403
    )


def test_fifty_concurrent_updates_lose_nothing_and_merge_nothing(app, api_world):
    """Fifty clients post at once, each with the version it last read."""
    tokens, action, *_ = api_world
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/api/v1/actions/{action.id}"
    headers = {"Authorization": f"Bearer {tokens['manager']}", "Content-Type": "application/json"}
    start = threading.Barrier(50)
    results: dict[int, tuple[int, dict]] = {}

    def client(number: int) -> None:
        with urllib.request.urlopen(urllib.request.Request(base, headers=headers), timeout=30) as response:
            version = json.load(response)["version"]
        start.wait()
        request = urllib.request.Request(
            f"{base}/updates",
            method="POST",
            headers=headers,
            data=json.dumps({"note": f"update {number}", "version": version}).encode(),
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                results[number] = (response.status, json.load(response))
        except urllib.error.HTTPError as error:
            results[number] = (error.code, json.load(error))

    threads = [threading.Thread(target=client, args=(number,)) for number in range(50)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.shutdown()

    statuses = sorted({status for status, _ in results.values()})
    assert len(results) == 50 and set(statuses) <= {201, 409}, statuses
    accepted = {number for number, (status, _) in results.items() if status == 201}
    refused = {number for number, (status, _) in results.items() if status == 409}
    assert accepted and len(accepted) + len(refused) == 50
    db.session.expire_all()
    history = db.session.query(Update).filter_by(action_id=action.id).all()
    assert sorted(update.note for update in history) == sorted(f"update {number}" for number in accepted)
    assert {results[number][1]["update_id"] for number in accepted} == {update.id for update in history}
    assert db.session.get(Action, action.id).version == 1 + len(accepted)
