"""Kept pages (tracker/page_cache.py): served again only while nothing they show has changed,
and never to anyone who would see them differently.

A kept page is recognised by how few SQL statements it runs: the sign-in, the permission check
and the change counters, against a dozen for a page rendered afresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event

from tests.conftest import ClientRequest, normalise_whitespace
from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, DataVersion
from tracker.page_cache import data_version

KEPT_PAGE_STATEMENTS = 6


@contextmanager
def _counting_statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    counted: list[str] = []

    def count(*args):
        counted.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements(client_request: ClientRequest, endpoint: str, **values) -> tuple[int, str]:
    """GET a page; the number of SQL statements it ran and its text."""
    with _counting_statements() as counted:
        response = client_request.client.get(client_request.url(endpoint, **values))
    assert response.status_code == 200, response.status_code
    return len(counted), response.get_data(as_text=True)


def _shown(page: str) -> str:
    """The page's text outside its forms (which list every status and role as choices)."""
    soup = BeautifulSoup(page, "html.parser")
    for form in soup.select("form"):
        form.decompose()
    return normalise_whitespace(soup.select_one("main").text)


def _visit_twice(client_request: ClientRequest, endpoint: str, **values) -> tuple[int, int]:
    first, _ = _statements(client_request, endpoint, **values)
    second, _ = _statements(client_request, endpoint, **values)
    return first, second


PAGES = {
    "dashboard": ("dashboard.index", {}),
    "action list": ("actions.index", {"slug": "northfield"}),
    "action page": ("actions.show", {}),
}


def _page(name: str, action: Action) -> tuple[str, dict]:
    endpoint, values = PAGES[name]
    return endpoint, {**values, "action_id": action.id} if endpoint == "actions.show" else values


@pytest.mark.parametrize("name", PAGES)
def test_a_second_visit_is_served_from_the_cache_and_is_the_same_page(client_request, setting, name):
    organisation, manager, *_, action = setting
    client_request.login(manager)
    endpoint, values = _page(name, action)
    rendered, first = _statements(client_request, endpoint, **values)
    kept, second = _statements(client_request, endpoint, **values)
    assert kept <= KEPT_PAGE_STATEMENTS < rendered
    # The same page but for the per-request parts: the CSP nonce and the CSRF token.
    per_request = re.compile(r'nonce="[^"]+"|name="csrf_token" type="hidden" value="[^"]+"')
    assert per_request.sub("", first) == per_request.sub("", second)
    assert "Review plans when circumstances change" in second


def test_the_api_keeps_its_action_list_too(client, setting, app):
    from tracker.services.people.accounts import create_api_token

    organisation, manager, *_ = setting
    token = create_api_token(manager, name="test", actor=manager)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/actions?organisation={organisation.slug}"
    with _counting_statements() as rendered:
        first = client.get(path, headers=headers).get_json()
    with _counting_statements() as kept:
        second = client.get(path, headers=headers).get_json()
    assert first == second and first["total"] == 1
    assert len(kept) < len(rendered)


@pytest.mark.parametrize(
    ("endpoint", "values", "shows"),
    [
        ("board.next_meeting", {"slug": "northfield"}, "Checklist agreed"),
        ("themes.index", {}, "Assessment"),
    ],
)
def test_the_next_meeting_and_themes_pages_are_kept_until_an_update_changes_them(
    client_request, setting, endpoint, values, shows
):
    organisation, manager, board, head, chair, action = setting
    client_request.login(manager)
    first, _ = _statements(client_request, endpoint, **values)
    assert _statements(client_request, endpoint, **values)[0] <= KEPT_PAGE_STATEMENTS < first
    client_request.post(
        "actions.post",
        action_id=action.id,
        data={"note": "Checklist agreed", "status": "in_progress", "version": str(action.version)},
    )
    client_request.get(endpoint, **values)  # shows (and uses up) the update's flash message
    rendered, after = _statements(client_request, endpoint, **values)
    assert shows in _shown(after)
    assert _statements(client_request, endpoint, **values)[0] <= KEPT_PAGE_STATEMENTS < rendered


CHANGES = {
    # name: (how the manager or board member makes the change, what then shows on each page)
    "an update": (
        lambda request, action, roles: request.post(
            "actions.post",
            action_id=action.id,
            data={"note": "Checklist agreed", "status": "in_progress", "version": str(action.version)},
        ),
        "In progress",
    ),
    "a new holder": (
        lambda request, action, roles: request.post(
            "organisations.edit_role",
            slug="northfield",
            role_id=roles[0].id,
            data={"email": "dana.ray@northfield.example", "name": "Dana Ray"},
        ),
        "Dana Ray",
    ),
    "new owners": (
        lambda request, action, roles: request.post(
            "actions.owners",
            action_id=action.id,
            data={"owners": [str(roles[1].id)], "lead": str(roles[1].id), "version": str(action.version)},
        ),
        "Chair of the YOS Management Board",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("name", ["action list", "action page"])
def test_a_change_through_the_tracker_shows_at_once(client_request, setting, change, name):
    organisation, manager, board, head, chair, action = setting
    client_request.login(manager)
    endpoint, values = _page(name, action)
    make_change, shows = CHANGES[change]
    _, before = _statements(client_request, endpoint, **values)
    assert shows not in _shown(before)
    assert _statements(client_request, endpoint, **values)[0] <= KEPT_PAGE_STATEMENTS  # now kept
    make_change(client_request, action, [head, chair])
    client_request.get(endpoint, **values)  # shows (and uses up) the change's flash message
    _, after = _statements(client_request, endpoint, **values)
    assert shows in _shown(after)


def test_a_deadline_decided_by_the_board_shows_on_the_managers_kept_pages(client_request, setting):
    organisation, manager, board, head, chair, action = setting
    client_request.login(manager)
    _visit_twice(client_request, "actions.show", action_id=action.id)
    client_request.post(
        "actions.request_deadline_change",
        action_id=action.id,
        data={"new_due_on": ["30", "6", "2026"], "reason": "Waiting for the new case system"},
    )
    client_request.login(board)
    change = db.session.get(Action, action.id).deadline_changes[0]
    client_request.post(
        "actions.decide_deadline_change",
        change_id=change.id,
        data={"decision": "approve", "note": "", "version": str(action.version)},
    )
    client_request.login(manager)
    _, page = _statements(client_request, "actions.show", action_id=action.id)
    assert "30 June 2026" in _shown(page)


def test_a_kept_page_is_never_shown_to_someone_who_would_see_it_differently(client_request, setting):
    organisation, manager, board, head, chair, action = setting
    client_request.login(manager)
    assert _visit_twice(client_request, "actions.show", action_id=action.id)[1] <= KEPT_PAGE_STATEMENTS
    assert client_request.get("actions.show", action_id=action.id).select_one("form[action$='/updates']")
    client_request.login(board)
    rendered, page = _statements(client_request, "actions.show", action_id=action.id)
    assert rendered > KEPT_PAGE_STATEMENTS
    assert f'action="/actions/{action.id}/updates"' not in page

    # Another organisation's user is refused before any kept page is looked at.
    stranger = make_user(make_organisation(slug="elsewhere"), AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(stranger)
    client_request.get("actions.show", action_id=action.id, _expected_status=404)
    client_request.get("actions.index", slug="northfield", _expected_status=404)


def test_an_owner_loses_the_update_form_when_the_role_passes_to_someone_else(client_request, setting):
    organisation, manager, board, head, chair, action = setting
    owner = make_user(organisation, AccessLevel.OWNER, email="owner@northfield.example")
    db.session.commit()
    client_request.login(manager)
    client_request.post(
        "organisations.edit_role", slug="northfield", role_id=head.id, data={"email": owner.email, "name": "Olu Owner"}
    )
    client_request.login(owner)
    assert client_request.get("actions.show", action_id=action.id).select_one("form[action$='/updates']")
    assert _statements(client_request, "actions.show", action_id=action.id)[0] <= KEPT_PAGE_STATEMENTS
    client_request.login(manager)
    client_request.post(
        "organisations.edit_role",
        slug="northfield",
        role_id=head.id,
        data={"email": "someone.else@northfield.example", "name": "Someone Else"},
    )
    client_request.login(owner)
    assert client_request.get("actions.show", action_id=action.id).select_one("form[action$='/updates']") is None


def test_each_session_gets_its_own_csrf_token_and_nonce_on_a_kept_page(app, setting):
    organisation, manager, *_, action = setting
    first, second = (ClientRequest(client=app.test_client(), app=app) for _ in range(2))
    first.login(manager)
    second.login(manager)
    _statements(first, "actions.show", action_id=action.id)
    counted, page = _statements(second, "actions.show", action_id=action.id)
    assert counted <= KEPT_PAGE_STATEMENTS
    response = second.client.get(second.url("actions.show", action_id=action.id))
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert "\x00" not in response.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    posted = second.client.post(
        second.url("actions.post", action_id=action.id),
        data={"csrf_token": token, "note": "Posted from a kept page", "status": "in_progress", "version": "1"},
    )
    assert posted.status_code == 302, posted.get_data(as_text=True)[:500]


def test_flash_messages_show_once_and_are_never_kept(client_request, setting):
    organisation, manager, *_, action = setting
    client_request.login(manager)
    _visit_twice(client_request, "actions.show", action_id=action.id)
    client_request.post(
        "actions.post", action_id=action.id, data={"note": "Checklist agreed", "status": "in_progress", "version": "1"}
    )
    assert client_request.get("actions.show", action_id=action.id).select_one(".govuk-notification-banner")
    assert client_request.get("actions.show", action_id=action.id).select_one(".govuk-notification-banner") is None


def test_a_new_day_renders_afresh(client_request, setting, travel):
    organisation, manager, *_, action = setting
    travel("2026-03-31")
    client_request.login(manager)
    _visit_twice(client_request, "actions.index", slug="northfield")
    assert "overdue" not in _shown(_statements(client_request, "actions.index", slug="northfield")[1])
    travel("2026-04-01")
    client_request.login(manager)  # a sign-in lasts hours, not days
    assert "1 day overdue" in _shown(_statements(client_request, "actions.index", slug="northfield")[1])


def test_a_change_in_another_organisation_leaves_kept_pages_alone(client_request, setting):
    organisation, manager, *_, action = setting
    other = make_organisation(slug="southfield")
    other_manager = make_user(other, AccessLevel.MANAGER)
    other_action = make_action(other, owners=[make_role(other, holder=other_manager)])
    db.session.commit()
    client_request.login(manager)
    _visit_twice(client_request, "actions.index", slug="northfield")
    client_request.login(other_manager)
    client_request.post(
        "actions.post",
        action_id=other_action.id,
        data={"note": "Done elsewhere", "status": "in_progress", "version": "1"},
    )
    client_request.login(manager)
    assert _statements(client_request, "actions.index", slug="northfield")[0] <= KEPT_PAGE_STATEMENTS


def test_counters_move_with_each_committed_change_and_not_with_a_rolled_back_one(app, setting):
    from tracker.services import actions as action_service

    organisation, manager, *_, action = setting
    start = data_version([organisation.id])
    action_service.post_update(action, author=manager, note="One", expected_version=action.version)
    db.session.rollback()
    assert data_version([organisation.id]) == start
    action = db.session.get(Action, action.id)
    action_service.post_update(action, author=manager, note="Two", expected_version=action.version)
    db.session.commit()
    assert data_version([organisation.id]) == start + 1
    assert db.session.get(DataVersion, organisation.id).version == start + 1
    assert data_version([]) == 0
