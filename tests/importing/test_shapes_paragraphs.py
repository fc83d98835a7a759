"""Recommendations written as paragraphs or run-on text rather than as a list, each in an
invented text written for these tests (tracker/importing/shapes.py and the section reader)."""

from __future__ import annotations

import pytest

from tracker.importing import NoRecommendationsFound, parse_report

REGISTER_PAGE = (
    "Joint review of custody healthcare (1234)\n\n"
    "No later than 30 June 2026 those health boards running custody suites, that have not yet done so, "
    "should publish a plan for the cover of nurses at night.\n"
    """
[on]1st May 2025

The status of this recommendation is being reviewed and will be updated when the review is complete.
"""
)

REGISTER_PAGE_WITH_PERIOD = """Joint review of case files (88)

Within six months, every police force should check that each case file records the victim's wishes.

The status of this recommendation is being reviewed.
"""


def test_a_paragraph_opened_by_its_deadline_and_put_to_someone_is_an_item() -> None:
    report = parse_report(REGISTER_PAGE)

    [item] = report.recommendations
    assert item.owners == ("those health boards running custody suites, that have not yet done so",)
    assert item.owner_source == "subject"
    assert item.text == "publish a plan for the cover of nurses at night."
    assert "No later than 30 June 2026" in item.deadline_reason


def test_a_period_opening_the_paragraph_is_the_item_deadline() -> None:
    report = parse_report(REGISTER_PAGE_WITH_PERIOD)

    [item] = report.recommendations
    assert item.owners == ("every police force",)
    assert (item.deadline_rule, item.deadline_months) == ("within six months", 6)


def test_immediate_effect_is_a_deadline_of_one_month() -> None:
    report = parse_report(REGISTER_PAGE_WITH_PERIOD.replace("Within six months", "With immediate effect"))

    assert report.recommendations[0].deadline_months == 1


def test_a_deadline_opened_sentence_with_no_one_to_act_is_not_an_item() -> None:
    text = "Council news\n\nBy March 2026 the new library should be open on Sundays.\n"

    with pytest.raises(NoRecommendationsFound):
        parse_report(text)


def test_a_deadline_opening_an_item_in_a_list_stays_in_its_text() -> None:
    text = (
        "Recommendations\n\n1. Not later than 30 June 2026 the council should publish its plan.\n\n2. The board "
        "should meet.\n"
    )

    first = parse_report(text).recommendations[0]
    assert first.text == "Not later than 30 June 2026 the council should publish its plan."
    assert first.owner_source == "none"


# Each paragraph on a line of its own, no blank lines, as a pasted web page keeps them.
PARAGRAPH_A_LINE = (
    "Exampleshire 2025/26\n"
    "How well does the service respond to emergencies?\n"
    "Exampleshire Fire and Rescue Service is good at responding to fires and other emergencies, and its crews "
    "arrive in good time at the great majority of the calls they attend across the county.\n"
    "Areas for improvement\n"
    "The service should make sure its control room staff can see where every engine is at any time during an "
    "incident.\n"
    "We set out our detailed findings below. These are the basis for our judgment of the service's work in this area.\n"
    "Crews attend quickly\n"
    "The service met its own response standard at nearly all the incidents we looked at, including those in the "
    "most remote parts of the county.\n"
)


def test_a_text_with_one_paragraph_a_line_ends_an_item_with_its_line() -> None:
    report = parse_report(PARAGRAPH_A_LINE)

    [item] = report.recommendations
    assert item.owners == ("The service",)
    assert item.text == "make sure its control room staff can see where every engine is at any time during an incident."


def test_wrapped_lines_of_one_paragraph_still_read_as_one_item() -> None:
    wrapped = (
        "Areas for improvement\n\nThe service should make sure its control room staff can see.\n"
        "where every engine is at any time during an incident.\n\nCrews attend quickly\n"
    )

    [item] = parse_report(wrapped).recommendations
    assert item.text.endswith("where every engine is at any time during an incident.")


RUN_ON_ACTIONS = (
    "Latest visit\n"
    "What the service does well Residents enjoy the garden and the outings. Meals are varied. "
    "What the service could do better: Risk assessments need to be reviewed every month. "
    "Bedroom doors must be fitted with working closers. The laundry could be improved so clothes are returned "
    "to the right person. Also to label every item on arrival. Staff need to complete first aid training.\n"
)


def test_action_sentences_run_on_after_a_heading_are_one_item_each() -> None:
    report = parse_report(RUN_ON_ACTIONS)

    assert [(item.number, item.text) for item in report.recommendations] == [
        ("1", "Risk assessments need to be reviewed every month."),
        ("2", "Bedroom doors must be fitted with working closers."),
        (
            "3",
            "The laundry could be improved so clothes are returned to the right person. Also to label every item on "
            "arrival.",
        ),
        ("4", "complete first aid training."),
    ]
    assert [item.owners for item in report.recommendations] == [(), (), (), ("Staff",)]
    assert report.recommendations_heading == "What the service could do better"


def test_a_comment_under_the_heading_is_not_a_list() -> None:
    text = (
        "What the service does well\n\nResidents enjoy the garden.\n\nWhat the service could do better:\n\n"
        "A date for the new kitchen would help the manager plan the budget. Staff need to finish their training.\n"
    )

    with pytest.raises(NoRecommendationsFound):
        parse_report(text)
