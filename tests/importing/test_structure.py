"""The parser follows the document's structure: every recommendations section, the group
headings inside each (question, lead sentence, theme, time group), owners from wherever
the report states them, tables, and the decoys that are not recommendations."""

from __future__ import annotations

import pytest
from report_builders import PlacedText, build_pdf

from tracker.importing import NoRecommendationsFound, ParsedReport, parse_report, read_report
from tracker.importing.owners import split_column_owners


def numbers(report: ParsedReport) -> list[str]:
    return [item.number for item in report.recommendations]


def test_every_question_section_with_its_themes_and_no_decoys(fixture_text) -> None:
    report = parse_report(fixture_text("question_sections.txt"))

    # The strengths list numbered straight on (6, 7), the findings (8), the judgement
    # list (1, 2) and the contents entries are not recommendations.
    assert numbers(report) == ["3", "4", "5", "112", "113"]
    assert [item.owners for item in report.recommendations] == [("the local authority",)] * 3 + [("the LSCB",)] * 2
    assert {item.owner_source for item in report.recommendations} == {"question"}
    first = report.recommendations[0]
    assert first.group == "Care leavers"
    assert first.source_heading == "What does the local authority need to improve? › Care leavers"
    assert first.owner_reason == 'Named in the section\'s question "What does the local authority need to improve?"'
    assert [(section.heading, section.item_count, section.groups) for section in report.sections] == [
        ("What does the local authority need to improve?", 3, (("Care leavers", 2), ("Missing children", 1))),
        ("What does the LSCB need to improve?", 2, (("Areas for improvement", 2),)),
    ]
    assert report.publication_date_text() == "2015-05-12"


def test_lead_sentence_and_time_groups_with_symbol_font_bullets(fixture_text) -> None:
    report = parse_report(fixture_text("lead_time_groups.txt"))

    assert numbers(report) == ["1", "2", "3", "4"]
    assert {item.owners for item in report.recommendations} == {("the local authority",)}
    assert {item.owner_source for item in report.recommendations} == {"lead"}
    assert [item.deadline_months for item in report.recommendations] == [1, 1, 3, 6]
    assert [item.group for item in report.recommendations] == [
        "Immediately",
        "Immediately",
        "Within three months",
        "Within six months",
    ]
    assert report.recommendations[2].deadline_reason == 'Under "Within three months:" in the report'
    assert report.recommendations[0].owner_reason.startswith(
        'Named in the sentence before the list: "In order to improve'
    )
    assert report.recommendations[0].text.startswith("ensure all elected members")
    assert report.publication_date_text() == "2013-08-16"


def test_letter_sections_footnote_heading_subject_owner_and_cross_references(fixture_text) -> None:
    report = parse_report(fixture_text("letter_subjects.txt"))

    assert numbers(report) == ["1", "2", "3"]
    priority, oversight, planning = report.recommendations
    assert (priority.owners, priority.owner_source) == (("Leaders across the partnership",), "subject")
    assert (
        priority.text
        == "ensure that care leavers over 18 are kept in touch with and supported. (outcome 4, national framework)"
    )
    assert (oversight.owners, oversight.owner_source) == ((), "none")
    assert oversight.text.endswith("(enabler 2, national framework)")
    assert "Inspectors saw" not in planning.text  # the findings after it use the same bullet
    assert [section.heading for section in report.sections] == [
        "Areas for priority action",
        "What needs to improve in this area of social work practice?",
    ]
    assert report.publication_date_text() == "2026-01-12"


def test_a_letter_without_a_list_is_refused_truthfully_with_its_text(fixture_text) -> None:
    with pytest.raises(NoRecommendationsFound, match="looks like a letter") as refused:
        parse_report(fixture_text("letter_without_list.txt"))
    assert "Headline findings" in refused.value.text


def test_table_rows_take_their_owners_from_the_responsible_body_column() -> None:
    def row(top: float, body: list[str], action: list[str]) -> list[PlacedText]:
        lines = [PlacedText(62, top - 15 * index, 12, text) for index, text in enumerate(body)]
        return lines + [PlacedText(224, top - 15 * index, 12, text) for index, text in enumerate(action)]

    page = [
        PlacedText(57, 760, 16, "Areas for priority action"),
        PlacedText(62, 730, 12, "Responsible body"),
        PlacedText(224, 730, 12, "Areas for priority action"),
        *row(
            700,
            ["Exampleshire County Council and", "NHS North and South Example", "Integrated Care Board (ICB)"],
            [
                "Leaders should improve the timeliness of",
                "EHC plans so that children get help sooner:",
                "\u25aa including the annual reviews of plans.",
            ],
        ),
        *row(
            620,
            ["NHS North and South Example", "Integrated Care Board (ICB)"],
            ["Leaders in health should reduce waiting times", "for neurodevelopmental assessments."],
        ),
        PlacedText(57, 540, 16, "Local area partnership details"),
        PlacedText(62, 510, 12, "Exampleshire County Council has many partners."),
    ]
    report = read_report(build_pdf([page]), "table.pdf")

    assert numbers(report) == ["1", "2"]
    first, second = report.recommendations
    assert first.owners == ("Exampleshire County Council", "NHS North and South Example Integrated Care Board (ICB)")
    assert first.owner_source == "column"
    assert first.text.startswith("Leaders should improve the timeliness")
    assert first.text.endswith("including the annual reviews of plans.")  # a bullet inside the row stays in it
    assert second.owners == ("NHS North and South Example Integrated Care Board (ICB)",)
    assert first.source_page == 1 and report.sections[0].page == 1


def test_column_owners_split_only_between_whole_names() -> None:
    assert split_column_owners(
        "Halton Borough Council and NHS Cheshire and Merseyside Integrated Care Board (ICB)"
    ) == [
        "Halton Borough Council",
        "NHS Cheshire and Merseyside Integrated Care Board (ICB)",
    ]
    assert split_column_owners("NHS Lancashire and South Cumbria ICB") == ["NHS Lancashire and South Cumbria ICB"]


def test_a_section_with_a_gap_in_its_numbering_is_marked_partly_read() -> None:
    report = parse_report(
        "Recommendations\n\nThe council should:\n\n1. review every child's plan within a month of it being made\n\n"
        "2. make sure that supervision is recorded and acted on by managers\n\n"
        "5. publish its sufficiency strategy and report on it to the board each year\n"
    )

    (section,) = report.sections
    assert section.item_count == 3
    assert section.partial
    assert section.note == "Numbering jumps from 2 to 5; check no recommendation was missed."
    assert (
        not parse_report("Recommendations\n\nThe council should:\n\n1. review every child's plan within a month\n")
        .sections[0]
        .partial
    )
