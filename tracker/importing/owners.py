"""Owner phrases: splitting "(A and B)" into owners, and matching a phrase to a role.

Reports name owners loosely ("The Chair of the YOS Management Board", "Chair of YOT
Management Board"); an organisation's roles carry aliases. Matching is deliberately
exact after normalisation, not fuzzy: a wrong automatic match would send reminders to
the wrong person, while no match just asks the importer to choose.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

# Words that make a phrase a role or an organisation rather than a fragment of a name
# such as "Barking" in "Barking and Dagenham YOS".
ROLE_WORDS = frozenset(
    [
        "board",
        "boards",
        "chair",
        "chairs",
        "chairman",
        "chairperson",
        "director",
        "directors",
        "head",
        "heads",
        "manager",
        "managers",
        "chief",
        "executive",
        "executives",
        "council",
        "councils",
        "constabulary",
        "police",
        "partner",
        "partners",
        "commissioner",
        "commissioners",
        "lead",
        "leads",
        "officer",
        "officers",
        "team",
        "teams",
        "trust",
        "trusts",
        "service",
        "services",
        "group",
        "groups",
        "nhs",
        "authority",
        "authorities",
        "yos",
        "yot",
        "yjs",
        "yjb",
        "probation",
        "minister",
        "department",
        "leader",
        "leaders",
        "member",
        "members",
        "panel",
        "partnership",
        "partnerships",
        "agency",
        "agencies",
        "ccg",
        "provider",
        "providers",
        "school",
        "schools",
        "college",
        "colleges",
        "inspector",
        "governor",
        "governors",
        "coordinator",
        "staff",
        "ofsted",
        "cqc",
        "hmicfrs",
        "icb",
        "prison",
        "prisons",
        "force",
        "forces",
        "consortia",
        "consortium",
        "government",
        "division",
        "divisions",
        "unit",
        "units",
        "office",
        "offices",
    ]
)

# The same body goes by several names; they compare as one word.
_SERVICE_SYNONYMS = re.compile(
    r"\b(?:youth offending services?|youth offending teams?|youth justice services?|yos|yot|yjs|yots|yoss)\b"
)
_ARTICLES = re.compile(r"\b(?:the|a|an)\b")

_OWNER_SEPARATOR = re.compile(r"(\s*[,;]\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


def normalise_owner_phrase(phrase: str) -> str:
    """Lower case, straight apostrophes, no articles or punctuation, YOS = YOT = YJS.

    Articles go because "Chair of the YOS Management Board" and "The Chair of YOS
    Management Board" are the same role; nothing else about the words is changed.
    """
    text = phrase.lower().replace("’", "'").replace("‘", "'").replace("&", " and ")
    text = re.sub(r"[-–—/]", " ", text)
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = _SERVICE_SYNONYMS.sub("yos", text)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def match_owner(phrase: str, roles: Iterable[tuple[K, Iterable[str]]]) -> K | None:
    """Return the key of the role whose name or alias is ``phrase``, else None.

    ``roles`` pairs each role's key with its names and aliases. The comparison ignores
    case, a leading "The" (and other articles), punctuation, spacing and curly
    apostrophes, and treats YOS, YOT and YJS as the same word. When two different roles
    match, the answer is None: the importer must choose rather than guess.
    """
    wanted = normalise_owner_phrase(phrase)
    if not wanted:
        return None
    matches: list[K] = []
    for key, names in roles:
        if any(normalise_owner_phrase(name) == wanted for name in names) and key not in matches:
            matches.append(key)
    return matches[0] if len(matches) == 1 else None


def has_role_word(phrase: str) -> bool:
    """True when the phrase names a role or body ("YOS manager", "Constabulary")."""
    words = re.findall(r"[a-z']+", phrase.lower())
    return any(word in ROLE_WORDS for word in words)


_RELATIVE_CLAUSE = re.compile(r",\s+(?:that|which|who|whose)\s+\w", re.IGNORECASE)


def split_owner_list(text: str) -> list[str]:
    """Split "A and B", "A, B and C" or "A; B" into owners, as written.

    A part with no role word that is just a capitalised name ("Barking" in "Barking and
    Dagenham YOS", "Health" in "Health and Wellbeing Board") is joined back to the part
    after it, because it is half of one name, not an owner of its own. A subject with a
    relative clause ("those forces using a threat, harm and risk policy, that have not yet
    done so") describes one body, so it is not split.
    """
    if _RELATIVE_CLAUSE.search(text):
        return [text.strip(" .,;")]
    pieces = _OWNER_SEPARATOR.split(text.strip())
    parts = [piece.strip() for piece in pieces[0::2]]
    separators = pieces[1::2]
    owners: list[str] = []
    carried = ""
    for index, part in enumerate(parts):
        if not part:
            continue
        current = carried + part
        carried = ""
        if index + 1 < len(parts) and _is_name_fragment(part):
            carried = current + _separator_text(separators[index])
            continue
        owners.append(current.strip(" .,;"))
    if carried.strip():
        owners.append(carried.strip(" .,;&"))
    return [owner for owner in owners if owner] or ([text.strip()] if text.strip() else [])


def _is_name_fragment(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= 3 and part[0].isupper() and not has_role_word(part)


def _separator_text(separator: str) -> str:
    stripped = separator.strip()
    if stripped in (",", ";"):
        return stripped + " "
    return " " + stripped + " "


# Words that end the name of a body: "Halton Borough Council", "... Integrated Care Board (ICB)".
_BODY_END = re.compile(
    r"\b(?:council|board|icb|ccg|partnership|authority|trust|service|services|commissioner|police|constabulary)\)?\s*$",
    re.IGNORECASE,
)


def split_column_owners(text: str) -> list[str]:
    """Split a table's "Responsible body" cell into bodies, as written.

    "Halton Borough Council and NHS Cheshire and Merseyside Integrated Care Board (ICB)"
    is two bodies: a split is made at "and" or a comma only where the words before it end
    a body's name, so "NHS Cheshire and Merseyside" stays whole.
    """
    pieces = re.split(r"(\s*,\s*(?:and\s+)?|\s+and\s+)", " ".join(text.split()))
    owners: list[str] = []
    current = ""
    for index, piece in enumerate(pieces):
        if index % 2 == 1:
            if _BODY_END.search(re.sub(r"\s*\([^()]*\)$", ")", current) if current.endswith(")") else current):
                owners.append(current.strip())
                current = ""
            else:
                current += piece
            continue
        current += piece
    if current.strip():
        owners.append(current.strip(" ."))
    return owners
