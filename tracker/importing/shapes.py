"""Recommendation-shaped content where no known heading starts a section.

Pages pasted from other inspectorates, committee papers and news stories often have no
"Recommendations" heading. When :func:`.section.find_recommendations_sections` finds
none, these starts are tried, strongest first:

1. a lead sentence that announces a list ("The report made the following five
   recommendations:", "There are three recommendations made:", "CSSIW recommendations
   include:");
2. an owner line ending "should:" ("Schools should:") or naming whom the items are for
   ("Main Recommendations to the Governor"), which names the owner of the items below it;
3. "Recommendation N" labels;
4. the header of a status table ("Recommendation Status Rationale"), whose rows are read
   as numbered items without their status, or of an action plan flattened with " / "
   between its cells, whose recommendations column is read (see .status_table);
5. a run of three or more numbered paragraphs ("11.1", "12.1", a pipe table's "1 | ...")
   most of which say what "should" be done;
6. a paragraph under a heading ending ":" whose every sentence says what must be done,
   read as one item a sentence (see .sentence_lists);
7. last, paragraphs of prose that begin "We recommend that ...", or that open with a
   deadline and then say who should act ("Not later than 31 March 2015 all forces
   should ...", as a register of recommendations prints each one on its page).

The first start that gives items is read like any section, so owners, deadlines and the
review screen's account work the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from .groups import GroupContext, deadline_opened_owner
from .headings import names_its_owner, owner_heading
from .lines import TextLine
from .markers import match_list_marker
from .section import NAMED_RECOMMENDATION, Item, Section, read_section
from .sentence_lists import sentence_list_section
from .status_table import STATUS_HEADER, slash_header_column, slash_rows_as_items, status_rows_as_items

# "The report made the following five recommendations:", "There are three
# recommendations made:", "CSSIW recommendations include:", "The inspectorate's four
# remaining recommendations are:"; and a list of what a named body is to improve:
# "Key areas of focus for the council include:", "Priorities for the service are:".
_LEAD_SENTENCE = re.compile(
    r"\brecommendations?\b[^.:]{0,60}?(?:\b(?:are|were|include|includes|made|as\s+follows)\b)?\s*:$"
    r"|\bfollowing\s+(?:\w+\s+){0,2}recommendations?\b[^.:]{0,30}:$"
    r"|^(?:the\s+)?(?:key\s+|main\s+)?(?:areas\s+(?:of\s+focus|for\s+improvement)|priorities|improvements\s+needed)\s+for\s+[^.:]{3,60}\s+(?:include|are):$",
    re.IGNORECASE,
)
_LEAD_THEN_ITEM = re.compile(
    r"^(?P<lead>[^:]{0,60}\brecommendations?\b[^.:]{0,80}:)\s+(?P<item>[A-Z][^:]{20,})$", re.IGNORECASE
)
# "1 | Police Scotland should ... |": a row of a Markdown pipe table (cleaning may have made its cells tab-separated).
_PIPE_ROW = re.compile(r"^\|?[ ]*(?P<number>\d{1,3}(?:\.\d{1,3})*)[ ]*(?:\||\t)\s*(?P<text>.+?)[ ]*\|?\s*$")
_PIPE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], start=1
    )
}
# "There are three recommendations made:", "The report made the following 5 recommendations:".
_ANNOUNCED_COUNT = re.compile(
    rf"\b(?P<count>\d{{1,2}}|{'|'.join(_NUMBER_WORDS)})\s+(?:\w+\s+)?recommendations\b", re.IGNORECASE
)
_SHOULD = re.compile(r"\b(?:should|must|needs?\s+to)\b", re.IGNORECASE)
_WE_RECOMMEND = re.compile(
    r"^(?:we|inspectors|the\s+inspectorate)\s+(?:also\s+)?recommends?\s+that\s+\S", re.IGNORECASE
)
MIN_NUMBERED_RUN = 3
MAX_STARTS_TRIED = 4
MIN_ITEM_WORDS = 5


def find_sections_by_shape(lines: list[TextLine]) -> list[Section]:
    """The first recommendation-shaped list in the text, as a section; [] when none."""
    lines = slash_rows_as_items(
        status_rows_as_items([_pipe_row_as_item(line) for line in _leads_split_from_their_items(lines)])
    )
    for heading_index in islice(_starts(lines), MAX_STARTS_TRIED):  # each read may run to the end: bound them
        section = read_section(lines, heading_index, owner_from_heading=True)
        if section.items:
            _end_at_announced_count(section)
            return [section]
    return sentence_list_section(lines) or _we_recommend_paragraphs(lines)


def _end_at_announced_count(section: Section) -> None:
    """ "There are three recommendations made:" and three items: the third ends with its own
    sentence, and a paragraph run on below it (pasted text often has no blank line) is not
    part of it."""
    announced = _ANNOUNCED_COUNT.search(section.heading.text)
    if announced is None or _count_value(announced.group("count")) != len(section.items):
        return
    last = section.items[-1]
    for index, part in enumerate(last.parts[:-1]):
        if part.rstrip().endswith((".", "!", "?")) and last.parts[index + 1][:1].isupper():
            del last.parts[index + 1 :]
            return


def _count_value(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def _we_recommend_paragraphs(lines: list[TextLine]) -> list[Section]:
    """Prose with "We recommend that ..." paragraphs, or paragraphs opened by a deadline and
    put to someone, and no list: each such paragraph is an item."""
    found = [
        index for index, line in enumerate(lines) if _WE_RECOMMEND.match(line.text) or deadline_opened_owner(line.text)
    ]
    if not found:
        return []
    section = Section(heading=lines[found[0]], end_index=found[-1] + 1)
    for index in found:
        line = lines[index]
        context = GroupContext()
        if opened := deadline_opened_owner(line.text):  # its subject owns it (see .parse)
            context = context.with_owner(opened[0], "subject", line.text)
        section.items.append(
            Item(label="", style="paragraph", parts=[line.text], start=line.start, end=line.end, context=context)
        )
    return [section]


def _leads_split_from_their_items(lines: list[TextLine]) -> list[TextLine]:
    """ "Recommendations given to the partnership were: Review board ..." on one line: the lead
    sentence on a line of its own, then the item, as if the list had been set out."""
    split: list[TextLine] = []
    for line in lines:
        glued = _LEAD_THEN_ITEM.match(line.text)
        if glued is None or not _LEAD_SENTENCE.search(glued.group("lead")):
            split.append(line)
            continue
        item_start = line.start + glued.start("item")
        split.append(TextLine(text=glued.group("lead"), start=line.start, end=item_start))
        split.append(TextLine(text="", start=item_start, end=item_start))
        split.append(TextLine(text=glued.group("item"), start=item_start, end=line.end))
    return split


def _pipe_row_as_item(line: TextLine) -> TextLine:
    """ "1 | text |" reads as the numbered item "1. text"; the table's rule line as blank."""
    if _PIPE_RULE.match(line.text):
        return TextLine(text="", start=line.start, end=line.end)
    row = _PIPE_ROW.match(line.text)
    if row is None:
        return line
    return TextLine(text=f"{row.group('number')}. {row.group('text')}", start=line.start, end=line.end)


def _starts(lines: list[TextLine]) -> Iterator[int]:
    """Indices of the lines to read a section after (or from, for an owner line)."""
    texts = [line.text for line in lines]
    for index, text in enumerate(texts):
        if text and _LEAD_SENTENCE.search(text) and len(text.split()) <= 20:
            yield index
    for index, text in enumerate(texts):
        if text and owner_heading(text) and (text.endswith(":") or names_its_owner(text)):
            yield index
    for index, text in enumerate(texts):
        if STATUS_HEADER.match(text) or slash_header_column(text):
            yield index
    for index, text in enumerate(texts):
        if NAMED_RECOMMENDATION.match(text):
            yield max(index - 1, 0)
            break
    for index in _numbered_runs(texts):
        yield max(index - 1, 0)


def _numbered_runs(texts: list[str]) -> Iterator[int]:
    """The first line of each run of numbered paragraphs that mostly say "should"."""
    index = 0
    while index < len(texts):
        run = []
        cursor = index
        while cursor < len(texts):
            text = texts[cursor]
            if not text:
                cursor += 1
                continue
            marker = match_list_marker(text)
            if marker is None or marker.style != "decimal" or len(text[marker.text_start :].split()) < MIN_ITEM_WORDS:
                break  # "12. POINTS OF NOTE" is the run's title, not an item
            run.append(text)
            cursor += 1
        if len(run) >= MIN_NUMBERED_RUN and sum(1 for text in run if _SHOULD.search(text)) * 2 > len(run):
            yield index
            index = cursor
        else:
            index += 1
