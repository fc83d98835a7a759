"""What an imported plan's words mean in the tracker: its owners as the organisation's roles,
and its recommendations as the linked report's.

Both are offered, never forced. An owner that is exactly a role (by name or alias) or plainly
one ("Board Chair" for "Chair of the YOS Management Board") is matched, and the manager may
change it; any other owner waits for the manager to choose a role or to say "create a new
role". A plan's recommendation is matched to the report's by its wording first and its number
second (plans reorder and renumber), each match with how sure it is."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from tracker.inputs import whole_number
from tracker.models import Recommendation, Role
from tracker.plans import PlanRecommendation
from tracker.services.imports.review import suggest_role
from tracker.services.people.organisations import role_name_from_phrase

NEW_ROLE = "new"
# A wording score (0 to 1) at or above LIKELY is a likely match; below UNSURE it is no match.
EXACT, LIKELY, UNSURE = 0.9, 0.7, 0.5
NUMBER_BONUS = 0.1


def choice_key(text: str) -> str:
    """A short, stable form-field key for an owner phrase or a plan's recommendation number."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class OwnerMatch:
    phrase: str
    role: Role | None  # None: a new role (when `how` is "new") or not chosen yet
    name: str  # the role's name, or the new role's
    how: str | None  # "exact", "likely", "chosen", "new", or None: the manager must choose

    @property
    def key(self) -> str:
        return choice_key(self.phrase)

    @property
    def resolved(self) -> bool:
        return self.role is not None or self.how == NEW_ROLE

    @property
    def described(self) -> str:
        return {
            "exact": f"{self.name} (matches the role)",
            "likely": f"{self.name} (likely: check it)",
            "chosen": f"{self.name} (chosen by you)",
            NEW_ROLE: f"{self.name} (new role)",
        }.get(self.how or "", f"not matched: choose a role for \u201c{self.phrase}\u201d")


def match_owner_phrase(phrase: str, roles: Sequence[Role], choice: str | None) -> OwnerMatch:
    """The role a plan's owner phrase means: the manager's choice (a role id, or "new"), else
    an exact or likely match, else none (the manager must choose)."""
    suggestion = suggest_role(phrase, roles)
    if choice == NEW_ROLE:
        return OwnerMatch(phrase, None, role_name_from_phrase(phrase), NEW_ROLE)
    chosen_id = whole_number(choice)
    if chosen_id is not None and not (suggestion and suggestion[0].id == chosen_id):
        chosen = next((role for role in roles if role.id == chosen_id), None)
        if chosen is not None:
            return OwnerMatch(phrase, chosen, chosen.name, "chosen")
    if suggestion is None:
        return OwnerMatch(phrase, None, role_name_from_phrase(phrase), None)
    role, exact = suggestion
    return OwnerMatch(phrase, role, role.name, "exact" if exact else "likely")


@dataclass(frozen=True)
class RecommendationMatch:
    recommendation: Recommendation
    score: float  # 0 to 1: the wording's likeness, with a little for the same number
    how: str  # "exact", "likely", "unsure", "number" (the plan gives no wording) or "chosen"

    @property
    def described(self) -> str:
        percent = f"{round(self.score * 100)}%"
        return {
            "exact": f"exact match ({percent})",
            "likely": f"likely match ({percent} alike)",
            "unsure": f"unsure: only {percent} alike, check it",
            "number": "matched by its number only",
            "chosen": "chosen by you",
        }[self.how]


# Words every recommendation uses, which would make any two look alike.
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "with",
        "within",
        "will",
        "should",
        "ensure",
        "make",
        "sure",
        "all",
        "every",
    ]
)


def _words(text: str) -> str:
    return " ".join(word for word in re.findall(r"[a-z0-9]+", text.lower()) if word not in _COMMON)[:600]


def _number(text: str) -> str:
    return text.lower().strip().rstrip(".")


def wording_score(first: str, second: str) -> float:
    """How alike two recommendations are worded, from 0 to 1. Word order and a clause added or
    dropped count for little (token sort and token set), spelling slips for little more."""
    first, second = _words(first), _words(second)
    if not first or not second:
        return 0.0
    return (fuzz.token_sort_ratio(first, second) + fuzz.token_set_ratio(first, second)) / 200


def _score(item: PlanRecommendation, recommendation: Recommendation) -> float:
    bonus = NUMBER_BONUS if _number(item.number) == _number(recommendation.number) else 0.0
    return min(1.0, wording_score(item.text, recommendation.text) + bonus)


def match_recommendations(
    items: Sequence[PlanRecommendation], recommendations: Sequence[Recommendation], chosen: dict[str, int]
) -> dict[str, RecommendationMatch]:
    """Each plan recommendation (by number) -> the report's recommendation it belongs to, the
    manager's choices first; a choice that is what was offered keeps its score and wording."""
    offered = _match(items, recommendations, {})
    matches = _match(items, recommendations, chosen) if chosen else offered
    return {
        number: offered[number]
        if number in offered and offered[number].recommendation is match.recommendation
        else match
        for number, match in matches.items()
    }


def _match(
    items: Sequence[PlanRecommendation], recommendations: Sequence[Recommendation], chosen: dict[str, int]
) -> dict[str, RecommendationMatch]:
    """The manager's choices (choice_key of the plan's number -> recommendation id) come first. Then the best-scoring
    pairs are taken in turn, each report recommendation at most once, so a plan in another order
    still lands each item where its wording says. A plan item without wording goes by its number."""
    by_id = {recommendation.id: recommendation for recommendation in recommendations}
    matches: dict[str, RecommendationMatch] = {}
    for item in items:
        if (recommendation := by_id.get(chosen.get(choice_key(item.number), -1))) is not None:
            matches[item.number] = RecommendationMatch(recommendation, _score(item, recommendation), "chosen")
    taken = {match.recommendation.id for match in matches.values()}
    pairs = sorted(
        (
            (_score(item, recommendation), position, recommendation.position, item, recommendation)
            for position, item in enumerate(items)
            if item.text and item.number not in matches
            for recommendation in recommendations
            if recommendation.id not in taken
        ),
        key=lambda pair: (-pair[0], pair[1], pair[2]),
    )
    for score, _, _, item, recommendation in pairs:
        if score < UNSURE or item.number in matches or recommendation.id in taken:
            continue
        how = "exact" if score >= EXACT else "likely" if score >= LIKELY else "unsure"
        matches[item.number] = RecommendationMatch(recommendation, score, how)
        taken.add(recommendation.id)
    by_number = {_number(recommendation.number): recommendation for recommendation in recommendations}
    for item in items:
        recommendation = by_number.get(_number(item.number))
        if (
            not item.text
            and item.number not in matches
            and recommendation is not None
            and recommendation.id not in taken
        ):
            matches[item.number] = RecommendationMatch(recommendation, 0.0, "number")
            taken.add(recommendation.id)
    return matches
