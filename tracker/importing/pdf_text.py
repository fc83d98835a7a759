"""Text from a PDF, with paragraphs rebuilt from where each line sits on the page.

Why pypdf and not pdfminer.six (both are installed): measured with bench/parse_bench.py
on this project's 2-core machine, median of 5 runs (pypdf column is the whole
read_report; pdfminer column is only its ``extract_text``, before any parsing):

=========================================  ===================  ===================
file                                       pypdf (read_report)  pdfminer.six (text)
=========================================  ===================  ===================
ofsted-cambridgeshire-ilacs-2024 (12 pp.)  0.42 s               0.72 s
ofsted-cumberland-ilacs-2024 (12 pp.)      0.40 s               0.83 s
generated report (114 pp., 611 KB)         0.69 s               4.58 s
=========================================  ===================  ===================

pdfminer alone misses the 3-second target for a 100-page report. Quality decided it as
well: pdfminer's layout analysis split the "What needs to improve?" bullets into
separate boxes ("... manageable workloads" / "and consistency for children.") and
printed numbered paragraphs as "4." "5." "6." followed by their texts, so items lose
their numbers. pypdf keeps each line whole and in reading order, and its
``visitor_text`` callback reports where every line starts, which is all we need to
find paragraph breaks, hanging indents and each page's running header and footer.
pypdf's ``layout`` mode was rejected too: it pads words with spaces to mimic columns
("su             pport"). Almost all the time is pypdf parsing content streams (about
35 ms per dense real page); the geometry and parsing here add a few milliseconds.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from .cleaning import clean_text
from .errors import ReportReadError
from .markers import match_list_marker
from .paragraphs import is_page_number, join_lines
from .pdf_lines import PdfLine, PdfPage
from .pdf_tables import rebuild_tables

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

# Bounds on the work one file may cost, so a hostile or broken PDF cannot hold a web
# worker. The longest corpus report has 58 pages and the slowest reads in 1-1.8 s
# (BENCHMARKS.md); the time limit stays under gunicorn's 30-second worker timeout. A file
# of thousands of pages that all share one content stream is small on disk but would
# make pypdf parse that stream once per page.
MAX_PDF_PAGES = 1000
MAX_CONTENT_BYTES = 40 * 1024 * 1024
MAX_READ_SECONDS = 20.0
# Counted after inflating: a 35 KB page can hold 10 MB of text operators, which pypdf parses
# in one go inside the page. The densest real report page holds about 100 KB.
MAX_PAGE_INFLATED_BYTES = 4 * 1024 * 1024

# pypdf logs each defect it works around ("EOF marker not found", "Advanced encoding
# ... not implemented") as a warning or error. With logging unconfigured, Python prints
# those to stderr, which would break `flask tracker parse`'s promise of exactly one line
# on stderr; a file we cannot read is reported through ReportReadError instead. An
# application that configures the "pypdf" logger itself keeps its own setting.
_PYPDF_LOGGER = logging.getLogger("pypdf")
if _PYPDF_LOGGER.level == logging.NOTSET:
    _PYPDF_LOGGER.setLevel(logging.CRITICAL)

# Fraction of the page height at the top and the bottom where running headers live.
_MARGIN_BAND = 0.1


def pdf_to_text(data: bytes, filename: str) -> str:
    """Extract clean text from PDF bytes (see :func:`tracker.importing.extract_text`)."""
    return pdf_to_text_and_pages(data, filename)[0]


def pdf_to_text_and_pages(data: bytes, filename: str) -> tuple[str, list[str]]:
    """The clean text, and each page's own text (to say which page an item is on)."""
    pages = _read_pages(data, filename)
    page_texts = [" ".join(line.text for line in page.lines) for page in pages]
    _remove_running_headers_and_page_numbers(pages)
    rebuild_tables(pages)
    line_gap = _typical_line_gap(pages)
    paragraphs: list[list[PdfLine]] = []
    for page in pages:
        page_paragraphs = _paragraphs(page, line_gap)
        if paragraphs and page_paragraphs and _continues_from_previous_page(paragraphs[-1], page_paragraphs[0]):
            paragraphs[-1].extend(page_paragraphs.pop(0))
        paragraphs.extend(page_paragraphs)
    text = clean_text("\n\n".join(_join_paragraph(lines) for lines in paragraphs))
    if not text.strip():
        raise ReportReadError(
            f"{filename} has no text layer (it may be a scanned image); "
            "upload the original document or a PDF with selectable text"
        )
    return text, page_texts


def _read_pages(data: bytes, filename: str) -> list[PdfPage]:
    # pypdf can raise nearly anything on a damaged file (ValueError, KeyError,
    # RecursionError, its own PdfReadError...), so every failure is translated here.
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _open_with_empty_password(reader):
            raise ReportReadError(f"{filename} is a password-protected PDF; remove the password and upload it again")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ReportReadError(f"{filename} has more than {MAX_PDF_PAGES} pages, which is too long for a report")
        _refuse_oversized_content(reader, filename)
        deadline = time.monotonic() + MAX_READ_SECONDS
        pages: list[PdfPage] = []
        inflated = 0
        for page in reader.pages:
            _check_time(deadline, filename)
            page_bytes = _inflated_length(page.get("/Contents"))
            inflated += page_bytes
            if page_bytes > MAX_PAGE_INFLATED_BYTES or inflated > MAX_CONTENT_BYTES:
                raise ReportReadError(
                    f"{filename} has a page holding more than {MAX_PAGE_INFLATED_BYTES // (1024 * 1024)} MB of content "
                    "once unpacked (or more than all of a report's pages together); it may be damaged or built to "
                    "overload the importer"
                )
            pages.append(_read_page(page, deadline, filename))
        return pages
    except ReportReadError:
        raise
    except FileNotDecryptedError as error:
        raise ReportReadError(
            f"{filename} is a password-protected PDF; remove the password and upload it again"
        ) from error
    except Exception as error:  # noqa: BLE001 - see the comment at the top of this function
        raise ReportReadError(f"{filename} is a damaged or unreadable PDF ({type(error).__name__})") from error


def _refuse_oversized_content(reader: PdfReader, filename: str) -> None:
    """Refuse before reading when the pages' content streams add up to too much.

    Counted per page, so a stream shared by many pages counts once for each page that
    draws it: that is the work extraction would do. Compressed lengths are read from the
    file without decompressing anything; the time limit covers streams that inflate.
    """
    total = 0
    for page in reader.pages:
        total += _content_length(page.get("/Contents"))
        if total > MAX_CONTENT_BYTES:
            raise ReportReadError(
                f"{filename} has more than {MAX_CONTENT_BYTES // (1024 * 1024)} MB of page content, "
                "far more than any report; it may be damaged or built to overload the importer"
            )


def _check_time(deadline: float, filename: str) -> None:
    if time.monotonic() > deadline:
        raise ReportReadError(
            f"{filename} took more than {MAX_READ_SECONDS:.0f} seconds to read, which no real report needs; "
            "it may be damaged. Upload the original document or save it as a new PDF"
        )


def _inflated_length(contents: object, depth: int = 0) -> int:
    """The length of a page's content stream(s) once decompressed (pypdf caps each inflation)."""
    if contents is None or depth > 3:
        return 0
    resolved = contents.get_object() if hasattr(contents, "get_object") else contents
    if isinstance(resolved, list):
        return sum(_inflated_length(part, depth + 1) for part in resolved)
    get_data = getattr(resolved, "get_data", None)
    return len(get_data()) if callable(get_data) else 0


def _content_length(contents: object, depth: int = 0) -> int:
    """The stored length of a page's content stream(s), following references."""
    if contents is None or depth > 3:
        return 0
    resolved = contents.get_object() if hasattr(contents, "get_object") else contents
    if isinstance(resolved, list):
        return sum(_content_length(part, depth + 1) for part in resolved)
    raw = getattr(resolved, "_data", None)
    if isinstance(raw, bytes | bytearray):
        return len(raw)
    length = resolved.get("/Length") if hasattr(resolved, "get") else None
    if length is not None and hasattr(length, "get_object"):
        length = length.get_object()
    return int(length) if isinstance(length, int | float) else 0


def _open_with_empty_password(reader: PdfReader) -> bool:
    """Many published PDFs are 'encrypted' only to restrict printing, with no password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - unsupported encryption is simply "cannot open"
        return False


def _read_page(page: PageObject, deadline: float = float("inf"), filename: str = "The file") -> PdfPage:
    collector = _LineCollector(lambda: _check_time(deadline, filename))
    text = page.extract_text(visitor_text=collector.visit)
    lines = collector.finish()
    if "\n".join(line.text for line in lines).split() != text.split():
        # The visitor and the extracted text disagree (an unusual content stream):
        # trust pypdf's text and give up on geometry for this page.
        lines = [PdfLine(text=line) for line in text.split("\n")]
    box = page.mediabox
    return PdfPage(lines=lines, bottom=float(box.bottom), height=float(box.height) or 1.0)


_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def _is_bold(font: object) -> bool:
    """Whether a line starts in a bold face, from its font's name ("Tahoma-Bold")."""
    try:
        name = font.get("/BaseFont") if hasattr(font, "get") else None
    except Exception:  # noqa: BLE001 - a damaged font dictionary just means "not known to be bold"
        return False
    return bool(name) and bool(_BOLD_FONT.search(str(name)))


class _LineCollector:
    """Receives pypdf's text chunks and cuts them into lines where pypdf puts newlines."""

    def __init__(self, check_time: Callable[[], None] = lambda: None) -> None:
        self.lines: list[PdfLine] = []
        self.current = PdfLine(text="")
        self.check_time = check_time  # within a page too: one page can hold a great deal
        self.visits = 0

    def visit(self, text: str, cm: list[float], tm: list[float], font: object, font_size: float) -> None:
        self.visits += 1
        if self.visits % 256 == 0:
            self.check_time()
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index > 0:
                self.lines.append(self.current)
                self.current = PdfLine(text="")
            if piece.strip() and self.current.x is None:
                self._place(cm, tm, font_size)
                self.current.bold = _is_bold(font)
            self.current.text += piece

    def _place(self, cm: list[float], tm: list[float], font_size: float) -> None:
        # The text's user-space position is the text matrix's origin mapped through the
        # current transformation matrix.
        tx, ty = tm[4], tm[5]
        self.current.x = tx * cm[0] + ty * cm[2] + cm[4]
        self.current.y = tx * cm[1] + ty * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        self.current.size = round(font_size * scale, 1)

    def finish(self) -> list[PdfLine]:
        self.lines.append(self.current)
        return self.lines


def _remove_running_headers_and_page_numbers(pages: list[PdfPage]) -> None:
    """Blank out lines that repeat in the page margins, and page numbers.

    A line is furniture when it sits in the top or bottom band of the page (or is among
    the first or last two lines pypdf emitted for it) and the same text, digits masked,
    appears on at least 40% of pages. Page numbers in those places go as well.
    """
    candidates: list[tuple[PdfPage, int, str]] = []
    for page in pages:
        for index in _margin_line_indexes(page):
            candidates.append((page, index, _mask_digits(page.lines[index].text)))
    pages_with_key = Counter(key for key in {(id(page), key) for page, _, key in candidates})
    pages_per_key = Counter(key for _, key in pages_with_key)
    threshold = max(2, int(0.4 * len(pages) + 0.5))
    for page, index, key in candidates:
        line = page.lines[index]
        if pages_per_key[key] >= threshold or is_page_number(line.text.strip()):
            line.text = ""


def _margin_line_indexes(page: PdfPage) -> list[int]:
    text_indexes = [index for index, line in enumerate(page.lines) if not line.is_blank]
    chosen = set(text_indexes[:2] + text_indexes[-2:])
    for index in text_indexes:
        y = page.lines[index].y
        if y is not None:
            relative = (y - page.bottom) / page.height
            if relative < _MARGIN_BAND or relative > 1 - _MARGIN_BAND:
                chosen.add(index)
    return sorted(chosen)


def _mask_digits(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _typical_line_gap(pages: list[PdfPage]) -> dict[float, float]:
    """The usual distance between wrapped lines, per font size, across the document."""
    gaps: dict[float, list[float]] = {}
    for page in pages:
        previous: PdfLine | None = None
        for line in page.lines:
            if line.is_blank or line.y is None:
                previous = None
                continue
            if previous is not None and previous.y is not None and previous.size == line.size:
                gap = round(previous.y - line.y, 1)
                if 0 < gap < 3 * line.size:
                    gaps.setdefault(line.size, []).append(gap)
            previous = line
    return {size: statistics.median_low(values) for size, values in gaps.items() if values}


def _paragraphs(page: PdfPage, line_gap: dict[float, float]) -> list[list[PdfLine]]:
    """Group a page's lines into paragraphs using blank lines, spacing and indents."""
    paragraphs: list[list[PdfLine]] = []
    for line in page.lines:
        if line.is_blank:
            if paragraphs and paragraphs[-1]:
                paragraphs.append([])
            continue
        if not paragraphs or not paragraphs[-1] or _starts_new_paragraph(paragraphs[-1], line, line_gap):
            if paragraphs and not paragraphs[-1]:
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [lines for lines in paragraphs if lines]


def _continues_from_previous_page(last: list[PdfLine], first: list[PdfLine]) -> bool:
    """A paragraph cut by a page break: it stops mid-sentence and the next page goes on
    in the same type size, without starting a list item. (The cleaner also joins any
    paragraph that resumes in lower case; this catches "... the Leicester City" /
    "Child Sexual Exploitation meetings".)"""
    ending = last[-1].text.strip()
    opening = first[0].text.strip()
    return (
        len(" ".join(line.text for line in last)) >= 40
        and ending[-1:] not in ".!?:;)"
        and abs(last[-1].size - first[0].size) <= 1.0
        and match_list_marker(opening) is None
    )


def _starts_new_paragraph(paragraph: list[PdfLine], line: PdfLine, line_gap: dict[float, float]) -> bool:
    previous = paragraph[-1]
    text = line.text.strip()
    if match_list_marker(text):
        return True
    if line.y is None or previous.y is None:
        return False
    if abs(line.size - previous.size) > 1.0:
        return True
    if previous.bold and not line.bold and all(earlier.bold for earlier in paragraph):
        return True  # a heading set in bold at the body's size, then its text
    gap = previous.y - line.y
    if gap <= 0:  # same line or moved up the page: a new column or table cell
        return True
    usual = line_gap.get(line.size, 1.25 * line.size)
    if gap > 1.3 * usual:
        return True
    if _ended_short_at_sentence_end(paragraph, line) or _owner_sentence_at_line_start(paragraph, line):
        return True
    return _outdented_after_hanging_indent(paragraph, line)


_SHORT_LAST_LINE = 0.7


def _owner_sentence_at_line_start(paragraph: list[PdfLine], line: PdfLine) -> bool:
    """ "Leaders across the partnership should ..." starting a line, after a line that
    ended a sentence, at the paragraph's margin: the next recommendation, printed without
    space between (a sentence inside a paragraph rarely starts exactly at a line start
    and names an owner)."""
    from .groups import subject_owner

    previous = paragraph[-1].text.strip()
    return (
        previous[-1:] in ".!?"
        and line.x is not None
        and paragraph[0].x is not None
        and abs(line.x - paragraph[0].x) <= 3
        and subject_owner(line.text.strip() + " x") is not None
    )


def _ended_short_at_sentence_end(paragraph: list[PdfLine], line: PdfLine) -> bool:
    """Text flows: within a paragraph a new sentence starts on the line where the last
    one ended. A sentence that ends on a short line, with the next line starting a
    capitalised sentence at the same margin, is a paragraph break printed without extra
    space (as unbordered table cells are)."""
    if len(paragraph) < 2:
        return False
    previous = paragraph[-1].text.strip()
    text = line.text.strip()
    longest = max(len(earlier.text.strip()) for earlier in paragraph)
    return (
        previous[-1:] in ".!?"
        and len(previous) < _SHORT_LAST_LINE * longest
        and text[:1].isupper()
        and line.x is not None
        and paragraph[0].x is not None
        and abs(line.x - paragraph[0].x) <= 3
    )


def _outdented_after_hanging_indent(paragraph: list[PdfLine], line: PdfLine) -> bool:
    """A list item's wrapped lines are indented; a line back at the margin is new text."""
    if len(paragraph) < 2 or line.x is None:
        return False
    first, second = paragraph[0], paragraph[1]
    if first.x is None or second.x is None or second.x <= first.x + 3:
        return False
    return line.x < second.x - 3


def _join_paragraph(lines: list[PdfLine]) -> str:
    return join_lines([line.text.strip() for line in lines])
