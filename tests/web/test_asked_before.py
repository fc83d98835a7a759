""" "Asked before" in the web app: suggestions on the review screen, the action page's panel,
filters, the oversight column, themes, the board pack, the API and the command; and who may
change links (another organisation's ids are refused)."""

import io
import json
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tests.web.test_reports import _paste, _review
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Evidence, RepeatLink, RepeatState, Report, Status
from tracker.services.actions import post_update
from tracker.services.asked_before import links as asked_before
from tracker.services.asked_before.review import field_name
from tracker.services.people import accounts

SIGNED_OFF = datetime(2020, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def eastbrook(app, tmp_path, travel):
    """Eastbrook YOS, inspected in 2019: one recommendation signed off as done, one still open."""
    travel("2025-06-02")
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Eastbrook YOS", slug="eastbrook")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Morgan Manager")
    owner = make_user(organisation, AccessLevel.OWNER)
    chair = make_role(organisation, "Chair of the YOS Management Board", holder=manager)
    first = make_report(organisation, "Inspection of youth offending services in Eastbrook (2019)", date(2019, 6, 1))
    heard = make_action(
        organisation,
        report=first,
        owners=[chair],
        due_on=date(2020, 6, 1),
        number="2",
        text="The Board hears from every partner agency at each of its meetings",
    )
    plans = make_action(
        organisation,
        report=first,
        owners=[chair],
        due_on=date(2020, 6, 1),
        number="5",
        text="Plans to keep other people safe are reviewed when circumstances change",
    )
    update = post_update(
        heard,
        author=manager,
        note="Partners now report at every meeting",
        new_status=Status.COMPLETED,
        evidence_count=1,
        expected_version=1,
    )
    (tmp_path / "minutes.txt").write_text("minutes")
    db.session.add(
        Evidence(
            update=update,
            action_id=heard.id,
            filename="minutes.txt",
            media_type="text/plain",
            size_bytes=7,
            sha256="0" * 64,
            stored_path="minutes.txt",
        )
    )
    heard.status, heard.completed_at, heard.verified_at, heard.verified_by_id = (
        Status.VERIFIED,
        datetime(2020, 5, 1, 9, tzinfo=UTC),
        SIGNED_OFF,
        manager.id,
    )
    db.session.commit()
    return organisation, manager, owner, heard.recommendation, plans.recommendation


def _import_second_report(client_request, organisation, decisions):
    review = _paste(client_request, organisation)
    # "The YOS Head of Service" is none of Eastbrook's roles, so the checks ask before a new role
    # is made; the decisions on earlier recommendations must survive that round trip.
    checks = _review(client_request, organisation, review, expected=200, published=["14", "3", "2025"], **decisions)
    assert "is none of your roles" in checks.select_one(".govuk-error-summary").text
    return review, _review(client_request, organisation, checks, operation="confirm-anyway")


def test_the_review_screen_suggests_earlier_recommendations_and_saves_the_decisions(client_request, eastbrook):
    organisation, manager, owner, heard, plans = eastbrook
    client_request.login(manager)
    review = _paste(client_request, organisation)
    panel = review.select_one("#asked-before-1")
    assert "June 2019 inspection, recommendation 2" in panel.text
    assert "Chair of the YOS Management Board" in panel.text and "Verified" in panel.text
    assert "4 May 2020" in panel.text and "% close" in panel.text
    assert review.select_one("#asked-before-3") and not review.select_one("#asked-before-2")
    item_1 = "the Board hears from every partner agency at each meeting"
    item_3 = "plans to keep other people safe are reviewed when a child's circumstances change"
    _import_second_report(
        client_request, organisation, {field_name(item_1, heard): "confirm", field_name(item_3, plans): "dismiss"}
    )
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    states = {
        (link.recommendation.number, link.earlier_recommendation_id): link.state
        for link in db.session.scalars(select(RepeatLink))
    }
    assert states == {("1", heard.id): RepeatState.CONFIRMED, ("3", plans.id): RepeatState.DISMISSED}
    assert report.recommendations[0].id in set(db.session.scalars(asked_before.repeated_recommendation_ids()))
    events = [
        event.event
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.event.like("repeat_link.%")).order_by(AuditEvent.id)
        )
    ]
    assert events == ["repeat_link.suggested", "repeat_link.confirmed", "repeat_link.dismissed"]


def test_a_first_report_shows_no_suggestions(client_request, app, tmp_path, travel):
    travel("2025-06-02")
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Westbrook YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(manager)
    review = _paste(client_request, organisation)
    assert not review.select(".app-asked-before")
    _review(client_request, organisation, review, published=["14", "3", "2025"])
    assert db.session.scalars(select(RepeatLink)).all() == []


@pytest.fixture
def linked(client_request, eastbrook):
    organisation, manager, owner, heard, plans = eastbrook
    client_request.login(manager)
    _import_second_report(client_request, organisation, {})  # every suggestion left to decide later
    new = db.session.scalar(select(Report).order_by(Report.id.desc())).recommendations
    return eastbrook, new


def test_the_action_page_shows_the_earlier_story_and_managers_change_links(client_request, linked):
    (organisation, manager, owner, heard, plans), new = linked
    action = new[0].actions[0]
    page = client_request.get("actions.show", action_id=action.id)
    suggested = page.select(".app-asked-before--suggested")
    assert len(suggested) == 1 and "June 2019 inspection" in suggested[0].text
    link = asked_before.links_of(new[0])[0]
    client_request.post("asked_before.change", action_id=action.id, data={"operation": "confirm", "link": link.id})
    page = client_request.get("actions.show", action_id=action.id)
    story = page.select_one(".app-asked-before--confirmed")
    assert "Repeat after sign-off" in story.text
    assert "Met: completed on 1 May 2020, by the deadline of 1 June 2020." in story.text
    assert "Partners now report at every meeting" in story.text
    assert "Signed off as verified by Morgan Manager on 4 May 2020." in story.text
    hrefs = {anchor["href"] for anchor in story.select("a")}
    assert client_request.url("actions.show", action_id=heard.actions[0].id) in hrefs
    assert any(href.startswith("/evidence/") for href in hrefs)
    assert client_request.url("reports.show", report_id=heard.report_id) in hrefs
    # Remove it, then link another earlier recommendation by hand from the list.
    client_request.post("asked_before.change", action_id=action.id, data={"operation": "remove", "link": link.id})
    db.session.expire_all()
    assert asked_before.links_of(new[0])[0].state is RepeatState.DISMISSED
    page = client_request.get("actions.show", action_id=action.id)
    options = [option["value"] for option in page.select("#asked-before-earlier option")]
    assert str(plans.id) in options and str(new[1].id) not in options
    client_request.post("asked_before.change", action_id=action.id, data={"operation": "link", "earlier": plans.id})
    db.session.expire_all()
    assert {link.earlier_recommendation_id for link in asked_before.links_of(new[0], [RepeatState.CONFIRMED])} == {
        plans.id
    }
    audit = client_request.get("actions.audit", action_id=action.id).text
    assert "Morgan Manager removed the link between" in audit and "Morgan Manager linked" in audit


def test_links_to_itself_or_another_organisation_are_refused_with_a_message(client_request, linked):
    (organisation, manager, owner, heard, plans), new = linked
    action = new[0].actions[0]
    stranger = make_action(make_organisation("Elsewhere YOS"), text=new[0].text)
    db.session.commit()
    before = db.session.scalars(select(RepeatLink)).all()
    for data, message in (
        ({"operation": "link", "earlier": stranger.recommendation_id}, "this organisation"),
        ({"operation": "link", "earlier": new[0].id}, "cannot be linked to itself"),
        ({"operation": "link", "earlier": "9" * 30}, "this organisation"),
        ({"operation": "confirm", "link": "2147483648"}, "not one of this recommendation's"),
        ({"operation": "explode"}, "Choose what to do"),
    ):
        page = client_request.post(
            "asked_before.change", action_id=action.id, data=data, _follow=True, _expected_status=200
        )
        assert message in page.text, data
    assert db.session.scalars(select(RepeatLink)).all() == before
    other_link = RepeatLink(
        organisation_id=stranger.organisation_id,
        recommendation=stranger.recommendation,
        earlier=make_action(stranger.organisation, text="x").recommendation,
    )
    db.session.add(other_link)
    db.session.commit()
    page = client_request.post(
        "asked_before.change",
        action_id=action.id,
        _follow=True,
        _expected_status=200,
        data={"operation": "confirm", "link": other_link.id},
    )
    db.session.expire_all()
    assert "not one of this recommendation's" in page.text and other_link.state is RepeatState.SUGGESTED


def test_only_staff_of_the_organisation_may_change_links(client_request, linked):
    (organisation, manager, owner, heard, plans), new = linked
    action = new[0].actions[0]
    client_request.login(owner)
    client_request.post(
        "asked_before.change",
        action_id=action.id,
        _expected_status=403,
        data={"operation": "link", "earlier": plans.id},
    )
    assert not client_request.get("actions.show", action_id=action.id).select("form[action$='/asked-before']")
    outsider = make_user(make_organisation("Elsewhere YOS"), AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(outsider)
    client_request.post(
        "asked_before.change",
        action_id=action.id,
        _expected_status=404,
        data={"operation": "link", "earlier": plans.id},
    )
    assert asked_before.links_of(new[0], [RepeatState.CONFIRMED]) == []


@pytest.fixture
def confirmed(linked, client_request):
    (organisation, manager, owner, heard, plans), new = linked
    asked_before.decide(asked_before.links_of(new[0])[0], RepeatState.CONFIRMED, manager)
    db.session.commit()
    return organisation, manager, new


def test_lists_filter_on_repeats_and_oversight_counts_them(client_request, confirmed):
    organisation, manager, new = confirmed
    listed = client_request.get("actions.index", slug=organisation.slug, repeats="1")
    links = {anchor["href"] for anchor in listed.select("table a")}
    assert client_request.url("actions.show", action_id=new[0].actions[0].id) in links
    assert client_request.url("actions.show", action_id=new[1].actions[0].id) not in links
    dashboard = client_request.get("dashboard.index", repeats="1")
    assert dashboard.select_one("#repeats").has_attr("checked")
    shown = {anchor["href"] for anchor in dashboard.select("table a")}
    first, second = (client_request.url("actions.show", action_id=item.actions[0].id) for item in new[:2])
    assert first in shown and second not in shown
    assert second in {anchor["href"] for anchor in client_request.get("dashboard.index").select("table a")}
    overseer = make_user(make_organisation("Youth Justice Board"), AccessLevel.OVERSIGHT)
    db.session.commit()
    client_request.login(overseer)
    row = client_request.get("oversight.index").select_one("tr[data-organisation='eastbrook']")
    assert row.select_one("a[data-count='repeats']").text == "1"
    assert "1 once signed off" in row.text
    themes = client_request.get("themes.index").select_one("#repeat-themes")
    assert "Eastbrook YOS (1)" in themes.text


def test_the_board_pack_flags_repeats_once_signed_off(client_request, confirmed):
    organisation, manager, new = confirmed
    pdf = client_request.client.get(client_request.url("board.pack", slug=organisation.slug, file_format="pdf")).data
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Asked before (1, of which 1 once signed off as complete)" in text
    assert "ONCE SIGNED OFF AS COMPLETE" in text
    workbook = load_workbook(
        io.BytesIO(
            client_request.client.get(client_request.url("board.pack", slug=organisation.slug, file_format="xlsx")).data
        )
    )
    rows = [row for row in workbook["Exceptions"].iter_rows(values_only=True) if row[0] and "Asked before" in row[0]]
    assert len(rows) == 1 and rows[0][0] == "Asked before, once signed off"
    assert rows[0][1] == new[0].actions[0].id and "June 2019 inspection, recommendation 2" in rows[0][9]


def test_the_api_and_the_command_say_what_was_asked_before(client_request, app, confirmed):
    organisation, manager, new = confirmed
    token = accounts.create_api_token(manager, actor="test")
    db.session.commit()
    response = client_request.client.get(
        f"/api/v1/actions/{new[0].actions[0].id}", headers={"Authorization": f"Bearer {token}"}
    )
    asked = response.get_json()["asked_before"]
    assert [(item["number"], item["confirmed"], item["outcome"]) for item in asked] == [
        ("2", True, "Verified on 4 May 2020")
    ]
    result = app.test_cli_runner().invoke(args=["tracker", "repeats", "--org", "eastbrook", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["recommendations"][0]
    assert set(first) == {"id", "number", "text", "matches"} and first["id"] == new[0].id
    assert set(first["matches"][0]) == {"recommendation_id", "report_id", "number", "text", "score"}
    assert first["matches"][0]["recommendation_id"] == asked_before.links_of(new[0])[0].earlier_recommendation_id
    assert all(0 <= match["score"] <= 1 for item in data["recommendations"] for match in item["matches"])
    assert data["recommendations"][1]["matches"] == []
    text = app.test_cli_runner().invoke(
        args=["tracker", "repeats", "--org", "eastbrook", "--report", str(new[0].report_id)]
    )
    assert "June 2019 inspection, recommendation 2" in text.output
    refused = app.test_cli_runner().invoke(args=["tracker", "repeats", "--org", "eastbrook", "--report", "99999"])
    assert refused.exit_code == 1 and "has no report 99999" in refused.output


def test_a_report_imported_from_the_command_line_gets_suggestions_and_no_links(app, eastbrook, tmp_path):
    organisation, manager, owner, heard, plans = eastbrook
    from tests.web.test_reports import REPORT_TEXT

    report_file = tmp_path / "eastbrook-2025.txt"
    report_file.write_text(REPORT_TEXT)
    result = app.test_cli_runner().invoke(
        args=["tracker", "import", str(report_file), "--org", "eastbrook", "--published", "2025-03-14"]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    links = db.session.scalars(select(RepeatLink)).all()
    assert {link.earlier_recommendation_id for link in links} == {heard.id, plans.id}
    assert {link.state for link in links} == {RepeatState.SUGGESTED}
