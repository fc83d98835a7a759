"""Numbers taken from requests are read by one helper (ASCII digits, a 32-bit range), and every
date a person sets stays within 20 years of today (issue 19, point 4)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.inputs import whole_number, whole_numbers
from tracker.models import AccessLevel, DeadlineChange, DeadlineChangeStatus, Membership
from tracker.services import actions as action_service
from tracker.services.reminders import calendar

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "value",
    ["²", "①", "١", "٣٤", "2147483648", "9223372036854775808", "-1", "1.0", " ", "", None, "1e3", "0x10", "１２"],
)
def test_anything_but_ascii_digits_in_range_is_no_number(value) -> None:
    assert whole_number(value) is None


def test_ascii_digits_in_range_are_numbers() -> None:
    assert whole_number("0") == 0 and whole_number(" 42 ") == 42 and whole_number("2147483647") == 2147483647
    assert whole_number("2026", minimum=1990, maximum=2100) == 2026
    assert whole_number("1989", minimum=1990, maximum=2100) is None
    assert whole_numbers(["3", "²", "2147483648", "7"]) == [3, 7]


def test_an_arabic_indic_digit_never_names_a_person(client_request) -> None:
    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    leaving = make_user(organisation, AccessLevel.MANAGER)
    role = make_role(organisation, "YOS Head of Service", holder=leaving)
    db.session.commit()
    client_request.login(admin)
    page = client_request.post(
        "people.remove",
        {f"role-{role.id}": str(admin.id).translate(ARABIC_INDIC)},
        slug=organisation.slug,
        user_id=leaving.id,
        _expected_status=400,
    )
    assert "Choose who takes over YOS Head of Service" in page.select_one(".govuk-error-summary").text
    db.session.expire_all()
    assert role.holder.email == leaving.email
    assert db.session.query(Membership).filter_by(user_id=leaving.id).count() == 1


@pytest.fixture
def owned_action(travel):
    travel("2026-03-01")
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    board = make_user(organisation, AccessLevel.BOARD)
    role = make_role(organisation, holder=manager)
    action = make_action(organisation, owners=[role], due_on=date(2026, 6, 1))
    db.session.commit()
    return action, manager, board


def test_a_deadline_in_the_year_9999_cannot_be_asked_for(client_request, owned_action) -> None:
    action, manager, _ = owned_action
    client_request.login(manager)
    page = client_request.post(
        "actions.request_deadline_change",
        {"new_due_on": ["31", "12", "9999"], "reason": "More time"},
        action_id=action.id,
        _expected_status=400,
    )
    assert "Enter a date within 20 years of today" in page.select_one(".govuk-error-summary").text
    assert db.session.query(DeadlineChange).count() == 0
    with pytest.raises(action_service.InvalidUpdate, match="within 20 years"):
        action_service.request_deadline_change(
            action, requested_by=manager, new_due_on=date(2047, 1, 1), reason="More time", today=date(2026, 3, 1)
        )
    client_request.post(
        "actions.request_deadline_change",
        {"new_due_on": ["1", "3", "2046"], "reason": "More time"},
        action_id=action.id,
    )
    assert db.session.query(DeadlineChange).one().requested_due_on == date(2046, 3, 1)


def test_a_far_deadline_already_asked_for_cannot_be_approved(client_request, owned_action) -> None:
    action, manager, board = owned_action
    change = DeadlineChange(
        action=action,
        requested_by=manager,
        due_on_before=action.due_on,
        requested_due_on=date(9999, 12, 31),
        reason="Forever",
    )
    db.session.add(change)
    db.session.commit()
    client_request.login(board)
    client_request.post(
        "actions.decide_deadline_change",
        {"decision": "approve", "version": str(action.version)},
        change_id=change.id,
        _expected_status=400,
    )
    db.session.expire_all()
    assert change.status is DeadlineChangeStatus.PENDING and action.due_on == date(2026, 6, 1)


def test_the_calendar_feed_lists_a_deadline_on_the_last_day_there_is(client_request, owned_action) -> None:
    action, manager, _ = owned_action
    action.due_on = date.max  # saved before deadlines were kept in range
    token = calendar.create_feed(manager).token
    db.session.commit()
    response = client_request.client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert "DTSTART;VALUE=DATE:99991231" in response.get_data(as_text=True)
