"""Facts about a report other than its recommendations: who, what, when, how rated.

Each finder looks for the few forms that inspectorates actually print and returns None
when it is not sure; a wrong date or service is worse than an empty field the importer
fills in, because the deadline of every action is computed from the publication date.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .lines import TextLine, next_text_index

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY_DATE = re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b", re.IGNORECASE)
_MONTH_DATE = re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE)
# "July 24 2025", "July 24, 2025", as some web pages write it.
_MONTH_DAY_DATE = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b")
_PUBLISHED = re.compile(
    r"^(?:date\s+)?(?:of\s+)?publi(?:shed|cation)(?:\s+date)?(?!\s+by)\s*(?:on\s*)?[:\-–]?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)

_PUBLISHED_INLINE = re.compile(r"\bpublished\s*:\s*(?P<rest>.{6,40})", re.IGNORECASE)
# Pasted minutes and news: "HM Inspectorate of Probation published their inspection report on
# 4 March 2025", "The inspection report was published on 17 January 2023", "Report published 20 October 2015".
_PUBLISHED_SENTENCE = re.compile(
    r"\bpublished\s+(?:their|its|the|our|a)\s+(?:[\w-]+\s+)?report\s+on\s+(?P<rest>.{6,30})"
    r"|\breport\s+(?:was\s+)?published\s*(?:on\s*)?:?\s*(?P<after>\d.{5,30})"
    r"|\breport\s+(?:on|into)\s+[^.]{3,80}?\bpublished\s+in\s+(?P<month>[A-Z][a-z]+\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# A title and its date after a dash; the title must not end in a digit ("1 – 5 July 2013" is a range).
_DATED_TITLE = re.compile(r"^(?P<title>(?:\S+\s+){2,}?\S*[^\d\s])(?:\s+[-–]|,)\s+(?P<date>[^-–,]+,?\s*\d{4})$")
_DATED_TITLE_LINES = 6
_DATELINE_LINES = 10

# "Adequate" is the third grade of the four-point scale Ofsted used until 2014.
RATING_WORDS = (
    "Requires improvement to be good",
    "Requires improvement",
    "Outstanding",
    "Good",
    "Adequate",
    "Inadequate",
)
_RATING = r"(?P<rating>requires? improvement to be good|requires? improvement|outstanding|good|inadequate|adequate)"
_RATING_ONLY = re.compile(rf"^['\"]?{_RATING}['\"]?\.?$", re.IGNORECASE)
_OVERALL = re.compile(r"^overall\s+(?:rating|effectiveness|judgement|grade)\b\s*[:\-–]?\s*(?P<rest>.*)$", re.IGNORECASE)
_RATED_AS = re.compile(
    rf"\b(?:overall rating of|is rated as:?|was rated as:?|overall judgement is)\s*['\"]?{_RATING}\b", re.IGNORECASE
)
# "1.1<tab>Governance and leadership<tab>Good": a standard's number, short name, rating.
_STANDARD_ROW = re.compile(
    rf"^(?P<number>\d{{1,2}}\.\d{{1,2}})\.?[\t ]+(?P<name>[A-Za-z][^\t.]*?)\t+{_RATING}$", re.IGNORECASE
)
_MAX_STANDARD_NAME_WORDS = 8
# The overall judgement as a sentence in reports of 2013 to 2017: "The judgement for overall
# effectiveness is inadequate.", "The overall judgement is that children's services are
# inadequate", "Children's services in Worcestershire are inadequate". Only the present
# tense: "judged overall effectiveness ... as adequate" tells of an earlier inspection.
_OVERALL_SENTENCE = re.compile(
    rf"^(?:\d{{1,3}}\.\s+)?(?:the\s+)?(?:"
    rf"(?:judgement\s+for\s+)?overall\s+effectiveness(?:\s+(?:of|for)\s+[a-z' ]{{3,80}}?)?\s+is"
    rf"|overall\s+judgement\s+is(?:\s+that\s+[a-z' ]{{3,60}}?(?:\s+(?:are|is))?)?"
    rf"|children's\s+services\s+in\s+[A-Z][\w' -]{{1,60}}?(?:\s+are)?"
    rf")\s+['\"]?{_RATING}\b",
    re.IGNORECASE,
)
_JUDGEMENT_TABLE_HEADER = re.compile(r"^judgements?[\t ]+grades?$", re.IGNORECASE)

_INSPECTORATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "HM Inspectorate of Probation",
        re.compile(
            r"\b(?:HM|Her Majesty's|His Majesty's) Inspectorate of Probation\b|\bHMI Probation\b", re.IGNORECASE
        ),
    ),
    ("Ofsted", re.compile(r"\bOfsted\b|\bOffice for Standards in Education\b")),
    ("Care Quality Commission", re.compile(r"\bCare Quality Commission\b|\bCQC\b")),
    ("HMICFRS", re.compile(r"\bHMICFRS\b|Inspectorate of Constabulary and Fire", re.IGNORECASE)),
    (
        "HM Inspectorate of Prisons",
        re.compile(r"\b(?:HM|Her Majesty's|His Majesty's) Inspectorate of Prisons\b|\bHMI Prisons\b", re.IGNORECASE),
    ),
    ("Estyn", re.compile(r"\bEstyn\b")),
    ("Care Inspectorate Wales", re.compile(r"\bCare Inspectorate Wales\b")),
)

# Title forms, tried in order on the first lines of the report.
_TITLE_NAMED_INSPECTION = re.compile(
    r"^(?:Report (?:of|on) (?:the |an? )?)?"
    r"(?P<type>(?:[A-Z][a-z]+ ){1,4}(?:Inspection|Screening|Review|Visit))"
    r"(?: \([A-Z]{2,8}\))? of (?P<subject>[A-Za-z' ]+?) in (?P<place>[A-Z][\w'&,. -]*?)\.?$"
)
_TITLE_CHILDRENS_SERVICES = re.compile(r"^Inspection of (?P<place>.+?) local authority children's services\b")
_TITLE_SERVICES_IN = re.compile(
    r"^(?:An? )?(?P<type>[Ii]nspection of (?P<subject>[a-z' ]+?(?:services|work))) in(?: (?P<place>[A-Z].*?))?\.?$"
)
# "Inspection of looked after children services", "Inspection of services for children in need
# of help and protection, children looked after and care leavers and Review of ...": a cover
# title with the authority's name on a line of its own beside it.
_TITLE_INSPECTION_OF = re.compile(
    r"^(?P<type>(?:Re-i|I)nspection of [a-z][a-z'’, ]*?(?:services|care leavers))\b(?: and\b.*)?$"
)
# "Medway Council", "Sandwell Metropolitan Borough Council", "London Borough of Bexley".
_AUTHORITY_LINE = re.compile(
    r"^(?:(?:[A-Z][\w'’&-]*|of|and|upon|on|the) ){0,5}Council$|^(?:London |Royal )?Borough of [A-Z][\w'’ &-]{1,50}$"
)
# A cover's first line naming only the place: "Brent", "Newcastle Upon Tyne", "Bristol City of".
_PLACE_LINE = re.compile(r"^[A-Z][a-z'’-]+(?: (?:[A-Z][a-z'’-]+|of|and|upon|on))*$")
_SERVICE_LINE = re.compile(r"^Service\s*:\s*(?P<name>.+)$")
_SERVICE_NAMES = r"(?P<kind>Youth Offending Service|Youth Offending Team|Youth Justice Service|YOS|YOT|YJS)"
_ABBREVIATIONS = {"YOS": "Youth Offending Service", "YOT": "Youth Offending Team", "YJS": "Youth Justice Service"}
_ANY_SERVICE = re.compile(
    r"\b(?P<place>(?:[A-Z][a-z]+(?:[ -](?:and|upon|on|in))?[ -]){1,4})"
    r"(?P<kind>Youth Offending Service|Youth Offending Team|Youth Justice Service)\b"
)
_DEAR = re.compile(r"^Dear (?P<name>[^,:;]{2,60}?)\s*[,:]?$")
_NOT_A_NAME = re.compile(r"^(?:sir|madam|sir/madam|sir or madam|colleagues?|all|everyone|friends)$", re.IGNORECASE)

_TITLE_LINES = 80
_OPENING_CHARACTERS = 15000
_MAX_TITLE_LENGTH = 300


@dataclass(frozen=True)
class Title:
    """What the title says: the kind of inspection and where."""

    inspection_type: str | None = None
    place: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class PublicationDate:
    value: datetime.date
    precision: str  # "day" | "month"
    as_written: str


def find_inspectorate(text: str) -> str | None:
    """The inspectorate named first in the report (its own name comes before any others).

    The opening pages are searched first because that is where the name normally is;
    Ofsted's reports name it only in the closing boilerplate, so the rest comes next.
    """
    return _first_inspectorate(text[:_OPENING_CHARACTERS]) or _first_inspectorate(text)


def _first_inspectorate(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in _INSPECTORATES:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), name)
    return best[1] if best else None


def find_title(lines: list[TextLine]) -> Title:
    """The inspection type, place and (for children's services) service from the title."""
    texts = [line.text for line in lines if not line.is_blank and len(line.text) <= _MAX_TITLE_LENGTH][:_TITLE_LINES]
    for index, text in enumerate(texts):
        if match := _TITLE_CHILDRENS_SERVICES.match(text):
            place = match.group("place")
            return Title(
                inspection_type="Inspection of local authority children's services",
                place=place,
                service=f"{place} local authority children's services",
            )
        if match := _TITLE_NAMED_INSPECTION.match(text):
            return Title(inspection_type=match.group("type"), place=match.group("place").strip(" ,."))
        if match := _TITLE_SERVICES_IN.match(text):
            place = match.group("place") or (texts[index + 1] if index + 1 < len(texts) else None)
            inspection_type = match.group("type")
            return Title(inspection_type=inspection_type[0].upper() + inspection_type[1:], place=place)
    return _cover_title([line.text for line in lines if not line.is_blank][:_TITLE_LINES])


def _cover_title(texts: list[str]) -> Title:
    """A cover's "Inspection of ... services" title (which may run on into the inspection
    dates) with the authority's name on the line just before or after it."""
    for index, text in enumerate(texts):
        if match := _TITLE_INSPECTION_OF.match(text):
            authority = _authority_beside(texts, index)
            return Title(inspection_type=match.group("type"), place=authority, service=authority)
    return Title()


def _authority_beside(texts: list[str], title_index: int) -> str | None:
    before = texts[title_index - 1] if title_index > 0 else ""
    after = texts[title_index + 1] if title_index + 1 < len(texts) else ""
    if _AUTHORITY_LINE.match(before) or _PLACE_LINE.match(before):
        return before
    if _AUTHORITY_LINE.match(after):
        return after
    return None


def find_service(text: str, lines: list[TextLine], title: Title) -> str | None:
    """The inspected service's name, as the report writes it in full."""
    for line in lines[: _TITLE_LINES * 4]:
        if match := _SERVICE_LINE.match(line.text):
            return match.group("name").strip(" .")
    if title.service:
        return title.service
    if title.place:
        place = re.escape(title.place)
        full = re.search(
            rf"\b{place} (?P<kind>Youth Offending Service|Youth Offending Team|Youth Justice Service)\b", text
        )
        if full:
            return full.group(0)
        short = re.search(rf"\b{place} {_SERVICE_NAMES}\b", text)
        if short:
            return f"{title.place} {_ABBREVIATIONS.get(short.group('kind'), short.group('kind'))}"
    if match := _ANY_SERVICE.search(text):
        return (match.group("place") + match.group("kind")).strip()
    return None


def find_publication_date(lines: list[TextLine], before: int) -> PublicationDate | None:
    """The publication date: a "Published:" line, else the first line that is only a date.

    Only lines before ``before`` (the recommendations heading) are searched for a bare
    date, because that is where title pages, letter heads and forewords put it; dates in
    the body are fieldwork, data periods and sources.
    """
    # A news page's own "Published Tuesday 14 January 2014" dates the page; "the report on
    # the council's education service ... published in September 2013" dates the report.
    dated_page = any(_PUBLISHED.match(line.text) and ":" not in line.text for line in lines[:_DATELINE_LINES])
    for line in lines if dated_page else ():
        match = _PUBLISHED_SENTENCE.search(line.text)
        if match and match.group("month") and (found := parse_date(match.group("month"), whole=True)):
            return found
    for line in lines:
        if match := _PUBLISHED.match(line.text):
            found = parse_date(match.group("rest"), whole=False)
            if found:
                return found
    for line in lines[:before]:
        # "... Inspection date: 27 October 2015 Report published: 11 March 2016" on one line.
        if match := _PUBLISHED_INLINE.search(line.text):
            found = parse_date(match.group("rest"), whole=False)
            if found:
                return found
    for line in lines:
        if match := _PUBLISHED_SENTENCE.search(line.text):
            found = parse_date(match.group("rest") or match.group("after") or match.group("month"), whole=False)
            if found:
                return found
    for line in lines[:before]:
        if found := parse_date(line.text, whole=True):
            return found
        # A web page's "Thematic report | 12/06/2015": a cell after a bar that opens with a date.
        for cell in line.text.split(" | ")[1:]:
            if (found := parse_date(cell, whole=False)) and cell.strip().startswith(found.as_written):
                return found
    for text in [line.text for line in lines[:before] if not line.is_blank][:_DATED_TITLE_LINES]:
        # "The quality of new build in Further Education - June 2010": a title ending in its date.
        if (match := _DATED_TITLE.match(text)) and (found := parse_date(match.group("date"), whole=True)):
            return found
    return None


def parse_date(text: str, whole: bool) -> PublicationDate | None:
    """Read "13th February 2013", "13/02/2013" or "December 2018" from ``text``.

    With ``whole`` the date must be all the line says (markdown or a full stop aside).
    """
    candidate = text.strip(" .*_") if whole else text
    for pattern, precision in (
        (_DAY_DATE, "day"),
        (_MONTH_DAY_DATE, "day"),
        (_NUMERIC_DATE, "day"),
        (_MONTH_DATE, "month"),
    ):
        match = pattern.fullmatch(candidate) if whole else pattern.search(candidate)
        if match is None:
            continue
        date = _build_date(match, precision)
        if date is not None:
            return PublicationDate(value=date, precision=precision, as_written=match.group(0))
    return None


def _build_date(match: re.Match[str], precision: str) -> datetime.date | None:
    month_text = match.group("month").lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
    day = int(match.group("day")) if precision == "day" else 1
    try:
        return datetime.date(int(match.group("year")), month or 0, day)
    except ValueError:
        return None


def canonical_rating(text: str) -> str:
    if text.lower().startswith("require "):  # "children's services require improvement"
        text = "requires " + text[len("require ") :]
    for rating in RATING_WORDS:
        if rating.lower() == text.lower():
            return rating
    return text


def find_overall_rating(lines: list[TextLine]) -> str | None:
    """ "Overall rating: Good", "Overall effectiveness  Good", or the next line after it."""
    for index, line in enumerate(lines):
        match = _OVERALL.match(line.text)
        if not match:
            continue
        rest = match.group("rest").strip()
        if rest:
            rating = _RATING_ONLY.match(rest)
            if rating:
                return canonical_rating(rating.group("rating"))
            continue
        following = next_text_index(lines, index + 1)
        if following is not None and (rating := _RATING_ONLY.match(lines[following].text)):
            return canonical_rating(rating.group("rating"))
    for line in lines:
        if match := _RATED_AS.search(line.text):
            return canonical_rating(match.group("rating"))
    for line in lines:
        for sentence in re.split(r"(?<=[.:])\s+|\s+(?=The overall judgement\b)", line.text):
            if match := _OVERALL_SENTENCE.match(sentence):
                return canonical_rating(match.group("rating"))
    return None


def find_ratings(lines: list[TextLine]) -> dict[str, str]:
    """Ratings per standard or judgement, from ratings tables."""
    ratings: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _STANDARD_ROW.match(line.text)
        if match and len(match.group("name").split()) <= _MAX_STANDARD_NAME_WORDS:
            key = f"{match.group('number')} {match.group('name').strip()}"
            ratings.setdefault(key, canonical_rating(match.group("rating")))
        elif _JUDGEMENT_TABLE_HEADER.match(line.text):
            for key, value in _judgement_table(lines, index + 1).items():
                ratings.setdefault(key, value)
    return ratings


def _judgement_table(lines: list[TextLine], start: int) -> dict[str, str]:
    """Ofsted's "Judgement / Grade" table: a judgement's wording, then its grade."""
    ratings: dict[str, str] = {}
    pending: str | None = None
    for line in lines[start : start + 40]:
        if line.is_blank:
            continue
        if _OVERALL.match(line.text):
            break
        cells = line.text.split("\t")
        if len(cells) == 2 and _RATING_ONLY.match(cells[1].strip()):
            ratings[cells[0].strip()] = canonical_rating(cells[1].strip().strip("'\"."))
            continue
        rating = _RATING_ONLY.match(line.text)
        if rating and pending:
            ratings[pending] = canonical_rating(rating.group("rating"))
            pending = None
        elif not rating and len(line.text.split()) <= 20:
            pending = line.text if pending is None else f"{pending} {line.text}"
        else:
            break
    return ratings


def find_addressee_role(lines: list[TextLine], service: str | None) -> str | None:
    """In a letter, the role of the person it is addressed to ("Chair of YOT Management Board").

    The addressee block starts with the name the letter greets ("Dear Louise Taylor,");
    the role is what follows the name, without the service's name.
    """
    for dear_index, line in enumerate(lines):
        match = _DEAR.match(line.text)
        if not match:
            continue
        name = match.group("name").strip()
        if _NOT_A_NAME.match(name):
            return None
        return _role_after_name(lines[:dear_index], name, service)
    return None


def _role_after_name(lines: list[TextLine], name: str, service: str | None) -> str | None:
    """The role written after the addressee's name; "Dear Ms Taylor" finds "Louise Taylor"."""
    surname = name.split()[-1]
    full_name = re.compile(rf"^(?:{re.escape(name)}|(?:[A-Z][\w'-]*\.? ){{1,3}}{re.escape(surname)})\b")
    for index, line in enumerate(lines):
        match = full_name.match(line.text)
        if not match:
            continue
        role = line.text[match.end() :].strip(" ,")
        if not role and index + 1 < len(lines):
            role = lines[index + 1].text.strip(" ,")
        if service and service in role:
            role = role[: role.index(service)]
        role = role.strip(" ,;")
        if role and not any(character.isdigit() for character in role):
            return role
        return None
    return None
