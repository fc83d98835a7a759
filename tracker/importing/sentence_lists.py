"""A list whose items were run together into one paragraph of sentences.

A web page that lost its bullets prints "What the care home could do better: Care plans
need to be signed. Medication storage needs closer monitoring. ..." as one paragraph, the
heading often run in after the sentence before it. When a heading ending with ":" is
followed by a paragraph in which every sentence says what must be done ("need to",
"must", "should", "could be improved"), each sentence is an item; a sentence that opens
with a connective ("Also to ensure ...") carries on the one before it. A paragraph with
any sentence that only comments ("A timescale ... would assist the manager") is not a
list, and gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .groups import GroupContext
from .item import Item
from .lines import TextLine
from .section import Section

# A heading ending with ":" run in after a sentence: "... carried out. What the care home could do better: Care ..."
_RUN_IN_HEADING = re.compile(r"(?:^|(?<=[.?!])\s+)(?P<heading>[A-Z][^.:?!]{5,60}:)\s+(?=[A-Z])")
_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s+[A-Z]|\s*$)|$)", re.DOTALL)
_OBLIGATION = re.compile(
    r"\b(?:must|should|ought\s+to|needs?\s+to|needs?\s+(?:closer|more|better|further|\w+ing)\b|"
    r"could\s+be\s+(?:improved|better|strengthened))",
    re.IGNORECASE,
)
_CONNECTIVE = re.compile(r"^(?:also|and|but|this|these|it|they|in\s+addition|as\s+well)\b", re.IGNORECASE)
MIN_SENTENCE_ITEMS = 2
MAX_HEADING_WORDS = 10


@dataclass(frozen=True)
class _Paragraph:
    heading: TextLine
    text: str
    start: int  # offset of ``text`` in the clean text


def sentence_list_section(lines: list[TextLine]) -> list[Section]:
    """The first paragraph under a ":" heading whose sentences are all actions, one item a
    sentence, as a section; [] when there is none."""
    for paragraph in _paragraphs_under_headings(lines):
        items = _sentence_items(paragraph)
        if len(items) >= MIN_SENTENCE_ITEMS:
            return [Section(heading=paragraph.heading, items=items, end_index=len(lines))]
    return []


def _paragraphs_under_headings(lines: list[TextLine]) -> list[_Paragraph]:
    found: list[_Paragraph] = []
    for index, line in enumerate(lines):
        for run_in in _RUN_IN_HEADING.finditer(line.text):
            heading = run_in.group("heading")
            if len(heading.split()) > MAX_HEADING_WORDS:
                continue
            offset = line.start + (len(line.text) - len(line.text.lstrip()))
            heading_line = TextLine(
                text=heading, start=offset + run_in.start("heading"), end=offset + run_in.end("heading")
            )
            rest = line.text[run_in.end() :]
            next_heading = _RUN_IN_HEADING.search(rest)
            rest = rest[: next_heading.start()] if next_heading else rest
            found.append(_Paragraph(heading=heading_line, text=rest, start=offset + run_in.end()))
        if line.text.endswith(":") and len(line.text.split()) <= MAX_HEADING_WORDS:
            following = next((below for below in lines[index + 1 :] if not below.is_blank), None)
            if following is not None and not following.text.endswith(":"):
                found.append(_Paragraph(heading=line, text=following.text, start=following.start))
    return found


def _sentence_items(paragraph: _Paragraph) -> list[Item]:
    items: list[Item] = []
    for sentence in _SENTENCE.finditer(paragraph.text):
        text = sentence.group(0).strip()
        start, end = paragraph.start + sentence.start(), paragraph.start + sentence.end()
        if items and _CONNECTIVE.match(text):
            items[-1].parts.append(text)
            items[-1].end = end
            continue
        if not _OBLIGATION.search(text):
            return []
        items.append(Item(label="", style="paragraph", parts=[text], start=start, end=end, context=GroupContext()))
    return items
