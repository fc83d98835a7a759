"""Recommendation-shaped lists with no known heading, read by structure (tracker/importing/shapes.py),
and the other classes of issue 21: brackets that are not owners, cut-off text, pasted-text
details, and sections that are passed over but never lost in silence. Every fixture is an
invented report written for these tests."""

from __future__ import annotations

import contextlib
import datetime

import pytest

from tracker.importing import NoRecommendationsFound, parse_report
from tracker.importing.cutoff import CUT_OFF_WARNING
from tracker.importing.models import ParsedReport


def numbers(report: ParsedReport) -> list[str]:
    return [item.number for item in report.recommendations]


def owners(report: ParsedReport) -> list[list[str]]:
    return [list(item.owners) for item in report.recommendations]


def test_owner_lines_ending_should_also_as_bullets_after_a_lead_sentence(fixture_text) -> None:
    report = parse_report(fixture_text("probation_minutes_owner_lines.txt"))
    assert numbers(report) == ["1", "2", "3", "4", "5"]
    manager = "The Westshire Youth Justice Service manager"
    board = "The Westshire Youth Justice Service management board"
    assert owners(report) == [[manager]] * 2 + [[board]] * 3
    assert {item.owner_source for item in report.recommendations} == {"heading"}
    assert report.recommendations[0].text == "make sure that every child's plan addresses their safety and wellbeing;"
    assert report.recommendations[-1].text == "review the education offer for children who are not in school."
    assert "Members asked" not in report.recommendations[-1].text


def test_pasted_minutes_give_the_publication_date_and_rating(fixture_text) -> None:
    report = parse_report(fixture_text("probation_minutes_owner_lines.txt"))
    assert report.publication_date == datetime.date(2025, 3, 4)
    assert report.date_precision == "day"
    assert report.overall_rating == "Inadequate"
    assert not any(warning.startswith("No publication date") for warning in report.warnings)


def test_r_numbers_run_straight_through_several_owner_lines(fixture_text) -> None:
    report = parse_report(fixture_text("labelled_r_numbers.txt"))
    assert numbers(report) == ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]
    assert owners(report) == (
        [["The Eastmoor Probation Delivery Unit head"]] * 3
        + [["The Regional Probation Director"]] * 2
        + [["The Chief Executive of the prison service"]] * 2
    )
    assert report.recommendations[3].text == "Agree a housing protocol with each local authority in the region."
    assert not any("Numbering jumps" in warning for warning in report.warnings)


def test_for_the_area_director_headings_over_decimal_paragraphs(fixture_text) -> None:
    report = parse_report(fixture_text("area_director_paragraphs.txt"))
    assert numbers(report) == ["9.1", "9.1.1", "9.2", "9.3", "9.4"]
    assert owners(report) == [["the Area Director"]] * 3 + [["the Head of Interventions"]] * 2
    # The paragraph reference and "(area 3)" stay in the text: they are not owners.
    assert report.recommendations[0].text.endswith("vacant practitioner posts (paragraph 4.12).")
    assert report.recommendations[4].text == "Offer unpaid work placements at weekends (area 3)."
    assert "Acknowledgements" not in report.recommendations[-1].text


def test_pipe_table_rows_brackets_that_are_not_owners_and_a_cut_off_last_row(fixture_text) -> None:
    report = parse_report(fixture_text("pipe_table_cut_off.txt"))
    assert numbers(report) == ["1", "2", "3", "4"]
    assert owners(report) == [["The division"]] * 4
    texts = [item.text for item in report.recommendations]
    assert texts[0].endswith("at night (in partnership with health).")
    assert texts[1].endswith("(paragraph 4.2).")
    assert texts[2].endswith("(outcome 3, national framework).")
    # What is there is kept, marked as possibly cut off; nothing is added to it.
    assert texts[3].endswith("and that the offer is rec")
    assert [CUT_OFF_WARNING in item.warnings for item in report.recommendations] == [False, False, False, True]
    assert f"Recommendation 4: {CUT_OFF_WARNING}." in report.warnings


def test_complete_texts_are_not_marked_as_cut_off(fixture_text) -> None:
    for name in ("labelled_r_numbers.txt", "area_director_paragraphs.txt", "probation_minutes_owner_lines.txt"):
        report = parse_report(fixture_text(name))
        assert not any(CUT_OFF_WARNING in item.warnings for item in report.recommendations), name


def test_we_recommend_that_in_prose(fixture_text) -> None:
    report = parse_report(fixture_text("we_recommend_prose.txt"))
    assert numbers(report) == ["1", "2"]
    assert [item.text for item in report.recommendations] == [
        "We recommend that the service reviews how it targets home fire safety visits at people most at risk.",
        "We recommend that the service publishes its response times for each station every year.",
    ]


def test_a_list_not_kept_is_offered_and_a_heading_that_gave_none_is_flagged(fixture_text) -> None:
    report = parse_report(fixture_text("two_lists.txt"))
    assert numbers(report) == ["1", "2"]
    [passed] = report.passed_over
    assert passed.heading == "Areas for improvement"
    assert passed.item_count == 3 and [item.number for item in passed.candidates] == ["1", "2", "3"]
    assert (
        passed.note
        == 'Also looked like recommendations: 3 numbered items under "Areas for improvement"; they were not added.'
    )
    empty = parse_report(fixture_text("lost_second_list.txt")).passed_over
    assert [(section.heading, section.item_count, section.partial) for section in empty] == [
        ("Areas for improvement", 0, True),
        ("Recommendations", 0, True),
    ]
    assert empty[1].note == 'The heading "Recommendations" gave no recommendations; check the report there.'


@pytest.mark.parametrize(
    "text",
    [
        "Minutes of the panel.\n\nThe Chair thanked officers.\nMembers noted the report.\n",
        "Our findings\nStaff should be proud of their work, the inspectors said.\n",
    ],
)
def test_text_with_nothing_recommendation_shaped_is_still_refused(text: str) -> None:
    with pytest.raises(NoRecommendationsFound):
        parse_report(text)


@pytest.mark.parametrize(
    "text",
    [
        "Schools should:\n" * 5000,
        "There are three recommendations made:\n" * 5000,
        "Recommendations\n\n" * 5000 + "Areas for improvement\n1. x\n",
        "| 1 | The unit should act. |\n" * 5000,
        "We recommend that the unit acts.\n\n" * 5000,
    ],
    ids=["owner-lines", "lead-sentences", "empty-headings", "pipe-rows", "we-recommend"],
)
def test_shapes_and_the_survey_stay_linear_on_hostile_text(text: str) -> None:
    """Each start is read at most once and only a few are tried, so odd text cannot take minutes."""
    import time

    from tracker.importing import ReportReadError

    started = time.process_time()
    with contextlib.suppress(ReportReadError):
        parse_report(text)
    assert time.process_time() - started < 3


def test_a_letter_with_priority_areas_and_areas_for_improvement_gives_both_lists(fixture_text) -> None:
    report = parse_report(fixture_text("letter_priority_areas.txt"))
    assert [(section.heading, section.item_count) for section in report.sections] == [
        ("Areas for priority action", 2),
        ("Areas for improvement", 2),
    ]
    assert numbers(report) == ["1", "2", "3", "4"]
    assert report.recommendations[2].text == "The recording of the views of children in their plans."
    assert not report.passed_over
