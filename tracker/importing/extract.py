"""From uploaded bytes to clean text: decide what the file is, then read it.

The type is decided from the content, never the file name: people rename files, browsers
add ".txt", and a PNG called "report.pdf" must get a clear answer rather than a stack
trace from a PDF library.
"""

from __future__ import annotations

import re

from .cleaning import clean_text
from .docx_text import docx_to_text
from .errors import ReportReadError, only_report_read_errors
from .html_text import html_to_text
from .pdf_text import pdf_to_text, pdf_to_text_and_pages

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Formats we recognise only to name them in the error message.
_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a bitmap image"),
    (b"RIFF", "a media file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office file (.doc/.xls); save it as .docx or PDF"),
    (b"{\\rtf", "a Rich Text (RTF) file; save it as .docx or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"%!PS", "a PostScript file"),
)

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_HTML_BLOCK_TAGS = re.compile(r"</(?:p|h[1-6]|li|div|table|ol|ul)\s*>", re.IGNORECASE)

# More than this share of control characters means the "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01


def detect_kind(data: bytes, name: str = "The file") -> str:
    """Return "pdf", "docx" or "text" for the bytes, or raise ReportReadError.

    HTML and Markdown are both text; :func:`extract_text` tells them apart after
    decoding.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx"
    for signature, description in _OTHER_FORMATS:
        if data.startswith(signature) and not (signature in (b"BM", b"MZ") and _mostly_printable(data[:512])):
            raise ReportReadError(
                f"{name} is {description}, not a report; upload a PDF, Word (.docx), HTML, Markdown or text file"
            )
    return "text"


def _mostly_printable(data: bytes) -> bool:
    """ "BM" and "MZ" can also start ordinary text; they only mean binary if the rest is."""
    return sum(1 for byte in data if byte >= 32 or byte in (9, 10, 13)) >= 0.95 * len(data)


def decode_text(data: bytes, filename: str) -> str:
    """Decode a text upload: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Windows-1252 is accepted because text saved on Windows by older tools is common;
    it cannot decode five byte values, and anything with many control characters is
    refused as binary rather than turned into mojibake.
    """
    candidates = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_share(text) <= _MAX_CONTROL_SHARE:
            return text
        break
    raise ReportReadError(
        f"{filename} is not a readable document: it is neither a PDF nor a Word file, and its text cannot be decoded"
    )


_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL_CHARACTER.findall(text)) / len(text)


def looks_like_html(text: str) -> bool:
    """A whole HTML document, as opposed to plain text with a few stray tags in it."""
    if _HTML_START.match(text):
        return True
    return text.lstrip().startswith("<") and len(_HTML_BLOCK_TAGS.findall(text[:20000])) >= 2


def extract_text_and_pages(data: bytes, filename: str) -> tuple[str, list[str] | None]:
    """:func:`extract_text`, plus each page's text for a PDF (None for other formats)."""
    name = display_name(filename)
    with only_report_read_errors(name):
        if data and len(data) <= MAX_UPLOAD_BYTES and detect_kind(data, name) == "pdf":
            text, pages = pdf_to_text_and_pages(data, name)
            return text, pages
        return _extract(data, name), None


def extract_text(data: bytes, filename: str) -> str:
    """Return the clean text of a PDF, DOCX, HTML, Markdown or plain-text report.

    ``filename`` is used only in messages; the type comes from the bytes. Raises
    ReportReadError (and nothing else) for empty, oversized, unsupported, encrypted,
    damaged or undecodable files.
    """
    name = display_name(filename)
    with only_report_read_errors(name):
        return _extract(data, name)


def _extract(data: bytes, name: str) -> str:
    if not data:
        raise ReportReadError(f"{name} is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ReportReadError(f"{name} is larger than the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB upload limit")
    kind = detect_kind(data, name)
    if kind == "pdf":
        text = pdf_to_text(data, name)
    elif kind == "docx":
        text = docx_to_text(data, name)
    else:
        decoded = decode_text(data, name)
        text = html_to_text(decoded, name) if looks_like_html(decoded) else clean_text(decoded)
    if not text.strip():
        raise ReportReadError(f"{name} contains no text")
    return text


def display_name(filename: str) -> str:
    """The file name as it can safely appear inside a one-line message."""
    name = " ".join(str(filename or "").split())
    if not name:
        return "The file"
    return name if len(name) <= 80 else name[:77] + "..."
