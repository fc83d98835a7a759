"""Each recommendations layout, in short invented reports (tests/importing/fixtures)."""

from __future__ import annotations

import datetime

import pytest

from tracker.importing import ParsedReport, ReportReadError, parse_report, read_report


def numbers(report: ParsedReport) -> list[str]:
    return [item.number for item in report.recommendations]


def owners(report: ParsedReport) -> list[list[str]]:
    return [list(item.owners) for item in report.recommendations]


def test_owner_heading_then_numbered_list(fixture_text) -> None:
    report = parse_report(fixture_text("owner_heading_numbered.txt"))

    assert numbers(report) == ["1", "2", "3", "4"]
    assert owners(report) == [["The Chair of the YOS Management Board"]] * 2 + [["The YOS Head of Service"]] * 2
    assert {item.owner_source for item in report.recommendations} == {"heading"}
    assert report.recommendations[1].text == (
        "all statutory partners attend board meetings at a senior level, and challenge performance where it falls "
        "short."
    )
    assert report.deadline_rule == "within 12 months following publication"
    assert report.deadline_months == 12
    assert [item.deadline_months for item in report.recommendations] == [12] * 4


def test_contents_entry_and_later_numbered_lists_are_not_recommendations(fixture_text) -> None:
    report = parse_report(fixture_text("owner_heading_numbered.txt"))

    assert report.recommendations_heading == "Recommendations"
    assert all("Staff were committed" not in item.text for item in report.recommendations)
    assert all("Please note" not in item.text for item in report.recommendations)


def test_report_facts_from_title_and_foreword(fixture_text) -> None:
    report = parse_report(fixture_text("owner_heading_numbered.txt"))

    assert report.service == "Exampleshire Youth Offending Service"
    assert report.inspectorate == "HM Inspectorate of Probation"
    assert report.inspection_type == "Full Joint Inspection"
    assert report.publication_date == datetime.date(2019, 3, 1)
    assert report.date_precision == "month"
    assert report.to_json_dict()["publication_date"] == "2019-03"
    assert any("only a month" in warning for warning in report.warnings)


def test_numbering_continues_across_owner_headings(fixture_text) -> None:
    report = parse_report(fixture_text("continuing_numbering.txt"))

    assert numbers(report) == ["1", "2", "3", "4", "5"]
    assert owners(report) == [["Exampletown YJS"]] * 3 + [
        ["The Director of Children's Services"],
        ["The Youth Justice Board"],
    ]
    assert report.service == "Exampletown Youth Justice Service"
    assert report.inspection_type == "Inspection of youth justice services"
    assert report.deadline_rule == "none stated; the default of 12 months applies"
    assert report.deadline_months is None
    assert report.recommendations[0].deadline_months is None


def test_ratings_table_and_overall_rating(fixture_text) -> None:
    report = parse_report(fixture_text("continuing_numbering.txt"))

    assert report.overall_rating == "Good"
    assert report.ratings == {
        "1.1 Governance and leadership": "Good",
        "1.2 Staff": "Outstanding",
        "1.3 Partnerships and services": "Requires improvement",
        "2.1 Assessment": "Good",
        "2.2 Planning": "Inadequate",
    }


def test_owners_in_brackets_one_two_and_a_list(fixture_text) -> None:
    report = parse_report(fixture_text("bracket_owners.txt"))

    assert owners(report) == [
        ["Head of Service"],
        ["Brackenshire Constabulary", "YOS manager"],
        ["YOS manager", "Director of Public Health", "the Clinical Commissioning Group"],
        ["Chair of the Management Board"],
        [],
    ]
    assert [item.owner_source for item in report.recommendations] == ["brackets"] * 4 + ["none"]
    # The owners leave the text; brackets inside the sentence stay.
    assert report.recommendations[0].text.endswith("suitable education, training or employment")
    assert "(CAMHS)" in report.recommendations[2].text
    assert report.recommendations[3].text == "the YOS Management Board should meet at least quarterly"
    assert any("Recommendation 5: no owner is named" in warning for warning in report.warnings)


def test_letter_addressee_owns_roman_numbered_areas(fixture_text) -> None:
    report = parse_report(fixture_text("letter_addressee.txt"))

    assert report.recommendations_heading == "Areas requiring improvement"
    assert numbers(report) == ["i", "ii", "iii", "iv", "v", "vi"]
    assert owners(report) == [["Chair of the YOT Management Board"]] * 6
    assert {item.owner_source for item in report.recommendations} == {"addressee"}
    assert report.service == "Exampleton Youth Offending Team"
    assert report.inspection_type == "Short Quality Screening"
    assert report.publication_date == datetime.date(2014, 3, 4)
    assert report.date_precision == "day"
    assert report.recommendations[-1].text == "planning for release from custody"


def test_bullets_with_no_owner_are_numbered_by_position(fixture_text) -> None:
    report = parse_report(fixture_text("bullets_no_owner.txt"))

    assert numbers(report) == ["1", "2", "3"]
    assert owners(report) == [[], [], []]
    assert {item.owner_source for item in report.recommendations} == {"none"}
    assert report.recommendations_heading == "What needs to improve?"
    assert report.inspectorate == "Ofsted"
    assert report.service == "Exampleshire local authority children's services"
    assert report.overall_rating == "Good"
    assert report.ratings == {
        "The impact of leaders on social work practice with children and families": "Good",
        "The experiences and progress of children in care": "Requires improvement to be good",
    }
    assert report.publication_date is None
    assert any("No publication date" in warning for warning in report.warnings)


def test_lettered_items_read_i_as_a_letter_after_h(fixture_text) -> None:
    report = parse_report(fixture_text("lettered_items.txt"))

    assert numbers(report) == list("abcdefghij")
    assert owners(report) == [["Lettertown Youth Offending Service"]] * 10
    assert report.recommendations_heading == "Priority actions"
    assert report.publication_date == datetime.date(2020, 9, 3)
    assert report.inspection_type == "Inspection of youth offending services"


def test_time_groups_set_each_items_deadline(fixture_text) -> None:
    report = parse_report(fixture_text("time_groups.txt"))

    assert numbers(report) == ["1", "2", "3", "4"]
    assert [(item.deadline_rule, item.deadline_months) for item in report.recommendations] == [
        ("immediately", 1),
        ("immediately", 1),
        ("within three months", 3),
        ("within 6 months", 6),
    ]
    assert owners(report) == [["The Timeton YOS Management Board"]] * 4
    assert [entry["deadline_rule"] for entry in report.to_json_dict()["recommendations"]] == [
        "immediately",
        "immediately",
        "within three months",
        "within 6 months",
    ]


def test_unnumbered_paragraphs_are_items(fixture_text) -> None:
    report = parse_report(fixture_text("unnumbered_paragraphs.txt"))

    assert numbers(report) == ["1", "2"]
    # Each paragraph names its owner as its subject: the owner is the subject, the text the rest.
    assert report.recommendations[0].text == "improve the quality of its assessments of risk of harm to others."
    assert owners(report) == [["The YOS"], ["The YOS Management Board"]]
    assert [item.owner_source for item in report.recommendations] == ["subject", "subject"]


def test_list_broken_by_page_header_number_and_footnote(fixture_text) -> None:
    report = parse_report(fixture_text("page_breaks.txt"))

    assert numbers(report) == ["1", "2", "3", "4"]
    second = report.recommendations[1].text
    assert second.endswith(
        "this includes plans for children who are placed outside the area by another local authority"
    )
    assert "Page 4" not in report.text
    assert "Exampleford YOS inspection report" not in report.text
    # The footnote is kept, after the paragraph it interrupted, and is no item.
    assert "¹ Youth justice statistics, published January 2016." in report.text
    assert all("statistics" not in item.text for item in report.recommendations)


def test_line_end_hyphenation_is_undone(fixture_text) -> None:
    report = parse_report(fixture_text("page_breaks.txt"))

    assert "case management practice" in report.recommendations[2].text
    assert "out-of-court disposals" in report.recommendations[2].text


def test_footnote_markers_and_html_fragments_are_removed(fixture_text) -> None:
    report = parse_report(fixture_text("page_breaks.txt"))

    assert "41%, higher" in report.text
    assert "<b>" not in report.text and "<sup>" not in report.text
    assert report.recommendations[1].text.endswith("local authority")
    assert owners(report)[0] == ["The YOS Head of Service"]


def test_html_report(fixture_text) -> None:
    data = fixture_text("html_report.html").encode("utf-8")
    report = read_report(data, "webbridge.html")

    assert numbers(report) == ["1", "2", "3"]
    assert owners(report) == [["The YOS Head of Service"]] * 2 + [["The Chief Constable"]]
    assert report.recommendations[0].text == "risk of harm assessments are completed within 20 working days"
    assert (
        report.recommendations[1].text
        == "management oversight is recorded on every case – including those transferred in"
    )
    assert (
        report.recommendations[2].text
        == "officers share information about arrests with the YOS on the next working day"
    )
    assert "var ignored" not in report.text
    assert "'phase two'" in report.text


def test_markdown_report(fixture_text) -> None:
    report = read_report(fixture_text("markdown_report.md").encode("utf-8"), "markton.md")

    assert numbers(report) == ["1", "2", "3", "4"]
    assert owners(report) == [["The Chair of the YOS Management Board"]] * 2 + [["The YOS Head of Service"]] * 2
    assert report.recommendations[0].text == "the board reviews performance data at every meeting"
    assert report.recommendations[1].text == "partners from health services attend the board"
    assert report.recommendations[2].text == "interventions are _evaluated_ and the results shared with staff"
    assert report.publication_date == datetime.date(2015, 4, 1)


def test_item_offsets_cover_the_item(fixture_text) -> None:
    report = parse_report(fixture_text("bracket_owners.txt"))

    for item in report.recommendations:
        source = report.text[item.source_start : item.source_end]
        assert source.startswith(f"{item.number}. ")
        assert item.text in source


def test_warnings_for_suspiciously_short_items() -> None:
    text = (
        "Recommendations\n\nThe YOS should:\n\n1. Improve.\n2. make sure that every plan is reviewed when a child's "
        "circumstances change\n"
    )
    report = parse_report(text)

    assert numbers(report) == ["1", "2"]
    assert any("Recommendation 1: the text is only 1 word long" in warning for warning in report.warnings)


def test_no_recommendations_section_is_a_clear_error() -> None:
    with pytest.raises(ReportReadError, match="^No recommendations section was found: "):
        parse_report("Inspection of youth offending services in Nowhere\n\nFindings\n\nStaff were committed.\n")


def test_a_mention_of_recommendations_is_not_a_section() -> None:
    text = "Foreword\n\nThe recommendations made in this report are intended to assist.\n\n1. one thing\n"
    with pytest.raises(ReportReadError, match="No recommendations section was found"):
        parse_report(text)


def test_heading_without_items_is_a_clear_error() -> None:
    with pytest.raises(ReportReadError, match="is not followed by any recommendations"):
        parse_report("Recommendations\n\nContents\n\nFindings\n")


def test_curly_quotes_and_dashes_are_normalised() -> None:
    text = (
        "Recommendations\n\nThe Director of Children\u2019s Services should:\n\n1. make sure \u201cthresholds\u201d "
        "are understood \u2014 by everyone\n"
    )
    report = parse_report(text)

    assert report.recommendations[0].owners == ("The Director of Children's Services",)
    assert report.recommendations[0].text == 'make sure "thresholds" are understood – by everyone'


def test_recommendation_n_headings_with_paragraphs() -> None:
    text = (
        "Recommendations\n\nRecommendation 1\n\nBy March 2025, the council should improve the timeliness of "
        "assessments.\n\n"
        "This includes assessments of children placed out of area.\n\n"
        "Recommendation 2: The board should review its membership.\n\nAreas for improvement\n\nThe council should "
        "consider...\n"
    )
    report = parse_report(text)

    # "Areas for improvement" is a second section whose item is put to the council.
    assert numbers(report) == ["1", "2", "3"]
    assert report.recommendations[0].text == (
        "By March 2025, the council should improve the timeliness of assessments. "
        "This includes assessments of children placed out of area."
    )
    assert report.recommendations[0].owner_source == "none"
    assert (report.recommendations[1].owners, report.recommendations[1].text) == (
        ("The board",),
        "review its membership.",
    )
    assert [section.heading for section in report.sections] == ["Recommendations", "Areas for improvement"]


def test_sub_points_stay_inside_their_recommendation() -> None:
    text = (
        "Recommendations\n\nThe YOS should:\n\n1. improve assessment, including:\n- risk of harm\n- safety and "
        "wellbeing\n2. review plans after a significant change\n\nNext part\n"
    )
    report = parse_report(text)

    assert numbers(report) == ["1", "2"]
    assert report.recommendations[0].text == "improve assessment, including: - risk of harm - safety and wellbeing"


def test_numbered_contents_entry_is_not_the_section() -> None:
    text = (
        "Contents\n\n1. Introduction\n2. Recommendations\n3. Findings\n4. Annex\n\nIntroduction\n\nSome text.\n\n"
        "Recommendations\n\nThe YOS should:\n\n1. improve the quality of assessment in all cases\n2. review plans "
        "after significant change\n\nFindings\n\nStuff.\n"
    )
    report = parse_report(text)

    assert numbers(report) == ["1", "2"]
    assert report.recommendations[0].owners == ("The YOS",)


def test_capitals_heading_and_owner_heading() -> None:
    report = parse_report("RECOMMENDATIONS\n\nTHE YOS SHOULD:\n\n1. improve assessment quality across all cases.\n")

    assert report.recommendations[0].owners == ("THE YOS",)


def test_addressee_greeted_by_title_and_surname() -> None:
    text = (
        "Louise Example Chair of the YOT Management Board Sampleshire Youth Offending Team\n\n"
        "1st May 2013\n\nDear Ms Example,\n\nReport of Short Quality Screening (SQS) of youth offending work in "
        "Sampleshire.\n\n"
        "Areas requiring improvement\n\n- i. the quality of assessment in community cases\n"
    )
    report = parse_report(text)

    assert report.recommendations[0].owners == ("Chair of the YOT Management Board",)
    assert report.service == "Sampleshire Youth Offending Team"


def test_owner_heading_with_the_following_and_in_the_next_months_groups() -> None:
    text = (
        "Recommendations\n\nThe Management Board should ensure the following:\n\n"
        "In the next three months:\n\n1. a protocol for sharing information with the police is agreed\n"
    )
    item = parse_report(text).recommendations[0]

    assert item.owners == ("The Management Board",)
    assert (item.deadline_rule, item.deadline_months) == ("in the next three months", 3)
