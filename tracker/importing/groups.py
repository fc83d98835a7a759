"""What a recommendations section says about the items under its group headings.

Inside a section, lines that are not items set the context of the items below them:

* an owner heading ("The local authority should:"),
* the section's own question ("What does the LSCB need to improve?" names the LSCB),
* a lead sentence ("... the local authority should take the following action:"),
* a time group ("Immediately:", "Within three months:"), which sets the deadline,
* a theme ("Priority and immediate action", "Corporate parenting", "Help and protection").

An item can also name its own owner as its subject ("Leaders across the partnership
should ensure ..."). Each is recorded with the line that said it, so the review screen can
show why an owner or a deadline was chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .deadlines import opening_deadline
from .owners import has_role_word

# "What does the LSCB need to improve?", "What does the local authority need to improve?"
_QUESTION_OWNER = re.compile(
    r"^what\s+(?:does|do)\s+(?P<owner>(?:the\s+)?[\w'’ -]{2,60}?)\s+needs?\s+to\s+(?:do\s+to\s+)?improve\b",
    re.IGNORECASE,
)
# "... inspectors recommend that the local authority should take the following action:"
_LEAD_OWNER = re.compile(
    r"(?:^|\bthat\s+|[,:;]\s+)(?P<owner>(?:the\s+)?[A-Za-z][\w'’ -]{1,60}?)\s+(?:should|must|needs?\s+to)\s+"
    r"(?:take\s+)?(?:the\s+)?following\s+(?:actions?|steps?|improvements?)\b",
    re.IGNORECASE,
)
# "Key areas of focus for the Vale Council include:": the body a list of areas to improve is for.
_AREAS_FOR_OWNER = re.compile(
    r"^(?:the\s+)?(?:key\s+|main\s+)?(?:areas\s+(?:of\s+focus|for\s+improvement)|priorities|improvements\s+needed)\s+for\s+"
    r"(?P<owner>[^.:]{3,60}?)\s+(?:include|are):$",
    re.IGNORECASE,
)
# "Recommendations given to the combined YJS partnership were:", "... made to the board are:".
_RECOMMENDATIONS_TO_OWNER = re.compile(
    r"\brecommendations\s+(?:given|made)\s+to\s+(?P<owner>[^.:]{3,60}?)\s+(?:were|are|include|included):$",
    re.IGNORECASE,
)
# "Leaders across the partnership should ensure ...": the subject, then "should"; in a list
# run on from a sentence the subject may open in lower case ("- the Home Office should ...").
_SUBJECT_OWNER = re.compile(
    r"^(?P<owner>(?:[A-Z]|the\s+[A-Z])[\w'’ ,()-]{1,90}?)\s+(?:should|must|needs?\s+to)\s+"
    r"(?P<rest>(?!be\b|have\s+been\b)\w.*)$",
    re.DOTALL,
)
MAX_SUBJECT_WORDS = 10
# An opening phrase that says how, not when, before the subject: "As a priority, the council".
_MANNER_PHRASE = re.compile(r"^(?P<phrase>[A-Z][^,]{2,30}),\s+(?P<subject>[^,]+)$")
_TIME_PHRASE = re.compile(
    r"\d|^(?:by|within|before|after|until|since|from|over|when|once|while|during|at)\b|\b(?:"
    + "|".join(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
    + r"|months?|weeks?|years?|days?)\b",
    re.IGNORECASE,
)
_AFTER_HEAD = re.compile(r"\s+(?:of|for|in|across|with|at|from|on|to)\s+", re.IGNORECASE)
# "By March 2025, the council should ...": an opening phrase, not a subject.
_OPENING_PHRASE = re.compile(
    r"^(?:by|in|from|when|if|as|to|for|within|over|since|after|before|where|while|once|until|all|any|each)\b",
    re.IGNORECASE,
)

# Headings that start the next part of a report, never a theme inside a section.
_NOT_A_THEME = re.compile(
    r"\b(?:strengths?|summary|findings|contents|judgements?|outstanding|good|inadequate|requires\s+improvement|"
    r"experiences\s+and\s+progress|impact\s+of\s+leaders|information\s+about|inspection\s+(?:team|judgements?)|"
    r"next\s+steps|background|introduction|context|evaluation|what\s+is\s+working|main\s+findings|headline)\b",
    re.IGNORECASE,
)
MAX_THEME_WORDS = 7


@dataclass(frozen=True)
class GroupContext:
    """The group headings in force at a point in a section."""

    owner: str | None = None
    owner_source: str = "none"  # "heading" | "question" | "lead" | "subject" (a lone paragraph's own)
    owner_line: str = ""
    time_group: tuple[str, int] | None = None
    time_line: str = ""
    theme: str | None = None

    def with_owner(self, owner: str, source: str, line: str) -> GroupContext:
        return replace(self, owner=owner, owner_source=source, owner_line=line)

    def with_time_group(self, group: tuple[str, int], line: str) -> GroupContext:
        return replace(self, time_group=group, time_line=line)

    def with_theme(self, theme: str) -> GroupContext:
        return replace(self, theme=theme)

    @property
    def group(self) -> str | None:
        """The innermost group heading: a time group, else a theme, else an owner heading."""
        if self.time_line:
            return self.time_line.rstrip(":")
        if self.theme:
            return self.theme
        if self.owner_source == "heading":
            return self.owner_line.rstrip(":")
        return None

    def path(self, heading: str) -> str:
        """ "What needs to improve? › Priority and immediate action › Within three months"."""
        parts = [heading.rstrip(":")]
        for part in (self.owner_line if self.owner_source == "heading" else "", self.theme, self.time_line):
            if part and part.rstrip(":") not in parts:
                parts.append(part.rstrip(":"))
        return " › ".join(parts)


def question_owner(heading: str) -> str | None:
    """The body a section's question names: "What does the LSCB need to improve?" -> "the LSCB"."""
    match = _QUESTION_OWNER.match(heading)
    if not match:
        return None
    owner = match.group("owner").strip()
    return owner if has_role_word(owner) or owner.isupper() or owner.split()[-1].isupper() else None


def lead_owner(text: str) -> str | None:
    """The owner a lead sentence names: "... the local authority should take the following
    action", "Key areas of focus for the council include:"."""
    match = _LEAD_OWNER.search(text) or _AREAS_FOR_OWNER.match(text) or _RECOMMENDATIONS_TO_OWNER.search(text)
    if not match:
        return None
    owner = re.sub(
        r"^(?:we\s+recommend\s+that|inspectors?\s+recommend\s+that)\s+", "", match.group("owner").strip(), flags=re.I
    )
    return owner if has_role_word(owner) else None


def subject_owner(text: str) -> tuple[str, str] | None:
    """An item that names its owner as its subject: ("Leaders across the partnership", "ensure ...")."""
    match = _SUBJECT_OWNER.match(text)
    if not match:
        return None
    owner = match.group("owner").strip(" ,")
    if (manner := _MANNER_PHRASE.match(owner)) and not _TIME_PHRASE.search(manner.group("phrase")):
        owner = manner.group("subject")  # "As a priority, the council should ..."; "By March 2025, ..." stays whole
    words = owner.split()
    # The role must be the subject's head, before any "of", "for" or "across": "Leaders across
    # the partnership" is owned, "Strong support for children's services" is a thing.
    head = _AFTER_HEAD.split(owner, maxsplit=1)[0]
    if (
        len(words) > MAX_SUBJECT_WORDS
        or not (has_role_word(head) or owner.isupper())  # "COPFS should ...": a body's initials
        or re.search(r"\d|\b(?:that|which|who|when|where|if|this|these|it|they)\b", owner, re.IGNORECASE)
        or _OPENING_PHRASE.match(owner)
    ):
        return None
    return owner, match.group("rest").strip()


# The subject after an opening deadline, which may be a long noun phrase with its own clause:
# "those forces using a threat, harm and risk policy, that have not yet done so".
_SUBJECT_AFTER_DEADLINE = re.compile(
    r"^(?P<owner>[A-Za-z][^.;:]{1,160}?)\s+(?:should|must)\s+(?P<rest>(?!be\b|have\s+been\b)\w.*)$", re.DOTALL
)


def deadline_opened_owner(text: str) -> tuple[str, str] | None:
    """A sentence that opens with its deadline, then names who should act: ("all forces",
    "review ...") from "With immediate effect, all forces should review ...". The deadline
    is the item's own (see .deadlines.item_deadline)."""
    opened = opening_deadline(text)
    if opened is None or not (match := _SUBJECT_AFTER_DEADLINE.match(opened[1])):
        return None
    owner = match.group("owner").strip(" ,")
    if not has_role_word(owner) or re.search(r"\b(?:should|must|it|we|this|these|they)\b", owner, re.IGNORECASE):
        return None
    return owner, match.group("rest").strip()


def is_theme_heading(text: str) -> bool:
    """A short title inside a section ("Corporate parenting"), not the next part of the report."""
    words = text.split()
    return (
        0 < len(words) <= MAX_THEME_WORDS
        and text[-1] not in ".,;"
        and not text[0].islower()
        and not _NOT_A_THEME.search(text)
    )
