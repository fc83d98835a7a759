"""The readers themselves refuse the small hostile files of issue 19 quickly, before the child
process's limits are even needed. Each test builds its own file (tests/hostile_files.py)."""

from __future__ import annotations

import re
import time

import pytest
from pypdf import PdfReader

from tests import hostile_files
from tracker.importing import ReportReadError, extract_text, pdf_text, read_report
from tracker.importing.docx_text import format_list_number
from tracker.plans import PlanReadError, read_workbook
from tracker.plans.sheets import SHEET_TAG_RE, _tags

# CPU seconds of this process (the readers run in it here): the bound holds whatever the
# other test worker is doing, and a regression takes minutes, not seconds.
QUICK_SECONDS = 3.0


def test_a_sheet_tag_repeating_one_attribute_is_refused_in_a_moment() -> None:
    data = hostile_files.backtracking_workbook(repeats=30_000)
    assert len(data) < 8_000
    started = time.process_time()
    with pytest.raises(PlanReadError, match="could not be read"):
        read_workbook(data)
    assert time.process_time() - started < QUICK_SECONDS


def test_the_sheet_list_is_read_in_linear_time() -> None:
    tag = b"<sheets><sheet " + b'name="a" ' * 200_000 + b'sheetId="1"/></sheets>'
    started = time.process_time()
    assert _tags(SHEET_TAG_RE, tag, b"name", b"r:id") == []  # no r:id: not a usable sheet
    assert time.process_time() - started < 1.0
    usable = b'<sheet name="Plan" sheetId="1" r:id="rId3"/><sheet r:id="rId4" name="Notes"/>'
    assert _tags(SHEET_TAG_RE, usable, b"name", b"r:id") == [(b"Plan", b"rId3"), (b"Notes", b"rId4")]


def test_a_plan_workbook_still_reads_its_sheets() -> None:
    workbook = read_workbook(hostile_files.plan_xlsx(rows=2))
    assert workbook.sheet_names == ["Action plan"]
    assert workbook.sheet.rows[1][:3] == [1, "Improve the quality of assessment number 1.", "Head of Service"]


def test_a_pdf_whose_one_page_inflates_to_megabytes_is_refused_quickly() -> None:
    data = hostile_files.content_bomb_pdf(inflated_bytes=10 * 1024 * 1024)
    assert len(data) < 60_000  # small on disk: the count is of inflated bytes
    started = time.process_time()
    with pytest.raises(ReportReadError, match="4 MB of content once unpacked"):
        read_report(data, "bomb.pdf")
    assert time.process_time() - started < QUICK_SECONDS


def test_the_time_limit_is_checked_inside_a_page() -> None:
    page = PdfReader(__import__("io").BytesIO(hostile_files.content_bomb_pdf(inflated_bytes=100_000))).pages[0]
    with pytest.raises(ReportReadError, match="seconds to read"):
        pdf_text._read_page(page, deadline=time.monotonic() - 1, filename="slow.pdf")
    assert pdf_text._read_page(page).lines  # without a deadline the same page reads


def test_a_word_list_numbered_from_260_million_in_letters_gets_short_labels() -> None:
    data = hostile_files.numbering_docx(start=260_000_000)
    assert len(data) < 3_000
    started = time.process_time()
    text = extract_text(data, "numbers.docx")
    assert time.process_time() - started < QUICK_SECONDS
    labels = re.findall(r"^(\S+) The board should review", text, re.MULTILINE)
    assert labels == ["260000000.", "260000001.", "260000002."]
    assert len(text) < 1_000


def test_ordinary_letter_numbering_is_unchanged() -> None:
    assert [format_list_number(value, "lowerLetter") for value in (1, 26, 27, 104)] == ["a", "z", "aa", "zzzz"]
    assert format_list_number(105, "upperLetter") == "105"
    text = extract_text(hostile_files.numbering_docx(start=3), "numbers.docx")
    assert re.findall(r"^(\S+) The board", text, re.MULTILINE) == ["c.", "d.", "e."]
