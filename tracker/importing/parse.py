"""Clean report text in, a ParsedReport out. Pure: no I/O, no Flask, no database.

:mod:`.section` finds the recommendations and their context; this module decides each
item's owners (brackets at the end of the item, else its owner heading, else the
letter's addressee, else none, with a warning), its deadline, and the warnings, and
gathers the report's other facts from :mod:`.metadata`.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .cleaning import clean_text
from .cutoff import mark_cut_off
from .deadlines import item_deadline, opening_deadline, report_deadline
from .errors import NoRecommendationsFound, only_report_read_errors
from .groups import deadline_opened_owner, subject_owner
from .headings import heading_as_printed
from .item import sequence_value
from .lines import paragraphs_one_a_line, split_lines
from .metadata import (
    PublicationDate,
    find_addressee_role,
    find_inspectorate,
    find_overall_rating,
    find_publication_date,
    find_ratings,
    find_service,
    find_title,
)
from .models import ParsedRecommendation, ParsedReport, ParsedSection
from .owners import has_role_word, split_column_owners, split_owner_list
from .section import (
    SHORT_ITEM_WORDS,
    Item,
    Section,
    find_recommendations_sections,
)
from .shapes import find_sections_by_shape
from .status_table import numbered_header_cells_blanked
from .survey import PassedOver, passed_over_sections

# "... in a timely manner (Chief Executive and the YOS Management Board)." The owners
# close the item; brackets earlier in the sentence, like "(CAMHS)", are part of the text.
_BRACKETS_AT_END = re.compile(r"\s*\((?P<owners>[^()]{2,200})\)\s*[.;,]?\s*$")
# "... (lead responsibility in brackets):" in the section's introduction.
_BRACKET_OWNERS_ANNOUNCED = re.compile(r"\bbrackets\b|\blead responsibility\b|\bresponsible\b", re.IGNORECASE)
# "(Outcome 3, national framework)", "(Enabler two)", "(see paragraph 12)": a reference
# to a framework or to the report, which is part of the item's text, never an owner.
_CROSS_REFERENCE = re.compile(
    r"^(?:see\s+)?(?:outcomes?|enablers?|principles?|paragraphs?|paras?|sections?|pages?|recommendations?|annex|appendix)\b"
    r"|\bframework\b"
    # "(in partnership with health)", "(area 3)", "(which should include ...)": a clause or a place, not an owner.
    r"|^(?:in\s+partnership\s+with|in\s+line\s+with|with\s+|which\b|who\b|that\b|including\b|areas?\s+\d)|\bshould\b",
    re.IGNORECASE,
)
LONG_ITEM_WORDS = 250
# A table row rebuilt by :mod:`.pdf_tables`: "... [Responsible body: Halton Borough Council and ...]".
_COLUMN_OWNERS = re.compile(r"\s*\[Responsible bod(?:y|ies):\s*(?P<owners>[^\[\]]{2,300})\]\s*$")


def parse_report(text: str) -> ParsedReport:
    """Parse a report's text (any form: it is cleaned first) into a ParsedReport.

    Raises ReportReadError when the text has no recommendations section, because a
    report without recommendations cannot become an improvement plan and the user
    should hear why rather than get an empty import.
    """
    with only_report_read_errors("The report text"):
        return parse_clean_text(clean_text(text))


def parse_clean_text(text: str) -> ParsedReport:
    """Parse text that :func:`tracker.importing.cleaning.clean_text` has already cleaned.

    Every recommendations section is read, in reading order; bulleted and unnumbered
    items are numbered by their position across all of them.
    """
    lines = numbered_header_cells_blanked(paragraphs_one_a_line(split_lines(text)))
    try:
        sections = find_recommendations_sections(lines)
    except NoRecommendationsFound as error:
        sections = find_sections_by_shape(lines)  # no known heading: recommendation-shaped lists
        if not sections:
            raise NoRecommendationsFound(str(error), text=text) from None
    first = sections[0]
    title = find_title(lines)
    service = find_service(text, lines, title)
    # The line holding the heading (a heading run in after a sentence starts inside its line).
    heading_index = next(index for index, line in enumerate(lines) if line.start <= first.heading.start <= line.end)
    publication = find_publication_date(lines, heading_index)
    report_rule, report_months = report_deadline(first.heading.text, first.intro, text)
    addressee = find_addressee_role(lines[:heading_index], service)

    recommendations: list[ParsedRecommendation] = []
    found: list[ParsedSection] = []
    for section in sections:
        bracket_owners_expected = _bracket_owners_expected(section)
        built = [
            _build_recommendation(
                item,
                len(recommendations) + offset,
                section,
                (report_rule, report_months),
                addressee,
                bracket_owners_expected,
            )
            for offset, item in enumerate(section.items, start=1)
        ]
        recommendations.extend(built)
        found.append(_describe_section(section, built))
    recommendations = mark_cut_off(recommendations, text)
    passed_over = tuple(
        _describe_passed_over(entry, len(recommendations), (report_rule, report_months), addressee)
        for entry in passed_over_sections(lines, sections)
    )
    warnings = _report_warnings(
        publication, tuple(recommendations), [item for section in sections for item in section.items]
    )
    return ParsedReport(
        service=service,
        inspectorate=find_inspectorate(text),
        inspection_type=title.inspection_type,
        publication_date=publication.value if publication else None,
        date_precision=publication.precision if publication else None,
        overall_rating=find_overall_rating(lines),
        ratings=find_ratings(lines),
        deadline_rule=report_rule,
        deadline_months=report_months,
        recommendations=tuple(recommendations),
        warnings=tuple(warnings),
        text=text,
        recommendations_heading=heading_as_printed(first.heading.text),
        sections=tuple(found),
        passed_over=passed_over,
    )


def _describe_passed_over(
    entry: PassedOver, position: int, rule: tuple[str, int | None], addressee: str | None
) -> ParsedSection:
    """A heading that was not kept, and what it gave: "also looked like recommendations"."""
    built = tuple(
        _build_recommendation(item, position + offset, entry.section, rule, addressee, False)
        for offset, item in enumerate(entry.items, start=1)
    )
    if not built:
        note = f'The heading "{entry.heading}" gave no recommendations; check the report there.'
    else:
        kind = "numbered " if all(item.style not in ("bullet", "paragraph") for item in entry.items) else ""
        count = f"{len(built)} {kind}item{'s' if len(built) != 1 else ''}"
        note = f'Also looked like recommendations: {count} under "{entry.heading}"; they were not added.'
    return ParsedSection(
        heading=entry.heading, page=None, item_count=len(built), partial=not built, note=note, candidates=built
    )


def _describe_section(section: Section, built: list[ParsedRecommendation]) -> ParsedSection:
    """What the review screen says about a section: its heading and items per group."""
    groups: dict[str, int] = {}
    for recommendation in built:
        if recommendation.group:
            groups[recommendation.group] = groups.get(recommendation.group, 0) + 1
    # A gap in the numbering, or an item that runs on far too long, means part of the
    # section was not read as items: say so rather than let the count look complete.
    problems = _numbering_warnings(section.items) + [
        f"Recommendation {item.number} is {len(item.text.split())} words long "
        "and may run into the next part of the report."
        for item in built
        if len(item.text.split()) > LONG_ITEM_WORDS
    ]
    return ParsedSection(
        heading=heading_as_printed(section.heading.text),
        page=None,
        item_count=len(built),
        groups=tuple(groups.items()),
        partial=bool(problems),
        note=" ".join(problems) or None,
    )


# --- owners, deadlines and warnings ---------------------------------------------------


def _bracket_owners_expected(section: Section) -> bool:
    """Owners in brackets are expected when the intro says so or most items have them."""
    if any(_BRACKET_OWNERS_ANNOUNCED.search(line) for line in section.intro):
        return True
    items = section.items
    with_brackets = sum(1 for item in items if _owner_brackets(item.text))
    return len(items) >= 2 and with_brackets * 2 >= len(items)


def _owner_brackets(text: str) -> re.Match[str] | None:
    """Brackets closing the item that may name its owners (not a cross-reference)."""
    brackets = _BRACKETS_AT_END.search(text)
    if brackets is None or _CROSS_REFERENCE.search(brackets.group("owners").strip()):
        return None
    return brackets


def _build_recommendation(
    item: Item,
    position: int,
    section: Section,
    report_deadline_rule: tuple[str, int | None],
    addressee: str | None,
    bracket_owners_expected: bool,
) -> ParsedRecommendation:
    number = item.label if item.style not in ("bullet", "paragraph") else str(position)
    text = item.text
    context = item.context
    owners: list[str] = []
    source = "none"
    reason = "No owner is named for this item in the report."
    brackets = _owner_brackets(text)
    subject = subject_owner(text)
    column = _COLUMN_OWNERS.search(text)
    if column:
        owners = split_column_owners(column.group("owners"))
        text = text[: column.start()].rstrip()
        source, reason = "column", f'Named in the table\'s "Responsible body" column: "{column.group("owners")}"'
    elif brackets and (bracket_owners_expected or has_role_word(brackets.group("owners"))):
        owners = split_owner_list(brackets.group("owners"))
        text = text[: brackets.start()].rstrip()
        source, reason = "brackets", f'Named in brackets at the end of the item: "({brackets.group("owners")})"'
    elif context.owner_source == "subject" and (opened := deadline_opened_owner(text)):
        # A lone paragraph opened by its deadline (see .shapes): its subject is the owner. In a
        # list, "By March 2025, the council should ..." keeps its whole text (see .groups).
        owners, source, text = split_owner_list(opened[0]), "subject", opened[1]
        reason = f'The item itself says "{opened[0]} should ..."'
    elif context.owner:
        owners, source = split_owner_list(context.owner), context.owner_source
        if source == "heading":
            reason = f'Named in the heading "{context.owner_line}"'
        elif source == "question":
            reason = f'Named in the section\'s question "{context.owner_line}"'
        else:
            reason = f'Named in the sentence before the list: "{_shorten(context.owner_line)}"'
    elif subject:
        owners, source = split_owner_list(subject[0]), "subject"
        text = subject[1]
        reason = f'The item itself says "{subject[0]} should ..."'
    elif addressee:
        owners, source = [addressee], "addressee"
        reason = f"The letter is addressed to {addressee}; check this is the right owner."
    rule: str
    months: int | None
    if context.time_group:
        (rule, months), deadline_reason = context.time_group, f'Under "{context.time_line}" in the report'
    elif own := item_deadline(item.text):
        (rule, months), deadline_reason = own, f'The item itself says "{own[0]}"'
    else:
        rule, months = report_deadline_rule
        deadline_reason = (
            f'The report says its recommendations apply "{rule}"'
            if months is not None
            else "The report states no deadline, so the usual 12 months applies."
        )
        if opened := opening_deadline(item.text):  # "Not later than 31 March 2015 ...": a date, not a period
            deadline_reason = f'The item opens "{opened[0]}"; set that date at review. ' + deadline_reason
    warnings = _item_warnings(text, source)
    return ParsedRecommendation(
        number=number,
        text=text,
        owners=tuple(owners),
        owner_source=source,
        deadline_rule=rule,
        deadline_months=months,
        warnings=tuple(warnings),
        source_start=item.start,
        source_end=item.end,
        source_heading=context.path(heading_as_printed(section.heading.text)),
        group=context.group,
        owner_reason=reason,
        deadline_reason=deadline_reason,
        printed_number=item.style not in ("bullet", "paragraph"),
    )


def _shorten(sentence: str, limit: int = 140) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 3].rstrip() + "..."


def _item_warnings(text: str, owner_source: str) -> list[str]:
    warnings: list[str] = []
    words = len(text.split())
    if owner_source == "none":
        warnings.append("no owner is named; assign one at review")
    elif owner_source == "addressee":
        warnings.append("the owner is the letter's addressee; check it")
    if words < SHORT_ITEM_WORDS:
        warnings.append(f"the text is only {words} word{'s' if words != 1 else ''} long; check it was read whole")
    elif words > LONG_ITEM_WORDS:
        warnings.append(f"the text is {words} words long; check it does not run into the next part of the report")
    return warnings


def _report_warnings(
    publication: PublicationDate | None, recommendations: tuple[ParsedRecommendation, ...], items: list[Item]
) -> list[str]:
    warnings: list[str] = []
    if publication is None:
        warnings.append("No publication date found; enter it before importing, because deadlines are counted from it.")
    elif publication.precision == "month":
        warnings.append(
            f"The report gives only a month for its publication ({publication.as_written}); confirm the exact date."
        )
    warnings.extend(_numbering_warnings(items))
    for recommendation in recommendations:
        for warning in recommendation.warnings:
            warnings.append(f"Recommendation {recommendation.number}: {warning}.")
    return warnings


def _numbering_warnings(items: list[Item]) -> list[str]:
    warnings: list[str] = []
    for previous, current in pairwise(items):
        before = sequence_value(previous.label, previous.style)
        after = sequence_value(current.label, current.style)
        if before is not None and after is not None and after not in (before + 1, 1):
            warnings.append(
                f"Numbering jumps from {previous.label} to {current.label}; check no recommendation was missed."
            )
    return warnings
