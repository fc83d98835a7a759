"""A person's deadlines as a private, revocable calendar feed."""

from datetime import date

from icalendar import Calendar

from tests.factories import make_action, make_organisation, make_role
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Membership, Status
from tracker.models.board import CalendarFeed
from tracker.services.reminders import calendar


def _address_from(page) -> str:
    return page.select_one("#calendar-address").text.strip()


def test_a_feed_lists_the_deadlines_of_roles_held_and_is_revoked_by_the_owner(client_request, board_organisation):
    board = board_organisation
    # Morgan holds the Head of Service role (2, 3 and iv) and deputises for another organisation's role.
    elsewhere = make_organisation("Partner YOS")
    db.session.add(Membership(user=board.manager, organisation=elsewhere, access_level=AccessLevel.OWNER))
    deputy_role = make_role(elsewhere, "Partnership lead", holder="lead@example.org")
    deputy_role.deputy = board.head.holder
    partner_action = make_action(elsewhere, owners=[deputy_role], number="7", due_on=date(2026, 8, 1))
    board.actions["iv"].status = Status.COMPLETED  # closed: not a deadline any more
    db.session.commit()

    client_request.login(board.manager)
    assert client_request.get("calendar.index").select_one("#calendar-address") is None
    page = client_request.post("calendar.create", _expected_status=200)
    address = _address_from(page)
    assert address.startswith("http://127.0.0.1:5000/calendar/") and address.endswith(".ics")
    feed = db.session.query(CalendarFeed).one()
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in feed.token_sha256 and len(feed.token_sha256) == 64  # only the hash is kept

    client_request.logout()  # calendar apps do not sign in
    path = address.removeprefix("http://127.0.0.1:5000")
    response = client_request.client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    due = {str(event["summary"]): event.decoded("dtstart") for event in events}
    assert due == {
        "Due: recommendation 2, Eastbrook YOS": date(2026, 2, 1),
        "Due: recommendation 3, Eastbrook YOS": date(2026, 3, 1),
        "Due: recommendation 7, Partner YOS": date(2026, 8, 1),
    }
    urls = {str(event["url"]) for event in events}
    assert f"http://127.0.0.1:5000/actions/{partner_action.id}" in urls

    client_request.login(board.manager)
    client_request.post("calendar.revoke", _expected_redirect="/calendar")
    assert client_request.client.get(path).status_code == 404
    events = [event.event for event in db.session.query(AuditEvent).filter(AuditEvent.event.like("calendar_feed.%"))]
    assert events == ["calendar_feed.created", "calendar_feed.revoked"]


def test_a_new_address_replaces_the_old_one(client_request, board_organisation):
    board = board_organisation
    client_request.login(board.member)
    first = _address_from(client_request.post("calendar.create", _expected_status=200)).removeprefix(
        "http://127.0.0.1:5000"
    )
    page = client_request.get("calendar.index")
    assert page.select_one("#calendar-address") is None  # never shown again
    assert "recommendation 1" in page.select_one("#calendar-deadlines").text
    second = _address_from(client_request.post("calendar.create", _expected_status=200)).removeprefix(
        "http://127.0.0.1:5000"
    )
    assert client_request.client.get(first).status_code == 404
    assert client_request.client.get(second).status_code == 200
    assert db.session.query(CalendarFeed).filter_by(revoked_at=None).count() == 1


def test_unknown_tokens_deactivated_users_and_former_members_get_nothing(app, board_organisation):
    board = board_organisation
    assert calendar.user_for_token("not-a-token") is None and calendar.user_for_token("") is None
    new = calendar.create_feed(board.manager)
    assert calendar.user_for_token(new.token) == board.manager
    board.manager.active = False
    assert calendar.user_for_token(new.token) is None
    board.manager.active = True
    db.session.query(Membership).filter_by(user_id=board.manager.id).delete()
    assert calendar.deadlines_for(board.manager) == []


def test_the_feed_route_declares_its_token_permission(app):
    assert app.view_functions["calendar.feed"].permission == "calendar feed token"
