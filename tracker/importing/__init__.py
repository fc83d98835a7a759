"""Reading inspection reports: uploaded file in, a :class:`ParsedReport` value out.

The package is pure (no Flask, no database) so the import screen, the ``flask tracker
parse`` command and the tests all get the same answer from the same bytes.

    read_report(data, filename)   bytes of a PDF/DOCX/HTML/Markdown/text file -> ParsedReport
    extract_text(data, filename)  the same bytes -> the clean text that is parsed
    parse_report(text)            text -> ParsedReport
    match_owner(phrase, roles)    an owner phrase -> the key of the matching role, or None

Everything that goes wrong surfaces as :class:`ReportReadError`, whose message can be
shown to the user as it is.
"""

from __future__ import annotations

from .errors import NoRecommendationsFound, ReportReadError, only_report_read_errors
from .extract import (
    MAX_UPLOAD_BYTES,
    display_name,
    extract_text,
    extract_text_and_pages,
)
from .models import ParsedRecommendation, ParsedReport, ParsedSection
from .owners import match_owner
from .pages import with_pages
from .parse import parse_clean_text, parse_report

__all__ = [
    "MAX_UPLOAD_BYTES",
    "NoRecommendationsFound",
    "ParsedRecommendation",
    "ParsedReport",
    "ParsedSection",
    "ReportReadError",
    "extract_text",
    "match_owner",
    "parse_report",
    "read_report",
]


def read_report(data: bytes, filename: str) -> ParsedReport:
    """Read an uploaded report: detect its type from its content, extract text, parse.

    ``filename`` only appears in error messages; a PNG renamed "report.pdf" is refused
    as a PNG. Raises ReportReadError, and nothing else, for any file it cannot use.
    """
    with only_report_read_errors(display_name(filename)):
        text, pages = extract_text_and_pages(data, filename)
        report = parse_clean_text(text)
        return with_pages(report, pages) if pages else report
