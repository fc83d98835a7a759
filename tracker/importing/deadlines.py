"""Deadline rules: "within 12 months following publication", "Immediately", "Within three months".

The report-level rule applies to every recommendation; a time group printed as a heading
inside the section ("Within three months") overrides it for the items under it.
``deadline_months`` is the number of months after publication ("immediately" counts as one).
"""

from __future__ import annotations

import math
import re

from .models import NO_DEADLINE_STATED

# "Immediately" cannot be a deadline of nought months (already past on the day of
# publication); the convention is one month, which the manager can shorten at review.
IMMEDIATELY_MONTHS = 1
MAX_OPENING_WORDS = 15

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "twenty four": 24,
    "thirty-six": 36,
}
COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
PERIOD = (
    rf"(?:within|in\s+the\s+next|over\s+the\s+next)\s+(?:the\s+next\s+)?{COUNT}\s+(?P<unit>days?|weeks?|months?|years?)"
)

# "Immediately", "Within three months", "Within 6 months:" as a heading of its own.
TIME_GROUP = re.compile(
    rf"^(?:(?:to\s+be\s+)?(?:completed|actioned|implemented|addressed)\s+)?(?:(?P<immediately>immediately|now)|{PERIOD})\s*[:.]?$",
    re.IGNORECASE,
)
# "... within 12 months following publication of this report", usually in the intro.
DEADLINE_RULE = re.compile(
    rf"{PERIOD}(?:\s+(?:following|of|after|from)\s+(?:the\s+)?(?:date\s+of\s+)?publication)?",
    re.IGNORECASE,
)
# The same, tied to publication: searched for in the whole text when the section's
# introduction states no period.
_DEADLINE_FROM_PUBLICATION = re.compile(
    rf"{PERIOD}\s+(?:following|of|after|from)\s+(?:the\s+)?(?:date\s+of\s+)?publication\b", re.IGNORECASE
)


_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# A deadline that opens a sentence, before its subject: "Not later than 31 March 2015 those
# forces ... should", "With immediate effect, all forces should", "Within six months, the
# council should".
_OPENING_DEADLINE = re.compile(
    rf"^(?P<phrase>(?:(?:not|no)\s+later\s+than|by|before)\s+(?:the\s+end\s+of\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
    rf"{_MONTH}\s+\d{{4}}|with\s+immediate\s+effect|{PERIOD}),?\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


def opening_deadline(text: str) -> tuple[str, str] | None:
    """The deadline a sentence opens with and the rest of the sentence, or None."""
    match = _OPENING_DEADLINE.match(text)
    return (match.group("phrase"), match.group("rest")) if match else None


def time_group(text: str) -> tuple[str, int] | None:
    """A time-group heading's rule and months, e.g. ("within three months", 3)."""
    match = TIME_GROUP.match(text)
    if not match:
        return None
    if match.group("immediately"):
        return ("immediately", IMMEDIATELY_MONTHS)
    rule = " ".join(text.rstrip(":.").split())
    rule = rule[0].lower() + rule[1:]
    return (rule, months_in(match.group("count"), match.group("unit")))


def months_in(count_text: str, unit: str) -> int:
    """Whole months in "three months", "6 weeks" (rounded up), "2 years"."""
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS[count_text.lower().replace("  ", " ")]
    unit = unit.lower()
    if unit.startswith("year"):
        return count * 12
    if unit.startswith("week"):
        return max(1, math.ceil(count * 7 / 30.44))
    if unit.startswith("day"):
        return max(1, math.ceil(count / 30.44))
    return count


def report_deadline(heading: str, intro: list[str], text: str) -> tuple[str, int | None]:
    """The period the report sets for all its recommendations, if it states one.

    The section's heading and introduction are searched first; failing that, a sentence
    anywhere that ties a period to the report's publication.
    """
    for candidate in [heading, *intro]:
        if match := DEADLINE_RULE.search(candidate):
            return _deadline_from_match(match)
    for match in _DEADLINE_FROM_PUBLICATION.finditer(text):
        if _sentence_mentions_report(text, match.end()):
            return _deadline_from_match(match)
    return NO_DEADLINE_STATED, None


def _sentence_mentions_report(text: str, start: int) -> bool:
    """ "... following publication of this report": the rest of the sentence names the report."""
    rest = text[start : start + 300]
    full_stop = rest.find(".")
    return "report" in (rest if full_stop < 0 else rest[:full_stop])


def _deadline_from_match(match: re.Match[str]) -> tuple[str, int]:
    rule = " ".join(match.group(0).split())
    return rule[0].lower() + rule[1:], months_in(match.group("count"), match.group("unit"))


def item_deadline(text: str) -> tuple[str, int] | None:
    """The period an item's own opening clause sets: "HMIC recommends that the force should
    immediately: ...", "... that within six months the force should: ...". Only the clause
    before the colon counts; a period later in the item is part of what is to be done."""
    if opened := _OPENING_DEADLINE.match(text):  # "With immediate effect, all forces should ..."
        if re.match(r"with\s+immediate", opened.group("phrase"), re.IGNORECASE):
            return ("immediately", IMMEDIATELY_MONTHS)
        if opened.group("count"):
            phrase = " ".join(opened.group("phrase").split())
            return phrase[0].lower() + phrase[1:], months_in(opened.group("count"), opened.group("unit"))
    opening, colon, _ = text.partition(":")
    if not colon or len(opening.split()) > MAX_OPENING_WORDS:
        return None
    if re.search(r"\bimmediately\b", opening, re.IGNORECASE):
        return ("immediately", IMMEDIATELY_MONTHS)
    if match := re.search(PERIOD, opening, re.IGNORECASE):
        return _deadline_from_match(match)
    return None
