"""Issue 21's review screen fixes without a browser: moving items, adding a list the parser
passed over, leading bullets, warnings that go when answered, titles and the typed name."""

from datetime import date

import pytest

from tests.factories import make_organisation, make_user
from tests.web.test_reports import _review
from tracker.extensions import db
from tracker.importing import parse_report
from tracker.models import AccessLevel, Report
from tracker.services import ServiceError
from tracker.services.imports.review import ReviewChoices, apply_operation, items_from_parsed
from tracker.services.imports.review_display import warnings_still_true
from tracker.services.imports.saving import report_title
from tracker.services.imports.staging import ImportItem

BULLETS = """Minutes of the Lowfield panel

Recommendations
• Agree a plan to recruit case managers.
• Review the use of out-of-court disposals.
• Record the views of victims in every assessment.

Areas for improvement:
1. Case managers should record the reasons for every change of plan.
2. Health workers should attend planning meetings for children in custody.
"""


def _items(*texts: str) -> list[ImportItem]:
    return [ImportItem(number=str(position), text=text, owners=()) for position, text in enumerate(texts, start=1)]


def test_items_move_up_and_down_and_not_past_the_ends() -> None:
    items = _items("a", "b", "c")
    assert [item.text for item in apply_operation(items, "move-up:1", ReviewChoices())] == ["b", "a", "c"]
    assert [item.text for item in apply_operation(items, "move-down:1", ReviewChoices())] == ["a", "c", "b"]
    with pytest.raises(ServiceError, match="Item 1 is already first"):
        apply_operation(items, "move-up:0", ReviewChoices())
    with pytest.raises(ServiceError, match="Item 3 is already last"):
        apply_operation(items, "move-down:2", ReviewChoices())
    with pytest.raises(ServiceError, match="no longer in the list"):
        apply_operation(items, "move-down:9", ReviewChoices())


def test_bullets_have_no_invented_number_and_a_passed_over_list_can_be_added() -> None:
    parsed = parse_report(BULLETS)
    items = items_from_parsed(parsed)
    assert [item.number for item in items] == ["", "", ""]
    added = apply_operation(items, "add-found:0", ReviewChoices(passed_over=parsed.passed_over))
    assert [item.number for item in added] == ["", "", "", "1", "2"]
    assert added[-1].text == "Health workers should attend planning meetings for children in custody."
    with pytest.raises(ServiceError, match="no longer offered"):
        apply_operation(items, "add-found:5", ReviewChoices(passed_over=parsed.passed_over))


def test_leading_bullets_are_stripped_from_added_and_split_items() -> None:
    added = apply_operation([], "add-text", ReviewChoices(new_item_text="•  Publish the plan."))
    assert added[0].text == "Publish the plan."
    split = apply_operation(_items("Do these:\n• first thing\n• second thing"), "split:0", ReviewChoices())
    assert [item.text for item in split] == ["Do these:", "first thing", "second thing"]


def test_warnings_are_dropped_once_answered_and_said_once_for_several_items() -> None:
    parsed = parse_report(BULLETS)
    items = items_from_parsed(parsed)
    warnings = warnings_still_true(parsed, items, None)
    assert warnings[0].startswith("No publication date found")
    assert "Items 1, 2 and 3: no owner is named; assign one at review." in warnings
    items[1] = items[1].with_owners(("Panel chair",))
    later = warnings_still_true(parsed, [items[2], items[0], items[1]], date(2025, 3, 4))
    assert later == ["Items 1 and 2: no owner is named; assign one at review."]


def test_titles_use_what_was_found_or_the_name_given() -> None:
    parsed = parse_report(BULLETS)
    day = date(2025, 3, 4)
    assert report_title(parsed, day, "day", "Lowfield panel minutes") == "Lowfield panel minutes, 4 March 2025"
    assert report_title(parsed, day, "day", "pasted text") == "Inspection report, 4 March 2025"
    probation = parse_report(
        "HM Inspectorate of Probation published their inspection report on 4 March 2025.\n\n" + BULLETS
    )
    assert report_title(probation, day, "day", "x.txt") == "HM Inspectorate of Probation report, 4 March 2025"


def test_pasted_text_keeps_the_typed_name_and_saves_bullets_numbered_by_place(client_request, app, tmp_path) -> None:
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Lowfield YJS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(manager)
    review = client_request.post(
        "reports.paste",
        slug=organisation.slug,
        _expected_status=200,
        data={"text": BULLETS, "filename": "Lowfield panel minutes"},
    )
    assert "Lowfield panel minutes" in review.select_one("h1").parent.text
    assert "Lowfield panel minutes.txt" not in review.text
    assert review.select_one("#unnumbered") is not None
    assert "Also looked like recommendations: 2 numbered items" in review.select_one("#passed-over").text
    _review(client_request, organisation, review, "confirm-anyway", published=["4", "3", "2025"])
    report = db.session.query(Report).one()
    assert report.source_filename == "Lowfield panel minutes"
    assert report.title == "Lowfield panel minutes, 4 March 2025"
    assert [recommendation.number for recommendation in report.recommendations] == ["1", "2", "3"]
