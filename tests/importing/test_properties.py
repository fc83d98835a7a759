"""Property tests: whatever arrives, the only exception is ReportReadError.

Random text rarely looks like a report, so besides arbitrary text and bytes the
strategies also assemble text from report-like lines (headings, owner headings, list
markers, page furniture) and mutate real-looking PDFs and DOCX files.
"""

from __future__ import annotations

import io
import time
import zipfile
from functools import lru_cache

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_builders import Block, docx_bytes, layout_report

from tracker.importing import ParsedReport, ReportReadError, parse_report, read_report
from tracker.importing.cleaning import clean_text
from tracker.importing.errors import UNEXPECTED_PROBLEM

# database=None: no example database is written into the checkout.
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
FILE_SETTINGS = settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

REPORT_LINES = [
    "Recommendations",
    "Recommendations\t3",
    "What needs to improve?",
    "Areas requiring improvement",
    "Priority actions",
    "Contents",
    "The YOS Head of Service should ensure that:",
    "Barking and Dagenham YOS should:",
    "Recommendations for the Youth Justice Board:",
    "Immediately",
    "Within three months",
    "Within 6 weeks:",
    "1. make sure plans are reviewed",
    "2. the board meets",
    "4.",
    "iii. quality assurance",
    "- iv. reviews",
    "(a) record contact",
    "i. item",
    "v. item",
    "x) item",
    "• bullet point",
    "◼ another",
    "\uf0b7 symbol bullet",
    "(YOS manager and Cambridgeshire Constabulary)",
    "text (Chair of the Board).",
    "(",
    ")",
    "Page 3",
    "12",
    "\f",
    "¹ Footnote text.",
    "word¹ and<sup>2</sup>",
    "<b>bold</b>",
    "**bold** *em*",
    "# Heading",
    "| a | b |",
    "Dear Sam Example,",
    "Sam Example Chair of the YOT Management Board",
    "13th February 2013",
    "DECEMBER 2018",
    "31 February 2019",
    "Published: 30 February 2020",
    "Overall rating",
    "Good",
    "Overall effectiveness: Inadequate",
    "1.1\tStaff\tGood",
    "Judgement\tGrade",
    "Service: Exampletown Youth Justice Service",
    "Full Joint Inspection of Youth Offending Work in Place",
    "An inspection of youth offending services in",
    "Inspection of Place local authority children's services",
    "within 12 months following publication of this report:",
    "manage-",
    "ment practice",
    "",
    "",
    "",
]

report_like_text = st.lists(st.one_of(st.sampled_from(REPORT_LINES), st.text(max_size=40)), max_size=40).map("\n".join)


def check_error(error: ReportReadError) -> None:
    """A clear one-line message, and not the safety net that hides a bug."""
    message = str(error)
    assert message and "\n" not in message
    assert UNEXPECTED_PROBLEM not in message, message


def check_result(result: ParsedReport) -> None:
    assert result.recommendations
    for item in result.recommendations:
        assert item.owner_source in ("heading", "brackets", "addressee", "none")
        assert item.source_start is not None and item.source_end is not None
        assert 0 <= item.source_start <= item.source_end <= len(result.text)
    result.to_json_dict()


@PROPERTY_SETTINGS
@given(st.text(max_size=2000))
def test_parse_report_arbitrary_text(text: str) -> None:
    try:
        check_result(parse_report(text))
    except ReportReadError as error:
        check_error(error)


@PROPERTY_SETTINGS
@given(report_like_text)
def test_parse_report_report_like_text(text: str) -> None:
    try:
        check_result(parse_report(text))
    except ReportReadError as error:
        check_error(error)


@PROPERTY_SETTINGS
@given(report_like_text)
def test_clean_text_never_fails_and_leaves_no_page_breaks(text: str) -> None:
    assert "\f" not in clean_text(text)


@PROPERTY_SETTINGS
@given(st.binary(max_size=3000))
def test_read_report_arbitrary_bytes(data: bytes) -> None:
    try:
        check_result(read_report(data, "upload.bin"))
    except ReportReadError as error:
        check_error(error)


@PROPERTY_SETTINGS
@given(
    st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe"]),
    st.binary(max_size=2000),
)
def test_read_report_bytes_with_a_believable_start(prefix: bytes, rest: bytes) -> None:
    try:
        read_report(prefix + rest, "upload")
    except ReportReadError as error:
        check_error(error)


@lru_cache(maxsize=1)
def sample_pdf() -> bytes:
    return layout_report(
        [
            Block("heading", "Inspection of youth offending services in Mutaton"),
            Block("heading", "Recommendations"),
            Block("paragraph", "The YOS should:"),
            Block("item", "make sure that every plan is reviewed after a significant change", "1."),
            Block("item", "record contact with victims in every case", "2."),
        ]
    )


@lru_cache(maxsize=1)
def sample_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Recommendations", level=1)
    document.add_paragraph("The YOS should:")
    document.add_paragraph("make sure that every plan is reviewed", style="List Number")
    document.add_paragraph("record contact with victims", style="List Number")
    return docx_bytes(document)


def mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    mutable = bytearray(data)
    for position, value in edits:
        mutable[position % len(mutable)] = value
    return bytes(mutable[:cut] if cut else mutable)


edits = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=12)
cuts = st.one_of(st.none(), st.integers(min_value=1, max_value=4000))


@FILE_SETTINGS
@given(edits, cuts)
def test_read_report_mutated_pdf(changes: list[tuple[int, int]], cut: int | None) -> None:
    try:
        read_report(mutate(sample_pdf(), changes, cut), "mutated.pdf")
    except ReportReadError as error:
        check_error(error)


@FILE_SETTINGS
@given(edits, cuts)
def test_read_report_mutated_docx_bytes(changes: list[tuple[int, int]], cut: int | None) -> None:
    try:
        read_report(mutate(sample_docx(), changes, cut), "mutated.docx")
    except ReportReadError as error:
        check_error(error)


@FILE_SETTINGS
@given(
    st.sampled_from(["word/document.xml", "word/numbering.xml", "word/styles.xml", "[Content_Types].xml"]), edits, cuts
)
def test_read_report_docx_with_mutated_xml_part(part: str, changes: list[tuple[int, int]], cut: int | None) -> None:
    """Valid ZIP, broken XML inside: the errors come from python-docx and lxml instead."""
    source = zipfile.ZipFile(io.BytesIO(sample_docx()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info.filename, mutate(content, changes, cut) if info.filename == part else content)
    try:
        read_report(output.getvalue(), "mutated.docx")
    except ReportReadError as error:
        check_error(error)


@pytest.mark.parametrize(
    "text",
    [
        "[a](" * 50000,
        "![a](" * 50000,
        "**a " * 100000,
        "a-\n" * 100000,
        ("x" * 30 + "\n\n") * 30000,
        "Recommendations\n\n1. start\n" + "continued line\n" * 50000,
        "Recommendations\n\n" + "within " * 100000 + "\n",
        "Full Joint Inspection of x in A" * 10000 + "(",
    ],
    ids=["links", "images", "bold", "hyphens", "split-paragraphs", "long-item", "within", "title"],
)
def test_hostile_text_is_handled_in_linear_time(text: str) -> None:
    """Uploads can be 20 MB; no pattern may turn odd text into minutes of work."""
    started = time.process_time()
    try:
        parse_report(text)
    except ReportReadError as error:
        check_error(error)
    assert time.process_time() - started < 3
