"""The filtered action list: exported to CSV and Excel, and bulk status changes with the rules
of a single change."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Status, Update
from tracker.services.actions import post_update


def _world(travel):
    travel("2026-03-01")
    organisation = make_organisation("Eastbrook YOS", slug="eastbrook")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Morgan Manager")
    head = make_role(organisation, "YOS Head of Service", holder=manager)
    overdue = [make_action(organisation, owners=[head], due_on=date(2026, 1, 1), text=f"Overdue {n}") for n in range(3)]
    later = [make_action(organisation, owners=[head], due_on=date(2026, 12, 1), text=f"Later {n}") for n in range(2)]
    db.session.commit()
    return organisation, manager, overdue, later


def test_the_filtered_list_exports_to_csv_and_excel(app, client_request, travel):
    organisation, manager, overdue, later = _world(travel)
    client_request.login(manager)
    page = client_request.get("actions.index", slug=organisation.slug, overdue="1")
    links = {a.text.strip(): a["href"] for a in page.select("#list-tools a")}
    assert "3 actions match the filters" in page.text
    response = client_request.client.get(links["CSV"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Action ID", "Recommendation"]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(action.id for action in overdue)
    assert rows[1][1] == "June 2025 inspection, recommendation 1" and rows[1][10] == "Red"
    workbook = load_workbook(io.BytesIO(client_request.client.get(links["Excel"]).data))
    sheet = workbook["Actions"]
    assert sheet.max_row == 4 and sheet.auto_filter.ref == "A1:N4"
    # Counts match: the list says 3, each export has 3 rows.


def test_bulk_status_change_follows_the_single_change_rules(app, client_request, travel):
    organisation, manager, overdue, later = _world(travel)
    client_request.login(manager)
    page = client_request.get("actions.index", slug=organisation.slug)
    bulk_url = page.select_one("#list-tools a[href*='bulk-status']")["href"]
    form = client_request.client.get(bulk_url)
    assert form.status_code == 200
    versions = {f"version-{action.id}": str(action.version) for action in overdue + later}

    # Completing needs evidence and a note: without them every action refuses and nothing changes.
    chosen = [str(action.id) for action in overdue]
    page = client_request.post(
        "action_lists.bulk_status",
        {**versions, "action_ids": chosen, "status": "completed"},
        _expected_status=400,
        slug=organisation.slug,
    )
    assert "none was changed" in page.select_one(".govuk-error-summary").text
    assert len(page.select("[data-refused]")) == 3
    assert "Attach evidence" in page.select_one("[data-refused]").text
    db.session.expire_all()
    assert {db.session.get(Action, action.id).status for action in overdue} == {Status.NOT_STARTED}

    # One action cannot move (already completed, so "completed" again is refused): nothing changes.
    post_update(
        later[0],
        author=manager,
        note="Done",
        new_status=Status.COMPLETED,
        links=["https://intranet.example.org/a"],
        expected_version=later[0].version,
    )
    db.session.commit()
    versions[f"version-{later[0].id}"] = str(later[0].version)
    mixed = chosen + [str(later[0].id)]
    data = {
        **versions,
        "action_ids": mixed,
        "status": "completed",
        "note": "Audit done",
        "link": "https://intranet.example.org/audit",
    }
    page = client_request.post("action_lists.bulk_status", data, _expected_status=400, slug=organisation.slug)
    assert [tag["data-refused"] for tag in page.select("[data-refused]")] == [str(later[0].id)]
    db.session.expire_all()
    assert db.session.get(Action, overdue[0].id).status is Status.NOT_STARTED

    # With evidence and a note, all three complete; each gets its own update with the link.
    client_request.post("action_lists.bulk_status", {**data, "action_ids": chosen}, slug=organisation.slug)
    db.session.expire_all()
    for action in overdue:
        action = db.session.get(Action, action.id)
        assert action.status is Status.COMPLETED
        update = db.session.scalars(select(Update).where(Update.action_id == action.id)).one()
        assert update.links == ["https://intranet.example.org/audit"] and update.note == "Audit done"

    # Signing off is a board decision, never a bulk change; and owners may not bulk-change.
    page = client_request.post(
        "action_lists.bulk_status",
        {**versions, "action_ids": chosen, "status": "verified"},
        _expected_status=400,
        slug=organisation.slug,
    )
    assert "Choose the new status" in page.text
    owner = make_user(organisation, AccessLevel.OWNER)
    db.session.commit()
    client_request.login(owner)
    client_request.get("action_lists.bulk_status", _expected_status=403, slug=organisation.slug)


def test_the_list_sorts_and_the_export_keeps_the_order(app, client_request, travel):
    organisation, manager, overdue, later = _world(travel)
    client_request.login(manager)

    def ids(page):
        found = []
        for link in page.select("table a[href^='/actions/']"):
            number = int(link["href"].split("/")[2])
            if number not in found:
                found.append(number)
        return found

    soonest = client_request.get("actions.index", slug=organisation.slug)
    latest = client_request.get("actions.index", slug=organisation.slug, sort="deadline-latest")
    assert latest.select_one("#sort option[selected]")["value"] == "deadline-latest"
    assert ids(latest)[0] in {action.id for action in later} and ids(soonest)[0] in {a.id for a in overdue}
    assert len(ids(latest)) == 5
    response = client_request.client.get(
        client_request.url("action_lists.export", slug=organisation.slug, file_format="csv", sort="deadline-latest")
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [int(row[0]) for row in rows[1:3]] == sorted(action.id for action in later)
    # Nonsense sorts fall back to the deadline order rather than failing.
    client_request.get("actions.index", slug=organisation.slug, sort="'; drop table actions")
