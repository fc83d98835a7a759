"""More recommendation shapes with no known heading (tracker/importing/shapes.py), each in
an invented text written for these tests."""

from __future__ import annotations

from tracker.importing import parse_report

NEWS_ITEM = """Action plan agreed after inspection

Published Monday 3 February 2020

{agreed}

The plan sets out who will do what and by when.

Key areas of focus for the Exampleshire County Council include:

  • Improving the quality of assessments of risk to others
  • Making sure that every child has a named worker within five days
  • Strengthening the oversight of the management board

Progress will be reported to the board twice a year.
""".format(
    agreed="The council has agreed an action plan in response to the report on its youth justice work "
    "by the inspectorate published in November 2019."
)


def test_areas_of_focus_for_a_body_are_its_list() -> None:
    report = parse_report(NEWS_ITEM)

    assert [item.number for item in report.recommendations] == ["1", "2", "3"]
    assert {item.owners for item in report.recommendations} == {("the Exampleshire County Council",)}
    assert {item.owner_source for item in report.recommendations} == {"lead"}
    assert report.recommendations[-1].text == "Strengthening the oversight of the management board"


def test_a_news_page_is_dated_by_when_the_report_was_published() -> None:
    report = parse_report(NEWS_ITEM)

    assert report.publication_date_text() == "2019-11"


def test_a_page_without_its_own_dateline_keeps_its_published_line() -> None:
    report = parse_report(NEWS_ITEM.replace("Published Monday 3 February 2020", "Published: 3 February 2020"))

    assert report.publication_date_text() == "2020-02-03"


def test_subject_owner_after_a_phrase_of_manner_but_not_of_time() -> None:
    from tracker.importing.groups import subject_owner

    assert subject_owner("As a priority, the council should review its early help offer.") == (
        "the council",
        "review its early help offer.",
    )
    assert subject_owner("By March 2025, the council should review its early help offer.") is None
    assert subject_owner("Within six months, the board should agree a plan.") is None


def test_a_thing_as_subject_is_not_an_owner() -> None:
    from tracker.importing.groups import subject_owner

    assert subject_owner("Strong corporate support for children's services must continue.") is None
    assert subject_owner("Leaders across the partnership should ensure plans are reviewed.") == (
        "Leaders across the partnership",
        "ensure plans are reviewed.",
    )


def test_the_announced_number_of_items_ends_the_last_one() -> None:
    report = parse_report(
        "Summary of the report\n\nThe report makes two recommendations:\n"
        "1. reviewing how referrals are screened at the front door; and\n"
        "2. new guidance on sharing information with schools.\n"
        "Whilst the report covers another area, much of it applies here too.\n"
    )

    assert [item.text for item in report.recommendations] == [
        "reviewing how referrals are screened at the front door; and",
        "new guidance on sharing information with schools.",
    ]


def test_a_flattened_status_table_gives_its_recommendations_without_status() -> None:
    report = parse_report(
        "Appendix 2 – progress on earlier recommendations\n\nReview of example casework (2019)\n"
        "Recommendation Status Rationale\n"
        "1 The service should publish its casework standards. Completed Standards were published in 2020.\n"
        "2 The service should train every case worker in the standards. In progress Training began in May.\n"
        "3 The service should audit casework every quarter.\n"
    )

    assert [(item.number, item.text) for item in report.recommendations] == [
        ("1", "publish its casework standards."),
        ("2", "train every case worker in the standards."),
        ("3", "audit casework every quarter."),
    ]
    assert {item.owners for item in report.recommendations} == {("The service",)}


def test_tracker_cells_one_a_line_give_items_owned_by_the_body_column() -> None:
    report = parse_report(
        "Example force inspection\n\n3 recommendations\n\nRecommendations\n"
        "1\nCompleted\nThe inspectorate recommends that the force should immediately: review how calls are "
        "graded.\nExample Police\n"
        "2\nIn progress\nThe inspectorate recommends that within three months the force should: train its call "
        "handlers.\nExample Police\n"
        "3\nOpen\nThe inspectorate recommends that the force should: publish its response times every "
        "quarter.\nExample Police\n"
    )

    assert [item.number for item in report.recommendations] == ["1", "2", "3"]
    assert {(item.owners, item.owner_source) for item in report.recommendations} == {(("Example Police",), "column")}
    assert (
        report.recommendations[1].text
        == "The inspectorate recommends that within three months the force should: train its call handlers."
    )
    assert [item.deadline_months for item in report.recommendations] == [
        1,
        3,
        None,
    ]  # the third states none: the usual default applies at review
    assert report.recommendations[0].deadline_reason == 'The item itself says "immediately"'


def test_a_period_after_the_opening_clause_is_not_the_item_deadline() -> None:
    from tracker.importing.deadlines import item_deadline

    assert item_deadline("The council should: review plans within six months of a child entering care.") is None
    assert item_deadline("Within six months the council should: review its plans.") == ("within six months", 6)


def test_a_body_named_in_lower_case_after_a_dash_owns_its_item() -> None:
    from tracker.importing.groups import subject_owner

    assert subject_owner("the Home Office should publish a plan for reform.") == (
        "the Home Office",
        "publish a plan for reform.",
    )
    assert subject_owner("the quality of plans should improve.") is None


def test_a_rows_progress_column_on_lines_below_it_is_not_part_of_the_recommendation() -> None:
    report = parse_report(
        "Progress on improvement plans\n\nReview of call handling 2021\n"
        "Recommendation Position\n"
        "R2 - The service should publish how it grades calls, to ensure callers know what to expect\n"
        "This is one of five recommendations made in 2021.\n"
        "A draft has been written and is with the board.\n"
    )

    assert [(item.number, item.text) for item in report.recommendations] == [
        ("R2", "publish how it grades calls, to ensure callers know what to expect"),
    ]
    assert report.recommendations[0].warnings == ()


def test_a_lead_sentence_with_its_item_run_on_in_the_same_line() -> None:
    report = parse_report(
        "Inspectors praise the example service\n\n"
        "Recommendations given to the example youth justice partnership were: Review the board's membership so that "
        "education and health are represented at a senior level.\n"
    )

    assert [(item.number, item.owners, item.owner_source) for item in report.recommendations] == [
        ("1", ("the example youth justice partnership",), "lead")
    ]
    assert report.recommendations[0].text.startswith("Review the board's membership")
