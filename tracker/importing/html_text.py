"""Text from an HTML page (a report saved from a browser or exported from a CMS).

The page is walked element by element rather than with ``get_text()`` so that block
elements become separate paragraphs and ordered lists keep their numbers ("4.", "iii."),
which the browser draws but the HTML source does not contain.
"""

from __future__ import annotations

import re

from .cleaning import clean_text
from .docx_text import format_list_number
from .errors import ReportReadError

_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "nav",
    "svg",
    "iframe",
    "object",
    "button",
    "form",
    "select",
}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "footer",
    "blockquote",
    "address",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "body",
    "html",
    "caption",
    "details",
    "summary",
}
_LIST_TYPES = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_FOOTNOTE_MARKER = re.compile(r"^\[?[\d*†‡a-z]{1,3}\]?$")


def html_to_text(text: str, filename: str) -> str:
    """Extract clean text from an HTML document's source."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
        root = soup.body or soup
        pieces: list[str] = []
        _render(root, pieces)
    except RecursionError as error:
        raise ReportReadError(f"{filename} is HTML nested too deeply to read") from error
    except Exception as error:  # noqa: BLE001 - parser failures on junk input
        raise ReportReadError(f"{filename} could not be read as HTML ({type(error).__name__})") from error
    return clean_text("".join(pieces))


def _render(node, pieces: list[str]) -> None:  # noqa: ANN001 - bs4 node
    from bs4 import Comment, NavigableString, Tag

    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            pieces.append(re.sub(r"\s+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        _render_tag(child, pieces)


def _render_tag(tag, pieces: list[str]) -> None:  # noqa: ANN001
    name = tag.name.lower() if tag.name else ""
    if name in _SKIPPED:
        return
    if name == "br":
        pieces.append("\n")
    elif name == "sup" and _FOOTNOTE_MARKER.match(tag.get_text(strip=True)):
        return  # a footnote reference; the footnote itself stays in the text
    elif name in ("ol", "ul"):
        pieces.append("\n\n")
        _render_list(tag, pieces)
        pieces.append("\n\n")
    elif name == "tr":
        cells = []
        for cell in tag.find_all(["td", "th"], recursive=False):
            cell_pieces: list[str] = []
            _render(cell, cell_pieces)
            cells.append(" ".join("".join(cell_pieces).split()))
        pieces.append("\n" + "\t".join(cells) + "\n")
    elif name in _BLOCKS or name == "li":
        pieces.append("\n\n")
        _render(tag, pieces)
        pieces.append("\n\n")
    else:
        _render(tag, pieces)


def _render_list(list_tag, pieces: list[str]) -> None:  # noqa: ANN001
    ordered = list_tag.name.lower() == "ol"
    number_format = _LIST_TYPES.get(str(list_tag.get("type", "1")), "decimal")
    counter = _int(list_tag.get("start"), 1) - 1
    for item in list_tag.find_all("li", recursive=False):
        counter = _int(item.get("value"), counter + 1)
        marker = f"{format_list_number(counter, number_format)}." if ordered else "•"
        item_pieces: list[str] = []
        _render(item, item_pieces)
        item_text = "".join(item_pieces).strip()
        # A nested list stays on its own lines; the item's first line gets the marker.
        pieces.append(f"\n{marker} {item_text}\n")


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default
