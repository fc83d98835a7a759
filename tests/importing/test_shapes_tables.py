"""Action-plan tables flattened into text, each in an invented text written for these tests
(tracker/importing/status_table.py and tracker/importing/shapes.py)."""

from __future__ import annotations

from tracker.importing import parse_report
from tracker.importing.lines import split_lines
from tracker.importing.status_table import numbered_header_cells_blanked, slash_rows_as_items

NUMBERED_HEADER = """ACTION PLAN: INSPECTION REPORT

ESTABLISHMENT: HMP EXAMPLETOWN POSITION AS AT: March 2026

1. Ref.

2. Recommendation

3. Agreed/ Not agreed

4. Response

Action Taken

5. Lead

Main Recommendations to the Director

2.14 Every prisoner should have a key worker session each week. Managers should check the sessions take place. (S12)

Agreed A timetable of sessions has been set for every wing and the first audit is due in May.
"""


def test_numbered_column_names_are_a_header_not_items() -> None:
    report = parse_report(NUMBERED_HEADER)

    [item] = report.recommendations
    assert item.number == "2.14"
    assert item.owners == ("the Director",)
    assert item.owner_source == "heading"
    assert item.text == (
        "Every prisoner should have a key worker session each week. Managers should check the sessions take place. "
        "(S12)"
    )


def test_a_numbered_list_of_short_items_is_not_a_header() -> None:
    lines = split_lines(
        "Recommendations\n\n1. Act on every recommendation of the audit.\n\n2. Train all staff.\n\n3. Audit files.\n"
    )

    assert numbered_header_cells_blanked(lines) == lines


def test_numbered_cells_that_name_no_recommendation_column_are_kept() -> None:
    lines = split_lines("1. Ref.\n2. Area\n3. Lead\n4. Date\n")

    assert numbered_header_cells_blanked(lines) == lines


SLASH_TABLE = """Youth Justice Service - Improvement Action Plan

In response to the inspection of youth justice work in March 2026

No / Action / AREA FOR IMPROVEMENT (Recommendations) / Target
Date / Lead / Progress /
1 / (1a) Audit cases. / Plans for leaving custody are written before release. / June 2026 / Manager (AB) / Done.
The audit found that plans were written in good time in most cases.
(1b) Report to the board. / July 2026
2 / (2a) Train staff. / Every child is seen within five days of the court order. / May 2026 / Manager / Booked.
"""


def test_a_table_flattened_with_slashes_gives_its_recommendations_column() -> None:
    report = parse_report(SLASH_TABLE)

    assert [(item.number, item.text) for item in report.recommendations] == [
        ("1", "Plans for leaving custody are written before release."),
        ("2", "Every child is seen within five days of the court order."),
    ]
    assert report.recommendations[0].owner_source == "none"


def test_slashes_in_a_sentence_are_not_a_table() -> None:
    text = "Council news\n\nThe plan / the budget / the staff / the board were discussed.\n1 / 2 of the work is done.\n"

    lines = split_lines(text)

    assert slash_rows_as_items(lines) == lines
