"""Service, inspection type and overall rating on the covers of Ofsted's 2013 to 2018
reports: the authority's name on a line of its own beside an "Inspection of ... services"
title, and the overall judgement written as a sentence (invented texts)."""

from __future__ import annotations

import pytest

from tracker.importing import parse_report

RECOMMENDATIONS = """
Areas for improvement

1. Make sure every child looked after has an up-to-date care plan that is reviewed on time.
2. Improve the timeliness of initial health assessments for children entering care.
"""


def test_looked_after_children_cover_of_2013() -> None:
    report = parse_report(
        "Inspection of looked after children services\n\nExampleton Metropolitan Borough Council\n\n"
        "Inspection dates: 1 – 5 July 2013 Reporting inspector A Person HMI\n\n"
        "Age group: All Published: 16 August 2013\n\n"
        "8. The judgement for overall effectiveness is adequate.\n\n"
        "14. The previous inspection judged overall effectiveness for looked after children as good.\n"
        + RECOMMENDATIONS
    )

    assert report.service == "Exampleton Metropolitan Borough Council"
    assert report.inspection_type == "Inspection of looked after children services"
    assert report.overall_rating == "Adequate"


@pytest.mark.parametrize(
    ("cover", "service", "rating"),
    [
        (
            "Exampleshire County Council\n\nInspection of services for children in need of help and protection, "
            "children looked "
            "after and care leavers and Review of the effectiveness of the local safeguarding children board1 "
            "Inspection "
            "date: 2 June 2014 – 25 June 2014 Report published: 8 August 2014 The overall judgement is that children's "
            "services require improvement\n\nThe authority is not yet delivering good protection.",
            "Exampleshire County Council",
            "Requires improvement",
        ),
        (
            "London Borough of Example Vale\n\nInspection of services for children in need of help and protection, "
            "children "
            "looked after and care leavers and\n\nReview of the effectiveness of the local safeguarding children "
            "board1\n\n"
            "The overall judgement is inadequate.",
            "London Borough of Example Vale",
            "Inadequate",
        ),
        (
            "Example Upon Sea\n\nInspection of services for children in need of help and protection, children looked "
            "after "
            "and care leavers\n\nInspection date: 1 May 2017 – 18 May 2017\n\n"
            "Children's services in Example Upon Sea require improvement to be good",
            "Example Upon Sea",
            "Requires improvement to be good",
        ),
    ],
)
def test_single_inspection_framework_covers(cover: str, service: str, rating: str) -> None:
    report = parse_report(cover + "\n" + RECOMMENDATIONS)

    assert report.service == service
    assert report.inspection_type == (
        "Inspection of services for children in need of help and protection, children looked after and care leavers"
    )
    assert report.overall_rating == rating


def test_a_sentence_about_a_part_of_the_service_is_not_the_overall_rating() -> None:
    report = parse_report(
        "Exampleton Council\n\nInspection of children's social care services\n\n"
        "The quality of the adoption service is good and responsive.\n\nAdoption performance was judged as "
        "outstanding.\n" + RECOMMENDATIONS
    )

    assert report.service == "Exampleton Council"
    assert report.inspection_type == "Inspection of children's social care services"
    assert report.overall_rating is None


WEB_LIST = """
Recommendations

Schools should:

  • make sure that every pupil's absence is followed up on the first day
"""


@pytest.mark.parametrize(
    ("opening", "date_text"),
    [
        (
            "Thematic report |\n\nExample practice in schools - June 2015\n\nThematic report | 12/06/2015 pdf, 1 MB "
            "Added 12/06/2015",
            "2015-06-12",
        ),
        (
            "Thematic report |\n\nThe quality of example buildings and their use - June 2010\n\nShare this page",
            "2010-06",
        ),
    ],
)
def test_web_page_dates(opening: str, date_text: str) -> None:
    report = parse_report(opening + "\n" + WEB_LIST)

    assert report.publication_date_text() == date_text


def test_a_range_of_inspection_days_is_not_a_dated_title() -> None:
    report = parse_report("Inspection of example services\n\nInspection dates: 1 – 5 July 2013\n" + WEB_LIST)

    assert report.publication_date is None


def test_a_response_page_dated_in_its_title_with_a_heading_naming_whose_recommendations() -> None:
    report = parse_report(
        "Skip to main content\n\nMain content area\n\n"
        "Council response to the inspection of its example service (follow-up), March 3 2025\n\n"
        "The Inspectorate's Recommendations / Matters to address\n\n"
        "1. By June 2025 the council will publish a plan for its example service.\n"
        "2. By September 2025 the council will train every member of staff in the plan.\n"
    )

    assert report.publication_date_text() == "2025-03-03"
    assert report.recommendations_heading == "The Inspectorate's Recommendations / Matters to address"
    assert [item.number for item in report.recommendations] == ["1", "2"]
