"""Finding a report's recommendations sections and splitting each into items.

Every heading that can start a section ("What needs to improve?", "What does the LSCB
need to improve?", "Areas for priority action", "Recommendations"...) is read in turn.
The walk after a heading keeps a :class:`GroupContext` (owner, time group, theme) from
the group headings it meets; list items of any kind start items, other lines continue
them or end the section. A section with no list markers gives its paragraphs as items.
A later section counts only if it is another list of recommendations, not findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .deadlines import DEADLINE_RULE, time_group
from .errors import NoRecommendationsFound
from .groups import GroupContext, is_theme_heading, lead_owner, question_owner, subject_owner
from .headings import (
    NONE_FOUND,
    PLAIN_FOOTNOTE_BODY,
    QUESTION_WITH_SUB_HEADING,
    RECOMMENDATIONS_ONLY_HEADING,
    SECTION_HEADING,
    SUB_HEADING,
    TRAILING_TIME_GROUP,
    improvement_after_priority,
    is_instruction,
    is_letter,
    is_section_heading,
    looks_like_heading,
    owner_heading,
    split_at_owner_sentences,
)
from .item import Item, continues_mid_sentence, continues_sequence, resolve_style
from .lines import TextLine, next_text_index
from .markers import ListMarker, match_list_marker
from .paragraphs import is_footnote_body, is_page_number

# "Recommendation 3 – ...", and "R3 - ..." or "· R1 Raise ..." (R1 to R7 may run on through several owner lines).
NAMED_RECOMMENDATION = re.compile(
    r"^(?:[•·▪-]\s+)?(?:recommendation\s+(?P<label>\d{1,3})|(?P<r_label>R\d{1,2}))\b\s*(?:[:.–-]\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)

# Paragraphs that introduce a section rather than recommend something; and the inspectors
# speaking of their own work ("We set out our detailed findings below."), which a
# recommendation put to a body never does.
_INTRODUCTION = re.compile(
    r"\brecommend|\bfollowing\b|\bpost-inspection\b|\bwe have made\b|\bpublication\b|^(?:we|our)\s",
    re.IGNORECASE,
)

MAX_INTRO_PARAGRAPHS = 12
SHORT_ITEM_WORDS = 4


@dataclass
class Section:
    """What reading one candidate section produced."""

    heading: TextLine
    items: list[Item] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    end_index: int = 0  # the line where reading stopped
    footnotes: set[str] = field(default_factory=set)  # numbers of footnotes printed inside it
    heading_repeated: bool = False


# --- finding the section ---------------------------------------------------------------


def find_recommendations_sections(lines: list[TextLine]) -> list[Section]:
    """Every recommendations section in reading order (a report may have several: the
    local authority's list and the LSCB's, or "Areas for priority action" before "What
    needs to improve?"). Raises NoRecommendationsFound, with a reason that is true for
    the text, when there is none."""
    headings = [index for index, line in enumerate(lines) if is_section_heading(line.text)]
    found: list[Section] = []
    first_with_items: Section | None = None
    read_up_to = -1
    for index in headings:
        if index < read_up_to:
            continue  # already read as part of the section before it
        section = read_section(lines, index)
        read_up_to = section.end_index
        words = sum(len(item.text.split()) for item in section.items)
        if section.items and words >= SHORT_ITEM_WORDS * len(section.items):
            if (
                not found
                or _is_further_section(section)
                or improvement_after_priority(found[-1].heading.text, section.heading.text)
            ):
                found.append(section)
        elif section.items and first_with_items is None:
            first_with_items = section
    if found:
        return found
    if first_with_items is not None:
        return [first_with_items]
    if headings:
        raise NoRecommendationsFound(
            f'No recommendations section was found: the heading "{lines[headings[0]].text}" '
            "is not followed by any recommendations"
        )
    if is_letter(lines):
        raise NoRecommendationsFound(
            "No recommendations section was found: this looks like a letter (such as a focused-visit letter) "
            "with no 'What needs to improve' list"
        )
    raise NoRecommendationsFound(
        'No recommendations section was found: the report has no heading such as "Recommendations", '
        '"Areas for improvement" or "What needs to improve?"'
    )


def _is_further_section(section: Section) -> bool:
    """Whether a section after the first is another list of recommendations."""
    if RECOMMENDATIONS_ONLY_HEADING.match(section.heading.text) and not section.heading.text.endswith(":"):
        return True
    if section.heading.text.endswith(":"):
        return False
    owned = sum(
        1 for item in section.items if item.context.owner or subject_owner(item.text) or is_instruction(item.text)
    )
    return owned * 2 > len(section.items)


# --- reading a section -----------------------------------------------------------------


@dataclass
class _Reader:
    """The state while walking the lines of one section."""

    lines: list[TextLine]
    section: Section
    context: GroupContext = field(default_factory=GroupContext)
    style: str | None = None
    after_gap: bool = False
    restart_allowed: bool = True
    plain_blocks: list[list[tuple[TextLine, GroupContext]]] = field(default_factory=list)


def read_section(lines: list[TextLine], heading_index: int, owner_from_heading: bool = False) -> Section:
    heading = lines[heading_index]
    reader = _Reader(lines=lines, section=Section(heading=heading))
    glued = QUESTION_WITH_SUB_HEADING.match(heading.text)
    question = glued.group("heading") if glued else heading.text
    if owner := question_owner(question):
        reader.context = reader.context.with_owner(owner, "question", question)
    elif owner_from_heading and (owner := owner_heading(heading.text)):  # "Schools should:" (see .shapes)
        reader.context = reader.context.with_owner(owner, "heading", heading.text)
    elif owner_from_heading and (owner := lead_owner(heading.text)):  # "Key areas of focus for the council include:"
        reader.context = reader.context.with_owner(owner, "lead", heading.text)
    if glued:
        reader.context = reader.context.with_theme(glued.group("sub"))
    index = heading_index + 1
    while index < len(lines):
        if not _read_line(reader, index):
            break
        index += 1
    reader.section.end_index = index
    _remove_footnote_markers(reader.section)
    if not reader.section.items:
        _paragraphs_as_items(reader)
    return reader.section


def _remove_footnote_markers(section: Section) -> None:
    """ "cared for children2 receive": the marker of a footnote printed in the section."""
    for number in section.footnotes:
        marker = re.compile(rf"(?<=[a-z.,;:)]){number}(?=[\s.,;:]|$)")
        for item in section.items:
            item.parts = [marker.sub("", part) for part in item.parts]


def _read_line(reader: _Reader, index: int) -> bool:
    """Handle one line; return False when the section has ended."""
    line = reader.lines[index]
    items = reader.section.items
    if line.is_blank:
        reader.after_gap = True
        return True
    if is_footnote_body(line.text) or is_page_number(line.text):
        return True
    if footnote := PLAIN_FOOTNOTE_BODY.match(line.text):
        # "2 Looked after children ... are known locally as ...": a footnote printed in
        # the middle of the list (a list number always has its "." or ")").
        reader.section.footnotes.add(footnote.group("number"))
        return True
    if SECTION_HEADING.match(line.text):
        if reader.context.owner_source == "question" and SUB_HEADING.match(line.text):
            # "What does the local authority need to improve?" is divided into "Priority
            # and immediate action" and "Areas for improvement": groups of one section.
            reader.context = reader.context.with_theme(line.text.rstrip(":"))
            reader.restart_allowed = True
            reader.after_gap = True
            return True
        if line.text.rstrip(":?.").lower() == reader.section.heading.text.rstrip(":?.").lower() and not items:
            reader.section.heading_repeated = True  # a table's header cell under the heading
        return not items and not reader.plain_blocks
    if owner := owner_heading(line.text):
        reader.context = reader.context.with_owner(owner, "heading", line.text)
        reader.restart_allowed = True
        reader.after_gap = True
        return True
    if group := time_group(line.text):
        reader.context = reader.context.with_time_group(group, line.text)
        reader.restart_allowed = True
        reader.after_gap = True
        return True
    if _theme_before_items(reader, index):
        reader.context = reader.context.with_theme(line.text.rstrip(":"))
        reader.after_gap = True
        return True
    if named := NAMED_RECOMMENDATION.match(line.text):
        rest = named.group("rest").strip()
        marker = ListMarker(
            label=named.group("label") or named.group("r_label"), style="decimal", text_start=named.start("rest")
        )
        keep_going = _read_list_item(reader, line, marker)
        if keep_going and not rest and reader.section.items:
            reader.section.items[-1].awaiting_text = True
        return keep_going
    list_marker = match_list_marker(line.text)
    if list_marker and line.text[list_marker.text_start :].strip():
        return _read_list_item(reader, line, list_marker)
    return _read_plain_line(reader, index)


def _read_list_item(reader: _Reader, line: TextLine, marker: ListMarker) -> bool:
    items = reader.section.items
    text = line.text[marker.text_start :].strip()
    if NONE_FOUND.match(text):
        # "26. The inspection did not find any areas for priority and immediate action."
        reader.section.intro.append(text)
        reader.after_gap = True
        return True
    if marker.style == "bullet" and _introduces_inner_bullets(reader):
        _paragraphs_as_items(reader)
        reader.plain_blocks = []
        reader.style = "paragraph"
    if reader.style == "paragraph" and items and marker.style == "bullet":
        items[-1].parts.append(line.text)  # "This includes ensuring that:" and its bullets
        items[-1].end = line.end
        reader.after_gap = False
        return True
    if not items and (owner := lead_owner(text)):
        # "15. In order to improve ..., the local authority should take the following
        # action." is a numbered paragraph that introduces the list, not an item.
        reader.context = reader.context.with_owner(owner, "lead", text)
        reader.section.intro.append(text)
        reader.after_gap = True
        return True
    style = resolve_style(marker, reader.style, items)
    if reader.style is None:
        reader.style = style
    elif style != reader.style:
        if not items:
            return True
        items[-1].parts.append(line.text)  # a sub-point ("a. ...") of the current item
        items[-1].end = line.end
        reader.after_gap = False
        return True
    if items and not reader.restart_allowed and not continues_sequence(items[-1], marker.label, style):
        return False  # numbering starts again: a different list
    first_part = line.text[marker.text_start :].strip()
    glued_group = TRAILING_TIME_GROUP.search(first_part)
    if glued_group:
        # "... the recently introduced policy change Within three months:": the item had
        # no full stop, so the next group's heading was joined onto it.
        first_part = first_part[: glued_group.start()].rstrip()
    items.append(
        Item(
            label=marker.label,
            style=style,
            parts=[part for part in [first_part] if part],
            start=line.start,
            end=line.end,
            context=reader.context,
        )
    )
    reader.after_gap = False
    reader.restart_allowed = False
    if glued_group and (group := time_group(glued_group.group("heading"))):
        reader.context = reader.context.with_time_group(group, glued_group.group("heading"))
        reader.restart_allowed = True
    return True


def _read_plain_line(reader: _Reader, index: int) -> bool:
    line = reader.lines[index]
    items = reader.section.items
    if not items:
        return _read_intro_line(reader, line)
    current = items[-1]
    if reader.style == "paragraph" and reader.after_gap and subject_owner(line.text):
        # The next recommendation written as a paragraph, after one with inner bullets.
        items.append(
            Item(label="", style="paragraph", parts=[line.text], start=line.start, end=line.end, context=reader.context)
        )
        reader.after_gap = False
        return True
    if reader.after_gap and line.text.endswith(":") and not current.awaiting_text:
        # "The local authority has the following strengths:": a new list is introduced
        # (strengths, evidence) even if its numbering carries straight on.
        return False
    if (
        current.awaiting_text
        or not reader.after_gap
        or continues_mid_sentence(current, line.text)
        or _paragraph_inside_item(reader, index)
    ):
        current.parts.append(line.text)
        current.end = line.end
        current.awaiting_text = False
        reader.after_gap = False
        return True
    return False


def _read_intro_line(reader: _Reader, line: TextLine) -> bool:
    """Lines between the heading and the first item: intro text or unnumbered items."""
    if looks_like_heading(line.text):
        return False
    if not reader.section.items and (owner := lead_owner(line.text)):
        reader.context = reader.context.with_owner(owner, "lead", line.text)
    entry = (line, reader.context)
    if reader.after_gap or not reader.plain_blocks:
        if len(reader.plain_blocks) >= MAX_INTRO_PARAGRAPHS:
            return False
        reader.plain_blocks.append([entry])
    else:
        reader.plain_blocks[-1].append(entry)
    reader.section.intro.append(line.text)
    reader.after_gap = False
    return True


def _paragraphs_as_items(reader: _Reader) -> None:
    """A section with no list markers: each paragraph that is not an intro is an item."""
    heading = reader.section.heading.text.rstrip(":?.")
    for block in reader.plain_blocks:
        text = " ".join(line.text for line, _ in block)
        glued_to_header = bool(heading) and text.lower().startswith(heading.lower() + " ")
        # In an unbordered table (its header cell repeats the heading) items run on
        # with no space between them, so each owner's "should" sentence starts one.
        in_one_cell = (glued_to_header or reader.section.heading_repeated) and len(reader.plain_blocks) == 1
        if glued_to_header:
            text = text[len(heading) + 1 :]
        if (text.endswith(":") and not subject_owner(text)) or _INTRODUCTION.search(text) or DEADLINE_RULE.search(text):
            continue
        if not (text.endswith((".", ";")) or len(text.split()) >= 12):
            continue
        first, context = block[0]
        for part in split_at_owner_sentences(text) if in_one_cell else [text]:
            reader.section.items.append(
                Item(
                    label="", style="paragraph", parts=[part], start=first.start, end=block[-1][0].end, context=context
                )
            )


def _introduces_inner_bullets(reader: _Reader) -> bool:
    """ "Leaders should ... . This includes ensuring that:" then bullets: the paragraph is
    a recommendation (it names its owner) and the bullets are its parts."""
    if reader.section.items or not reader.plain_blocks:
        return False
    text = " ".join(line.text for line, _ in reader.plain_blocks[-1])
    return text.endswith(":") and subject_owner(text) is not None and lead_owner(text) is None


def _paragraph_inside_item(reader: _Reader, index: int) -> bool:
    """A paragraph after a gap belongs to the item if the list carries on right after it."""
    line = reader.lines[index]
    if looks_like_heading(line.text):
        return False
    following = next_text_index(reader.lines, index + 1)
    if following is None:
        return False
    if named := NAMED_RECOMMENDATION.match(reader.lines[following].text):
        return continues_sequence(reader.section.items[-1], named.group("label") or named.group("r_label"), "decimal")
    marker = match_list_marker(reader.lines[following].text)
    if marker is None or reader.style is None:
        return False
    style = resolve_style(marker, reader.style, reader.section.items)
    return style == reader.style and continues_sequence(reader.section.items[-1], marker.label, style)


def _theme_before_items(reader: _Reader, index: int) -> bool:
    """A short title ("Priority and immediate action", "Corporate parenting") with list
    items, or more group headings, right after it. Before the first item any list may
    follow; between items, only a numbered list that carries on (a bullet list after a
    title is the next part of the report: strengths, evidence)."""
    text = reader.lines[index].text
    if not is_theme_heading(text) or match_list_marker(text):
        return False
    if reader.context.owner_source == "question" and not reader.section.items:
        return True  # "Priority and immediate action" may be followed by "None found."
    following = next_text_index(reader.lines, index + 1)
    lookahead = 0
    while following is not None and lookahead < 3:
        next_text = reader.lines[following].text
        if not (is_theme_heading(next_text) or time_group(next_text) or owner_heading(next_text)):
            break
        following = next_text_index(reader.lines, following + 1)
        lookahead += 1
    if following is None:
        return False
    marker = match_list_marker(reader.lines[following].text)
    if marker is None:
        return False
    items = reader.section.items
    if not items:
        return True
    style = resolve_style(marker, reader.style, items)
    return style == reader.style and style != "bullet" and continues_sequence(items[-1], marker.label, style)
