"""Recognising the headings of a report: recommendations sections, their sub-headings,
owner headings ("The local authority should:"), and what a line or a whole text is.

Kept apart from :mod:`.section`, which walks the lines, so that both the walk and these
tests of single lines stay short enough to read.
"""

from __future__ import annotations

import re

from .groups import subject_owner
from .lines import TextLine

# A time-group heading joined onto the end of the item before it.
TRAILING_TIME_GROUP = re.compile(r"\s(?P<heading>(?:Immediately|Within\s+\w+\s+(?:weeks?|months?|years?)):)$")

# A numbered line saying a group is empty is not a recommendation.
NONE_FOUND = re.compile(
    r"^(?:the\s+inspection\s+(?:did\s+not|does\s+not)\s+find\s+any|there\s+(?:are|were)\s+no|none\b|no\s+areas?\s+for)",
    re.IGNORECASE,
)

PLAIN_FOOTNOTE_BODY = re.compile(r"^(?P<number>\d{1,2})\s+[A-Z][a-z]")

SECTION_HEADING = re.compile(
    r"""^
    (?:(?:\d{1,2}(?:\.\d{1,2})*\.?|section\s+\d+:?|part\s+\d+:?|chapter\s+\d+:?)\s+)?   # "4." / "Section 3:"
    (?:
        # whose: "Inspectorates' Recommendations", "HMCPSI's recommendations"
        (?:(?:the\s+)?[A-Za-z]+(?:'|’|'s|’s)\s+)?
        (?:our\s+|key\s+|main\s+|summary\s+of\s+)?recommendations?(?:\s+for\s+improvement)?
        (?:\s*/\s*[a-z ]{3,30})?   # a second name after a slash: "Recommendations / Issues to address"
      | areas?\s+(?:requiring|for|needing)\s+(?:improvement|priority\s+action|development|action)
      | areas?\s+(?:that\s+)?(?:require|requires|need|needs)\s+(?:to\s+)?improve(?:ment)?
      | what\s+needs\s+to\s+(?:be\s+)?improved?(?:\s+further)?
        (?:\s+in\s+this\s+area\s+of\s+(?:social\s+work\s+)?practice)?
      | what\s+(?:does\s+)?(?:the\s+)?[\w' ]{2,40}?\s+needs?\s+to\s+(?:do\s+to\s+)?improve
      | priority\s+actions?
      | actions?\s+required
    )
    (?:\s*[?:.])?(?:\d{1,2}|[*†])?$   # a footnote marker glued on: "What needs to improve?1"
    """,
    re.IGNORECASE | re.VERBOSE,
)


# "The Chair of the YOS Management Board should ensure that:", "Barking and Dagenham YOS
# should:", "The YJB must make sure that:". The verb tail is a short fixed list so that
# sentences such as "Improvement work should focus on ... this report:" never match.
_OWNER_HEADING = re.compile(
    r"""^
    (?i:we\s+recommend\s+that\s+)?
    (?P<owner>(?:the\s+|[A-Z(]).{1,120}?)
    \s+(?i:should|must|needs?\s+to|will\s+need\s+to|is\s+required\s+to|are\s+required\s+to)
    (?i:\s+(?:ensure|make\s+sure|work\s+with\s+partners\s+to|take\s+action\s+to|act\s+to|now))?
    (?i:\s+that)?
    (?i:\s+the\s+following)?
    \s*:?$""",
    re.VERBOSE,
)


# "Recommendation 3: The council should ..." or "Recommendation 3" above its paragraph,
# as HMICFRS, CQC and Ofsted's joint inspections number them.
# Sub-headings that divide a question-headed section rather than start a new one.
SUB_HEADING = re.compile(
    r"^(?:areas?\s+for\s+(?:improvement|development|priority\s+action)|priority\s+(?:and\s+immediate\s+)?actions?)\s*:?$",
    re.IGNORECASE,
)


# "What does the LSCB need to improve? Priority and immediate action" printed as one line.
QUESTION_WITH_SUB_HEADING = re.compile(
    r"^(?P<heading>what\s+(?:does|do)\s+.{2,60}?\s+needs?\s+to\s+improve\?)\s+(?P<sub>[A-Z][\w ,']{2,60})$",
    re.IGNORECASE,
)


# "Recommendations for the Youth Justice Board:"
_OWNER_FOR_HEADING = re.compile(r"^(?:recommendations?\s+)?(?:for|to)\s+(?P<owner>(?:the\s+)?[A-Z].{1,100}?):$")


def improvement_after_priority(before: str, heading: str) -> bool:
    """A letter's "Areas for improvement:" after its "Areas for priority action:": a second list, not findings."""
    return bool(
        re.match(r"areas?\s+for\s+priority\s+action", before, re.I)
        and re.match(r"areas?\s+for\s+improvement", heading, re.I)
    )


def is_letter(lines: list[TextLine]) -> bool:
    """A letter greets its reader ("Dear ...") near the top."""
    opening = [line.text for line in lines[:80] if not line.is_blank][:40]
    return any(re.match(r"^Dear\s+\w", text) for text in opening)


# Headings that only ever introduce recommendations: a report's second list under one of
# these is read too. Other headings ("Areas for improvement:") also label findings inside
# the body, after a list of strengths, so a later list under them counts only when its
# items are put to someone.
RECOMMENDATIONS_ONLY_HEADING = re.compile(
    r"^(?:\d[\d.]*\s+)?(?:what\s+(?:does|do)\b|what\s+needs\s+to\b|areas?\s+for\s+priority\s+action|priority\s+actions?|recommendations?\b)",
    re.IGNORECASE,
)


_GLUED_FOOTNOTE = re.compile(r"(?<=[?:.A-Za-z])(?:\d{1,2}|[*†])$")


def heading_as_printed(text: str) -> str:
    """A section heading without its closing colon or a footnote marker glued to it."""
    return _GLUED_FOOTNOTE.sub("", text).rstrip(":")


def is_section_heading(text: str) -> bool:
    return bool(SECTION_HEADING.match(text) or QUESTION_WITH_SUB_HEADING.match(text))


# Verbs that open a recommendation written as an instruction ("Increase the influence of
# the board ..."); findings and strengths are statements ("There is a lack of ...").
_INSTRUCTION_VERBS = frozenset(
    [
        "accelerate",
        "address",
        "agree",
        "assess",
        "build",
        "clarify",
        "complete",
        "consider",
        "continue",
        "develop",
        "embed",
        "enable",
        "engage",
        "ensure",
        "establish",
        "evaluate",
        "expand",
        "extend",
        "identify",
        "implement",
        "improve",
        "increase",
        "introduce",
        "maintain",
        "make",
        "monitor",
        "prioritise",
        "promote",
        "provide",
        "raise",
        "reduce",
        "review",
        "revise",
        "secure",
        "seek",
        "strengthen",
        "support",
        "tackle",
        "take",
        "undertake",
        "update",
        "use",
        "work",
    ]
)


def is_instruction(text: str) -> bool:
    words = text.split(maxsplit=1)
    return bool(words) and words[0].lower().strip(",") in _INSTRUCTION_VERBS


_SENTENCE_BREAK = re.compile(r"(?<=[.;])\s+(?=[A-Z])")


def split_at_owner_sentences(text: str) -> list[str]:
    """A paragraph holding several recommendations, each opening with its owner and
    "should" ("Leaders should ... . Leaders across the partnership should ..."), as
    unbordered table cells print them: one item per such sentence, with the sentences
    that follow it."""
    sentences = _SENTENCE_BREAK.split(text)
    if sum(1 for sentence in sentences if subject_owner(sentence)) < 2:
        return [text]
    parts: list[str] = []
    for sentence in sentences:
        if subject_owner(sentence) or not parts:
            parts.append(sentence)
        else:
            parts[-1] += " " + sentence
    return parts


def looks_like_heading(text: str) -> bool:
    """A short line without closing punctuation: the title of the next part."""
    words = text.split()
    return 0 < len(words) <= 12 and text[-1] not in ".,;:" and not text[0].islower() and "\t" not in text


# "For the Area Director" over numbered items: an owner heading without its colon.
# "Main Recommendations to the Governor" likewise.
_FOR_OWNER_LINE = re.compile(
    r"^(?:(?i:(?:main\s+|key\s+)?recommendations?\s+)?(?i:for)|(?i:(?:main\s+|key\s+)?recommendations?\s+to))"
    r"\s+(?P<owner>the\s+[A-Z][\w'’&-]*(?:\s+(?:and\s+|of\s+)?[A-Z][\w'’&-]*){0,6})$"
)
_LEADING_BULLET = re.compile(r"^[•·▪◦‣*–-]\s+")


def names_its_owner(text: str) -> bool:
    """ "For the Area Director", "Main Recommendations to the Governor": an owner line
    that needs no colon."""
    return bool(_FOR_OWNER_LINE.match(_LEADING_BULLET.sub("", text)))


def owner_heading(text: str) -> str | None:
    """The owner an owner line names: "The local authority should:", "• Schools should:",
    "Recommendations for the YJB:", "For the Area Director"."""
    text = _LEADING_BULLET.sub("", text)
    if for_owner := _FOR_OWNER_LINE.match(text):
        return for_owner.group("owner")
    if not text.endswith(":") and not re.search(r"\b(?:should|must|that)$", text, re.IGNORECASE):
        return None
    match = _OWNER_HEADING.match(text) or _OWNER_FOR_HEADING.match(text)
    if not match:
        return None
    owner = match.group("owner").strip(" ,")
    if len(owner.split()) > 14 or re.search(r"\b(?:should|must|will|this|these|we|it)\b", owner, re.IGNORECASE):
        return None
    return owner
