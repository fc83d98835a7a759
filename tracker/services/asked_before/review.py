""" "Asked before" on the review screen: beside each item being imported, the closest earlier
recommendations of the organisation, each to confirm or dismiss.

The decisions travel with the review form as radio buttons named after the item's wording
and the earlier recommendation (`asked-before-<fingerprint>-<id>`), so they survive every
editing operation (splitting, merging, reordering) and an item whose wording changes is
asked about afresh. When the report is saved, a confirmed suggestion becomes a link, a
dismissed one is kept as dismissed (it is not suggested again), and one left undecided stays a
suggestion to decide on the action's page. Nothing is linked without a person saying so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.models import Organisation, Recommendation, RepeatState, Report
from tracker.services.asked_before.links import decide, earlier_recommendations, suggest, suggest_for_report
from tracker.services.audit import Actor

CONFIRM, DISMISS = "confirm", "dismiss"


def fingerprint(text: str) -> str:
    """A short name for an item's wording (spacing and case aside)."""
    return hashlib.sha256(" ".join((text or "").lower().split()).encode("utf-8")).hexdigest()[:16]


def field_name(text: str, earlier: Recommendation) -> str:
    return f"asked-before-{fingerprint(text)}-{earlier.id}"


@dataclass(frozen=True)
class ReviewSuggestion:
    earlier: Recommendation
    score: float
    field: str
    decision: str  # "confirm", "dismiss" or "" (not decided yet)

    @property
    def action(self):
        return self.earlier.actions[0] if self.earlier.actions else None


def for_items(
    organisation: Organisation, texts: Sequence[str], published: date | None, form: Mapping[str, str]
) -> list[list[ReviewSuggestion]]:
    """For each item's text, its suggestions with the decision the form holds (if any).
    A first import (no earlier reports) gets none."""
    earlier = earlier_recommendations(organisation.id, published=published)
    found = []
    for text, suggestions in zip(texts, suggest(texts, earlier), strict=True):
        row = []
        for suggestion in suggestions:
            name = field_name(text, suggestion.earlier)
            decision = form.get(name, "")
            row.append(
                ReviewSuggestion(
                    suggestion.earlier, suggestion.score, name, decision if decision in (CONFIRM, DISMISS) else ""
                )
            )
        found.append(row)
    return found


def record_decisions(report: Report, form: Mapping[str, str], actor: Actor) -> tuple[int, int]:
    """Store the new report's suggestions with the decisions made at review; returns how many
    were confirmed and dismissed. Only the suggestions the matching makes for the saved wording
    are read from the form, so a posted id of anything else (another organisation's
    recommendation, say) is never linked."""
    confirmed = dismissed = 0
    for link in suggest_for_report(report, actor):
        decision = form.get(field_name(link.recommendation.text, link.earlier), "")
        if decision == CONFIRM:
            decide(link, RepeatState.CONFIRMED, actor)
            confirmed += 1
        elif decision == DISMISS:
            decide(link, RepeatState.DISMISSED, actor)
            dismissed += 1
    return confirmed, dismissed
