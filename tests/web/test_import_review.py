"""The import review screen at scale: bulk tools, checks before saving, roles, source passages, bad input."""

from dataclasses import replace
from datetime import date

import pytest

from tests.factories import make_organisation, make_role, make_user
from tests.web.error_pattern import check_error_pattern
from tests.web.test_reports import REPORT_TEXT, _paste, _review
from tracker.extensions import db
from tracker.importing import ParsedRecommendation, ParsedReport, ParsedSection
from tracker.models import AccessLevel, Action, Report, Role

HEADER = REPORT_TEXT.split("The Chair of the YOS Management Board should")[0]


def numbered_report(count: int, owner_heading: str = "The YOS Head of Service should ensure that:") -> str:
    items = "\n".join(
        f"{number}. case records for group {number} are checked by a manager every month"
        for number in range(1, count + 1)
    )
    return f"{HEADER}{owner_heading}\n\n{items}\n\nContents\n\nForeword\t1\n"


@pytest.fixture
def manager_of(app, tmp_path, travel):
    travel("2025-06-02")  # the pasted report's deadlines (March 2026) are still ahead
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Eastbrook YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    return organisation, manager


def _ids(page) -> set[str]:
    return {element["id"] for element in page.select("[id]")}


def test_bulk_owners_and_deadlines_for_selected_items(client_request, manager_of):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation)
    review = _review(
        client_request,
        organisation,
        review,
        "bulk",
        expected=200,
        **{
            "items-0-selected": "y",
            "items-2-selected": "y",
            "bulk_owners": "Police Commander; YOS Head of Service",
            "bulk_deadline": "3",
        },
    )
    owners = [field["value"] for field in review.select("input[name$='-owners']")]
    assert owners[0] == owners[2] == "Police Commander; YOS Head of Service"
    assert owners[1] == "The Chair of the YOS Management Board"
    assert "3 months from publication" in review.select_one("#items-0-due_on-hint").text
    review = _review(client_request, organisation, review, "select:none", expected=200)
    assert not review.select("input[name$='-selected'][checked]")
    _review(client_request, organisation, review, published=["14", "3", "2025"])
    due = [action.due_on for action in db.session.query(Action).order_by(Action.id)]
    assert due == [date(2025, 6, 14), date(2026, 3, 14), date(2025, 6, 14), date(2026, 3, 14)]


def test_every_item_button_returns_to_the_item_without_javascript(client_request, manager_of):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation)
    ids = _ids(review)
    anchors = {button["formaction"].partition("#")[2] for button in review.select("button[formaction]")}
    assert {"item-1", "item-2", "item-3", "bulk"} <= anchors and anchors <= ids | {"item-5"}
    assert review.select_one("script[type=module][src$='review.mjs']")["nonce"]
    # Each item shows where it came from, and its passage is marked in the report's text.
    assert review.select_one("#item-1")["data-origin"] == "0"
    assert review.select_one("#source-0").text.startswith("1. the Board hears")


def test_checks_before_saving_link_to_each_field_and_offer_another_start_date(client_request, manager_of):
    organisation, manager = manager_of  # today is 2 June 2025
    client_request.login(manager)
    review = _paste(client_request, organisation)
    page = _review(
        client_request, organisation, review, expected=200, published=["1", "3", "2024"], **{"items-1-owners": ""}
    )
    summary = page.select_one(".govuk-error-summary")
    assert "Check before saving" in summary.text
    links = {link["href"]: link.text for link in summary.select("a")}
    assert links["#items-1-owners"].startswith("Item 2 has no owner")
    assert "1 March 2025, has already passed" in links["#items-0-due_on-day"]
    assert {href[1:] for href in links} <= _ids(page)
    owners_group = page.select_one("#items-1-owners").find_parent(class_="govuk-form-group")
    assert "govuk-form-group--error" in owners_group["class"]
    assert "Item 2 has no owner" in owners_group.select_one(".govuk-error-message").text
    assert set(check_error_pattern(page)) == {href[1:] for href in links}  # the Design System's error pattern
    assert page.select_one("#count_from-day")["value"] == "02" and db.session.query(Report).count() == 0

    page = _review(client_request, organisation, page, "count-from", expected=200)
    assert page.select_one("#items-0-due_on-year")["value"] == "2026"
    _review(client_request, organisation, page, "confirm-anyway")
    actions = db.session.query(Action).order_by(Action.id).all()
    assert {action.due_on for action in actions} == {date(2026, 6, 2)}
    assert [role.name for role in actions[1].owner_roles] == []


def test_an_existing_role_is_offered_instead_of_a_second_one(client_request, manager_of):
    organisation, manager = manager_of
    make_role(organisation, "YOS Head of Service")
    db.session.commit()
    client_request.login(manager)
    review = _paste(client_request, organisation, text=numbered_report(2, "The Head of Service should ensure that:"))
    assert "looks like your role “YOS Head of Service”" in review.select_one("#items-0-owners-hint").text
    page = _review(client_request, organisation, review, expected=200)  # not quietly made a second role
    assert "looks like your role" in page.select_one(".govuk-error-summary").text
    page = _review(client_request, organisation, page, "use-roles", expected=200)
    assert [field["value"] for field in page.select("input[name$='-owners']")] == ["YOS Head of Service"] * 2
    _review(client_request, organisation, page)
    assert [role.name for role in db.session.query(Role)] == ["YOS Head of Service"]


@pytest.mark.parametrize(
    "operation, changes, field",
    [
        ("bulk", {"bulk_owners": "Police"}, "bulk_owners"),
        ("bulk", {"items-0-selected": "y", "bulk_deadline": "months"}, "bulk_months"),
        ("bulk", {"items-0-selected": "y", "bulk_deadline": "date"}, "bulk_due_on-day"),
        ("add-text", {"new_item_text": "  "}, "new_item_text"),
        ("count-from", {"count_from": ["", "", ""]}, "count_from-day"),
    ],
)
def test_a_tool_used_wrongly_links_to_its_field_and_changes_nothing(
    client_request, manager_of, operation, changes, field
):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation)
    page = _review(client_request, organisation, review, operation, expected=400, **changes)
    link = page.select_one(".govuk-error-summary a")
    assert link["href"] == f"#{field}" and page.select_one(f"#{field}")
    group = page.select_one(f"#{field}").find_parent(class_="govuk-form-group--error")
    assert group is not None and link.text in group.select_one(".govuk-error-message").text
    assert list(check_error_pattern(page)) == [field]
    assert [area.text for area in page.select("textarea[name$='-text']")][:4] == [
        area.text for area in review.select("textarea[name$='-text']")
    ][:4]
    assert not page.select("button[value='confirm-anyway']")


@pytest.mark.parametrize(
    "changes",
    [
        {"operation": "split:\u00b2"},
        {"items-0-deadline_months": "\u00b2"},
        {"bulk_months": "\u00b2", "bulk_deadline": "months", "items-0-selected": "y", "operation": "bulk"},
        {"bulk_deadline": "\u00b2"},
        {"items-\u00b2-text": "sneaky", "operation": "refresh"},
    ],
)
def test_unicode_digits_give_a_clear_error_and_change_nothing(client_request, manager_of, changes):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation)
    operation = changes.pop("operation", "confirm")
    expected = 200 if operation == "refresh" else 400
    page = _review(client_request, organisation, review, operation, expected=expected, **changes)
    if expected == 400:
        assert page.select_one(".govuk-error-summary a") or page.select_one(".govuk-error-summary li")
    assert len(page.select("textarea[name^='items-'][name$='-text']")) == 4
    assert db.session.query(Report).count() == 0


def test_a_report_with_more_than_300_recommendations_can_be_reviewed_and_saved(client_request, manager_of):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation, text=numbered_report(320))
    assert len(review.select("textarea[name^='items-'][name$='-text']")) == 320
    _review(client_request, organisation, review)
    assert len(db.session.query(Report).one().recommendations) == 320


def test_the_review_of_40_items_stays_light(client_request, manager_of, capsys):
    organisation, manager = manager_of
    client_request.login(manager)
    response = client_request.client.post(
        client_request.url("reports.paste", slug=organisation.slug),
        data={"csrf_token": client_request.csrf_token(), "text": numbered_report(40), "filename": "forty"},
    )
    assert response.status_code == 200
    size = len(response.get_data())
    with capsys.disabled():
        print(f"\nreview page at 40 items: {size / 1024:.0f} KiB of HTML")
    assert size < 250_000


def test_sections_groups_partial_reading_and_reasons_are_shown(client_request, manager_of, monkeypatch):
    """The parser's account of what it read (built here by hand, as the parser would return it)."""
    organisation, manager = manager_of
    text = (
        "Intro\nWhat needs to improve?\nWithin three months:\n\u2022 Plans are reviewed.\n\u2022 Staff are trained.\n"
    )
    first, second = text.index("\u2022 Plans"), text.index("\u2022 Staff")

    def item(number, start, end):
        return ParsedRecommendation(
            number=number,
            text=text[start + 2 : end].strip(),
            owners=(),
            owner_source="none",
            deadline_rule="within 3 months",
            deadline_months=3,
            source_start=start,
            source_end=end,
            source_page=4,
            source_heading="What needs to improve? › Within three months",
            group="Within three months",
            owner_reason="The report names no owner for this item.",
            deadline_reason="It is under the time group “Within three months”.",
        )

    parsed = ParsedReport(
        service="Westford",
        inspectorate="Ofsted",
        inspection_type="ILACS",
        publication_date=date(2025, 5, 16),
        date_precision="day",
        overall_rating=None,
        ratings={},
        deadline_rule="within 12 months",
        deadline_months=12,
        recommendations=(item("1", first, second), item("2", second, len(text))),
        warnings=(),
        text=text,
        recommendations_heading="What needs to improve?",
        sections=(
            ParsedSection(
                "What needs to improve?",
                4,
                2,
                (("Within three months", 2),),
                partial=True,
                note="a table on page 5 could not be read",
            ),
        ),
    )
    monkeypatch.setattr("tracker.services.imports.review.read_report", lambda data, filename: replace(parsed))
    client_request.login(manager)
    review = _paste(client_request, organisation)
    found = review.select_one("#sections-found").text
    assert "“What needs to improve?” (page 4): 2 items, of which 2 under “Within three months”" in found
    assert "a table on page 5 could not be read" in review.select_one(".govuk-warning-text").text
    origin = review.select_one("#item-2 .app-review-origin")
    assert "page 4" in origin.select_one("summary").text
    assert "Staff are trained." in origin.select_one(".app-review-passage").text
    assert "time group “Within three months”" in origin.text and "names no owner" in origin.text
    assert review.select_one("#source-1").text.startswith("\u2022 Staff")
