"""The audit log on its own page, in sentences; the raw record for administrators only."""

from datetime import date

import time_machine

from tests.conftest import normalise_whitespace
from tests.factories import make_action, make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel
from tracker.services.actions import decide_deadline_change, request_deadline_change


def _moved_deadline():
    organisation = make_organisation("Northfield YOS")
    admin = make_user(organisation, AccessLevel.ADMIN, name="Ada Admin")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Sarah Jones")
    board = make_user(organisation, AccessLevel.BOARD, name="Ben Board")
    action = make_action(organisation, due_on=date(2025, 12, 2))
    with time_machine.travel("2025-11-12 10:00Z", tick=False):
        change = request_deadline_change(
            action,
            requested_by=manager,
            new_due_on=date(2026, 3, 31),
            reason="Waiting for the children's services review",
            today=date(2025, 11, 12),
        )
        decide_deadline_change(change, decided_by=board, approve=True, note="", expected_version=action.version)
        db.session.flush()
    db.session.commit()
    return organisation, admin, manager, board, action


def test_the_action_page_links_to_its_audit_log_which_reads_as_sentences(client_request, app):
    organisation, admin, manager, board, action = _moved_deadline()
    client_request.login(manager)
    page = client_request.get("actions.show", action_id=action.id)
    assert page.select_one("#audit ~ p a")["href"] == f"/actions/{action.id}/audit"
    assert page.find(string=lambda text: "deadline_change" in text) is None

    page = client_request.get("actions.audit", action_id=action.id)
    events = [normalise_whitespace(item.text) for item in page.select(".app-audit-log__event")]
    assert events == [
        "12 November 2025 at 10:00am Ben Board changed the deadline from 2 December 2025 to 31 March 2026 "
        "(approved by the board on 12 November 2025).",
        "12 November 2025 at 10:00am Sarah Jones asked the board to move the deadline from 2 December 2025 to "
        "31 March 2026, because \u201cWaiting for the children's services review\u201d.",
    ]
    assert "\\u0027" not in page.text and "{" not in page.select_one(".app-audit-log").text
    assert page.select_one("a[href$='/audit.json']") is None  # managers do not get the raw record


def test_only_administrators_may_download_the_raw_record(client_request, app):
    organisation, admin, manager, board, action = _moved_deadline()
    for person in (manager, board):
        client_request.login(person)
        for endpoint, values in (
            ("actions.audit_record", {"action_id": action.id}),
            ("organisations.audit_record", {"slug": organisation.slug}),
        ):
            response = client_request.client.get(client_request.url(endpoint, **values))
            assert response.status_code == 403, (person.name, endpoint)

    client_request.login(admin)
    link = client_request.get("actions.audit", action_id=action.id).select_one("a[href$='/audit.json']")
    response = client_request.client.get(link["href"])
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    events = response.get_json()["events"]
    assert [event["event"] for event in events] == ["deadline_change.approved", "deadline_change.requested"]
    assert events[0]["before"]["due_on"] == "2025-12-02" and events[0]["after"]["due_on"] == "2026-03-31"
    assert events[1]["after"]["reason"] == "Waiting for the children's services review"

    link = client_request.get("organisations.audit", slug=organisation.slug).select_one("a[href$='/audit.json']")
    records = client_request.client.get(link["href"]).get_json()
    assert records["organisation"] == organisation.slug
    assert {"deadline_change.approved", "deadline_change.requested"} <= {event["event"] for event in records["events"]}
