"""Putting a report's lines back into paragraphs, the line-level half of cleaning.

:func:`.cleaning.clean_text` first normalises characters and strips markup; then the
lines go through here: page numbers and the running headers and footers beside them are
dropped, hard-wrapped lines are joined, a paragraph that a page break split is joined
again, and runs of blank lines become one. :func:`join_lines` and
:func:`join_line_pair` also join the lines of one item while the parser reads it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .markers import match_list_marker

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
PAGE_BREAK = "\f"
# A footnote's text begins with its superscript number: "¹ Source: ...".
FOOTNOTE_BODY = re.compile("^[" + SUPERSCRIPT_DIGITS + r"]+\s")

_PAGE_NUMBER_LINE = re.compile(
    r"^(?:page[ \t]*)?\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?$|^[-–][ \t]*\d{1,4}[ \t]*[-–]$",
    re.IGNORECASE,
)
_PAGE_WORD_LINE = re.compile(r"\bpage[ \t]*\d{1,4}(?:[ \t]*of[ \t]*\d{1,4})?$", re.IGNORECASE)

# Words that keep their hyphen when a line break falls right after it ("well-" /
# "established"); any other "word-" / "word" split at a line end is line-end hyphenation.
_HYPHENATED_PREFIXES = frozenset(
    [
        "well",
        "self",
        "non",
        "multi",
        "cross",
        "co",
        "ex",
        "post",
        "pre",
        "anti",
        "inter",
        "intra",
        "sub",
        "semi",
        "mid",
        "under",
        "over",
        "out",
        "all",
        "high",
        "low",
        "long",
        "short",
        "full",
        "part",
        "half",
        "first",
        "second",
        "third",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "ten",
        "single",
        "double",
        "joint",
        "year",
        "day",
        "week",
        "month",
        "child",
        "young",
        "risk",
        "front",
        "fast",
        "follow",
        "step",
        "age",
        "time",
        "case",
        "decision",
    ]
)

_SENTENCE_END = ".!?:;"


def is_footnote_body(line: str) -> bool:
    """A footnote's text, which begins with its superscript number."""
    return bool(FOOTNOTE_BODY.match(line))


def is_page_number(line: str) -> bool:
    """ "12", "Page 12", "Page 12 of 40", "- 12 -", and a web page's "« Previous | Contents | Next »"."""
    return bool(_PAGE_NUMBER_LINE.match(line)) or bool(
        re.match(r"^«?\s*previous\s*\|.*\bnext\s*»?$", line, re.IGNORECASE)
    )


def remove_page_furniture(lines: list[str]) -> list[str]:
    """Drop page numbers and the running headers and footers that sit next to them.

    A bare number is only a page number when it stands alone between blank lines (or
    page breaks); a running header is a line that repeats beside page numbers or page
    breaks, compared with its digits masked so "Page 3 of 9" and "Page 4 of 9" match.
    """
    page_markers = {index for index, line in enumerate(lines) if _is_page_marker(lines, index)}
    neighbours = [index for marker in page_markers for index in _nearest_text_lines(lines, marker)]
    neighbours = [index for index in neighbours if index not in page_markers]
    counts = Counter(_furniture_key(lines[index]) for index in neighbours)
    running = {index for index in neighbours if counts[_furniture_key(lines[index])] >= 2}
    kept: list[str] = []
    for index, line in enumerate(lines):
        if index in page_markers or index in running:
            kept.append("")
        else:
            kept.append(line)
    return kept


def _is_page_marker(lines: list[str], index: int) -> bool:
    line = lines[index]
    if line == PAGE_BREAK:
        return True
    if len(line) <= 60 and _PAGE_WORD_LINE.search(line) and not match_list_marker(line):
        return True
    if not is_page_number(line):
        return False
    before = lines[index - 1] if index > 0 else ""
    after = lines[index + 1] if index + 1 < len(lines) else ""
    return before in ("", PAGE_BREAK) and after in ("", PAGE_BREAK)


def _nearest_text_lines(lines: list[str], index: int) -> Iterable[int]:
    """The nearest non-blank line before and after ``index``."""
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(lines) and lines[position] == "":
            position += step
        if 0 <= position < len(lines) and lines[position] != PAGE_BREAK and len(lines[position]) <= 100:
            yield position


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join a line to the one before it when it continues the same paragraph.

    A line continues the previous one when it starts in lower case, or when the document
    is hard-wrapped and the previous line ran to the wrap width without ending a
    sentence. New list items, table rows (tabs) and footnotes never continue a line.
    Each paragraph is kept as a list of its lines and joined once, so the work stays
    linear however long a paragraph is.
    """
    wrap_width = _hard_wrap_width(lines)
    paragraphs: list[list[str]] = []
    for line in lines:
        previous = paragraphs[-1][-1] if paragraphs else ""
        if previous and line and _continues(previous, line, wrap_width):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return [join_lines(paragraph) for paragraph in paragraphs]


def _hard_wrap_width(lines: list[str]) -> int | None:
    """The width text was wrapped at, or None when paragraphs are one line each."""
    lengths = sorted(len(line) for line in lines if line and "\t" not in line)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.95) - 1]
    long_lines = sum(1 for length in lengths if length >= 0.7 * width)
    if 60 <= width <= 110 and long_lines >= 0.5 * len(lengths):
        return width
    return None


def _continues(previous: str, line: str, wrap_width: int | None) -> bool:
    if line == PAGE_BREAK or previous == PAGE_BREAK:
        return False
    if "\t" in line or "\t" in previous or is_footnote_body(line) or match_list_marker(line):
        return False
    if previous.endswith(":"):
        return False
    if line[0].islower():
        return True
    return (
        wrap_width is not None
        and len(previous) >= 0.7 * wrap_width
        and previous[-1] not in _SENTENCE_END
        and not is_footnote_body(previous)
    )


def join_lines(lines: list[str]) -> str:
    """Join a paragraph's wrapped lines into one, undoing line-end hyphenation."""
    parts: list[str] = []
    for line in lines:
        if parts:
            keep, separator = _joint(parts[-1], line)
            parts[-1] = parts[-1][:keep]
            parts.append(separator)
        parts.append(line)
    return "".join(parts)


def join_line_pair(previous: str, line: str) -> str:
    """Join two wrapped lines, undoing line-end hyphenation ("manage-" + "ment")."""
    return join_lines([previous, line])


def _joint(previous: str, line: str) -> tuple[int, str]:
    """How much of ``previous`` to keep, and what goes between it and ``line``.

    "manage-" + "ment" loses the hyphen; "well-" + "established" and "out-of-" +
    "hours" keep it, because those hyphens belong to the words. Only the end of
    ``previous`` is examined, so joining stays cheap for long paragraphs.
    """
    tail = previous[-80:]
    hyphenated = re.search(r"([A-Za-z]+)-$", tail)
    if hyphenated and line[:1].islower():
        fragment = hyphenated.group(1)
        next_word = line.split(" ", 1)[0]
        keeps_hyphen = (
            fragment.lower() in _HYPHENATED_PREFIXES or "-" in next_word or tail[: hyphenated.start()].endswith("-")
        )
        return (len(previous), "") if keeps_hyphen else (len(previous) - 1, "")
    return len(previous), " "


def join_paragraphs_split_by_page_breaks(lines: list[str]) -> list[str]:
    """Join a paragraph that a page break (or a blank line) cut in the middle.

    The first part ends mid-sentence and the second starts in lower case. Footnotes
    printed between the two halves move to just after the joined paragraph.
    """
    output: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line == PAGE_BREAK:
            output.append("")
            continue
        pieces = [line]
        moved_footnotes: list[str] = []
        while _may_continue_on_next_page(pieces[-1]):
            position, footnotes = _skip_blank_and_footnotes(lines, index)
            if position >= len(lines) or not _starts_continuation(lines[position]):
                break
            pieces.append(lines[position])
            moved_footnotes.extend(footnotes)
            index = position + 1
        output.append(join_lines(pieces))
        for footnote in moved_footnotes:
            output.extend(["", footnote])
        if moved_footnotes:
            output.append("")
    return output


def _may_continue_on_next_page(line: str) -> bool:
    """The line ends mid-sentence and is long enough not to be a heading."""
    return (
        len(line) >= 25
        and line[-1] not in _SENTENCE_END + ")\"'"
        and "\t" not in line
        and not is_footnote_body(line)
        and line != PAGE_BREAK
    )


def _skip_blank_and_footnotes(lines: list[str], index: int) -> tuple[int, list[str]]:
    """Index of the next line with text after a gap (len(lines) if there is no gap)."""
    footnotes: list[str] = []
    start = index
    while index < len(lines) and (lines[index] in ("", PAGE_BREAK) or is_footnote_body(lines[index])):
        if is_footnote_body(lines[index]):
            footnotes.append(lines[index])
        index += 1
    if index == start:
        return len(lines), []
    return index, footnotes


def _starts_continuation(line: str) -> bool:
    return bool(line) and line[0].islower() and "\t" not in line and not match_list_marker(line)


def collapse_blank_lines(lines: list[str]) -> list[str]:
    """At most one blank line in a row, none at either end."""
    collapsed: list[str] = []
    for line in lines:
        if line == "" and (not collapsed or collapsed[-1] == ""):
            continue
        collapsed.append(line)
    while collapsed and collapsed[-1] == "":
        collapsed.pop()
    return collapsed
