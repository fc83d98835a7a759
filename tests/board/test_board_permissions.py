"""Who may see the board's pages and packs; another organisation's users get 404."""

from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel
from tracker.models.board import BoardMeeting

BOARD_READERS = {AccessLevel.ADMIN, AccessLevel.MANAGER, AccessLevel.BOARD, AccessLevel.OVERSIGHT}


@pytest.fixture
def place(app):
    organisation = make_organisation("Ours YOS")
    action = make_action(organisation)
    meeting = BoardMeeting(organisation=organisation, held_on=date(2026, 1, 20), attendees="Chair")
    db.session.add(meeting)
    db.session.commit()
    return organisation, action, meeting


def _organisation_pages(organisation, action, meeting):
    slug = organisation.slug
    return [
        ("board.dashboard", {"slug": slug}),
        ("board.meetings", {"slug": slug}),
        ("board.meeting", {"slug": slug, "meeting_id": meeting.id}),
        ("board.next_meeting", {"slug": slug}),
        ("board.record_meeting", {"slug": slug}),
        *(("board.pack", {"slug": slug, "file_format": file_format}) for file_format in ("pdf", "xlsx", "csv")),
        ("board.evidence_pack", {"report_id": action.recommendation.report_id}),
    ]


def _status(client_request, endpoint, values) -> int:
    return client_request.client.get(client_request.url(endpoint, **values)).status_code


def test_every_board_route_declares_a_permission(app):
    ours = [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in ("board", "themes", "calendar")]
    assert len(ours) == 14
    assert all(getattr(app.view_functions[rule.endpoint], "permission", None) for rule in ours)


def test_another_organisations_user_gets_404_for_every_page_and_download(client_request, place):
    organisation, action, meeting = place
    outsider = make_user(make_organisation("Theirs YOS"), AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(outsider)
    statuses = {
        endpoint: _status(client_request, endpoint, values)
        for endpoint, values in _organisation_pages(organisation, action, meeting)
    }
    assert set(statuses.values()) == {404}, statuses
    client_request.post(
        "board.record_meeting",
        slug=organisation.slug,
        _expected_status=404,
        data={"held_on": ["1", "1", "2026"], "attendees": "Intruder"},
    )
    assert db.session.query(BoardMeeting).count() == 1


@pytest.mark.parametrize("access", list(AccessLevel))
def test_who_may_read_the_board_pages_and_packs(client_request, place, access):
    organisation, action, meeting = place
    user = make_user(organisation if access is not AccessLevel.OVERSIGHT else make_organisation("YJB"), access)
    db.session.commit()
    client_request.login(user)
    for endpoint, values in _organisation_pages(organisation, action, meeting):
        if endpoint == "board.record_meeting":
            allowed = access in (AccessLevel.ADMIN, AccessLevel.MANAGER, AccessLevel.BOARD)
        else:
            allowed = access in BOARD_READERS
        assert _status(client_request, endpoint, values) == (200 if allowed else 403), endpoint
    # Everyone signed in may use the themes pages and their own calendar page.
    for endpoint in ("themes.index", "themes.search", "calendar.index"):
        client_request.get(endpoint)
    client_request.get("themes.show", theme_slug="health")


def test_signed_out_visitors_are_sent_to_sign_in(client_request, place):
    organisation, action, meeting = place
    pages = [
        *_organisation_pages(organisation, action, meeting),
        ("themes.index", {}),
        ("calendar.index", {}),
        ("themes.show", {"theme_slug": "health"}),
    ]
    for endpoint, values in pages:
        response = client_request.client.get(client_request.url(endpoint, **values))
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), endpoint
    response = client_request.client.get(client_request.url("calendar.feed", token="guess"))
    assert response.status_code == 404


def test_links_to_the_board_pages_show_only_to_those_who_may_use_them(client_request, place):
    organisation, action, _ = place
    manager = make_user(organisation, AccessLevel.MANAGER)
    owner = make_user(organisation, AccessLevel.OWNER)
    db.session.commit()
    report_id = action.recommendation.report_id
    client_request.login(manager)
    assert client_request.get("reports.index", slug=organisation.slug).select_one("a[href$='/board']")
    assert client_request.get("reports.show", report_id=report_id).select_one("a[href$='/evidence-pack.pdf']")
    client_request.login(owner)
    assert client_request.get("reports.index", slug=organisation.slug).select_one("a[href$='/board']") is None
    assert client_request.get("reports.show", report_id=report_id).select_one("a[href$='/evidence-pack.pdf']") is None
