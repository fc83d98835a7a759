"""The text cleaner: one clean shape of text whatever the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.importing.cleaning import clean_text
from tracker.importing.markers import match_list_marker
from tracker.importing.paragraphs import join_line_pair

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_REPORTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "reports"


def _texts() -> list[Path]:
    paths = sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.md"))
    return paths + (sorted(SHARED_REPORTS.glob("*.txt")) if SHARED_REPORTS.exists() else [])


@pytest.mark.parametrize("path", _texts(), ids=lambda path: path.name)
def test_cleaning_is_idempotent(path: Path) -> None:
    once = clean_text(path.read_text(encoding="utf-8"))
    assert clean_text(once) == once


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("“Quoted” and ‘single’ – dash — em", "\"Quoted\" and 'single' – dash – em"),
        ("non\u2011breaking\u00a0space and\u200b zero width", "non-breaking space and zero width"),
        ("of\ufb01ce \ufb02ow", "office flow"),
        ("<p>Para</p><p>Next</p>", "Para\nNext"),
        ("a <b>bold</b> &amp; <i>italic</i> word", "a bold & italic word"),
        ("rate was 37.9%¹ and 40%<sup>2</sup>.", "rate was 37.9% and 40%."),
        ("## **Recommendations**", "Recommendations"),
        ("*Overall work was good.* More", "Overall work was good. More"),
        ("see [the standards](https://example.org) <https://example.org/x>", "see the standards https://example.org/x"),
        ("1\\. escaped number", "1. escaped number"),
        ("| 1.1 | Staff | Good |\n|---|---|---|", "1.1\tStaff\tGood"),
        ("col\t\t  two   spaces", "col\ttwo spaces"),
        (
            "first part of a sentence that runs on\n\nand ends here.",
            "first part of a sentence that runs on and ends here.",
        ),
        ("A heading\n\n12\n\nNext heading", "A heading\n\nNext heading"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        ("develops effective case manage-", "ment practice", "develops effective case management practice"),
        ("through a well-", "established board", "through a well-established board"),
        ("out-of-", "hours support", "out-of-hours support"),
        ("aged 16-", "and 17-year-olds", "aged 16- and 17-year-olds"),
        ("ends here", "and goes on", "ends here and goes on"),
    ],
)
def test_join_line_pair(first: str, second: str, joined: str) -> None:
    assert join_line_pair(first, second) == joined


@pytest.mark.parametrize(
    ("line", "label", "style"),
    [
        ("4. text", "4", "decimal"),
        ("(4) text", "4", "decimal"),
        ("4) text", "4", "decimal"),
        ("1.1. text", "1.1", "decimal"),
        ("iii. text", "iii", "roman"),
        ("(iv) text", "iv", "roman"),
        ("i. text", "i", "roman-or-letter"),
        ("b) text", "b", "letter"),
        ("- iii. text", "iii", "roman"),
        ("• text", "", "bullet"),
        ("\uf0b7 text", "", "bullet"),
        ("◼ text", "", "bullet"),
    ],
)
def test_list_markers(line: str, label: str, style: str) -> None:
    marker = match_list_marker(line)
    assert marker is not None
    assert (marker.label, marker.style, line[marker.text_start :]) == (label, style, "text")


@pytest.mark.parametrize("line", ["i.e. this", "4.5% of cases", "2018. The year", "cd. word", "A. Smith", "plain text"])
def test_not_list_markers(line: str) -> None:
    assert match_list_marker(line) is None
