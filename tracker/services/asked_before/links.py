""" "Asked before": links from a recommendation to what earlier inspections of the same
organisation asked, and what happened then.

The matching only suggests (services/asked_before/matching.py); nothing is linked until a person
confirms a suggestion or links one by hand. A link never joins a recommendation to itself, to
another report's recommendation of a different organisation, or within one report. Every change
to a link is audited. Services flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.clock import long_date
from tracker.extensions import db
from tracker.models import Action, Recommendation, RepeatLink, RepeatState, Report, Status, utc_now
from tracker.services import ServiceError
from tracker.services.asked_before.matching import best_matches, prepare
from tracker.services.audit import Actor, record


class LinkRefused(ServiceError):
    """A link that may not be made, with why."""


@dataclass(frozen=True)
class Suggestion:
    earlier: Recommendation
    score: float


def _is_before(report: Report, other: Report) -> bool:
    """Whether `other` came before `report`: by publication date when both have one, else by import."""
    if report.publication_date and other.publication_date and report.publication_date != other.publication_date:
        return other.publication_date < report.publication_date
    return (other.imported_at, other.id) < (report.imported_at, report.id)


def earlier_recommendations(
    organisation_id: int, report: Report | None = None, *, published: date | None = None
) -> list[Recommendation]:
    """The recommendations of the organisation's reports before `report`, oldest report first.

    A report still being imported has no row yet: give its publication date (`published`), or
    nothing, and every report published before it (every report, without a date) is earlier."""
    reports = db.session.scalars(
        select(Report)
        .where(Report.organisation_id == organisation_id)
        .options(selectinload(Report.recommendations))
        .order_by(Report.publication_date, Report.id)
    )
    found: list[Recommendation] = []
    for other in reports:
        if report is not None:
            earlier = other.id != report.id and _is_before(report, other)
        else:
            earlier = published is None or other.publication_date is None or other.publication_date < published
        if earlier:
            found.extend(other.recommendations)
    return found


def suggest(texts: Sequence[str], earlier: Sequence[Recommendation]) -> list[list[Suggestion]]:
    """For each text, the closest earlier recommendations, best first (none below the threshold)."""
    if not earlier:
        return [[] for _ in texts]
    wordings = [recommendation.text for recommendation in earlier]
    prepared = prepare(wordings)
    return [
        [Suggestion(earlier[match.index], match.score) for match in best_matches(text, wordings, prepared=prepared)]
        for text in texts
    ]


def _describe(link: RepeatLink) -> dict:
    return {
        "recommendation": link.recommendation.full_name,
        "earlier": link.earlier.full_name,
        "earlier_text": link.earlier.text,
        "state": link.state.value,
        "score": link.score,
    }


def suggest_for_report(report: Report, actor: Actor) -> list[RepeatLink]:
    """Store the matching's suggestions for a newly saved report, to be decided on its actions'
    pages. One audit event says how many were suggested."""
    earlier = earlier_recommendations(report.organisation_id, report)
    links = []
    for recommendation, suggestions in zip(
        report.recommendations, suggest([r.text for r in report.recommendations], earlier), strict=True
    ):
        for suggestion in suggestions:
            links.append(_link(recommendation, suggestion.earlier, RepeatState.SUGGESTED, suggestion.score))
    db.session.flush()
    if links:
        record(
            "repeat_link.suggested",
            report,
            actor=actor,
            organisation_id=report.organisation_id,
            after={"report": report.title, "count": len(links)},
        )
    return links


def _existing(recommendation: Recommendation, earlier: Recommendation) -> RepeatLink | None:
    return db.session.scalar(
        select(RepeatLink).filter_by(recommendation_id=recommendation.id, earlier_recommendation_id=earlier.id)
    )


def check_linkable(recommendation: Recommendation, earlier: Recommendation | None) -> Recommendation:
    """Refuse, with why, anything but an earlier recommendation of the same organisation."""
    if earlier is None or earlier.report.organisation_id != recommendation.report.organisation_id:
        raise LinkRefused("Choose one of this organisation's earlier recommendations.", field="earlier")
    if earlier.id == recommendation.id:
        raise LinkRefused("A recommendation cannot be linked to itself.", field="earlier")
    if earlier.report_id == recommendation.report_id:
        raise LinkRefused("Choose a recommendation from an earlier report, not from the same one.", field="earlier")
    return earlier


def _link(
    recommendation: Recommendation, earlier: Recommendation, state: RepeatState, score: float | None
) -> RepeatLink:
    check_linkable(recommendation, earlier)
    link = _existing(recommendation, earlier)
    if link is None:
        link = RepeatLink(
            organisation_id=recommendation.report.organisation_id,
            recommendation=recommendation,
            earlier=earlier,
            state=state,
            score=score,
        )
        db.session.add(link)
    return link


def decide(link: RepeatLink, state: RepeatState, actor: Actor) -> RepeatLink:
    """Confirm or dismiss a suggestion (or dismiss, which removes, a confirmed link)."""
    if state is RepeatState.SUGGESTED:
        raise LinkRefused("A link is confirmed or dismissed.")
    if link.state is state:
        raise LinkRefused(
            "The link is already confirmed."
            if state is RepeatState.CONFIRMED
            else "The suggestion is already dismissed."
        )
    before = _describe(link)
    event = (
        "repeat_link.removed"
        if link.state is RepeatState.CONFIRMED and state is RepeatState.DISMISSED
        else f"repeat_link.{state.value}"
    )
    link.state, link.decided_by_id, link.decided_at = state, getattr(actor, "id", None), utc_now()
    db.session.flush()
    record(event, link, actor=actor, organisation_id=link.organisation_id, before=before, after=_describe(link))
    return link


def link_by_hand(recommendation: Recommendation, earlier: Recommendation | None, actor: Actor) -> RepeatLink:
    """A person links a recommendation to an earlier one: confirmed at once."""
    earlier = check_linkable(recommendation, earlier)
    link = _existing(recommendation, earlier)
    if link is not None and link.state is RepeatState.CONFIRMED:
        raise LinkRefused(f"It is already linked to {earlier.full_name}.", field="earlier")
    if link is None:
        link = _link(recommendation, earlier, RepeatState.CONFIRMED, None)
        link.decided_by_id, link.decided_at = getattr(actor, "id", None), utc_now()
        db.session.flush()
        record("repeat_link.added", link, actor=actor, organisation_id=link.organisation_id, after=_describe(link))
        return link
    return decide(link, RepeatState.CONFIRMED, actor)


def links_of(recommendation: Recommendation, states: Iterable[RepeatState] = tuple(RepeatState)) -> list[RepeatLink]:
    """The recommendation's links in these states, confirmed first, then best score."""
    links = db.session.scalars(
        select(RepeatLink)
        .where(RepeatLink.recommendation_id == recommendation.id, RepeatLink.state.in_(list(states)))
        .options(
            selectinload(RepeatLink.earlier).options(
                selectinload(Recommendation.report),
                selectinload(Recommendation.actions).options(selectinload(Action.updates), selectinload(Action.owners)),
            )
        )
    )
    order = {RepeatState.CONFIRMED: 0, RepeatState.SUGGESTED: 1, RepeatState.DISMISSED: 2}
    return sorted(links, key=lambda link: (order[link.state], -(link.score or 0), link.id))


def link_for(recommendation: Recommendation, link_id: int | None) -> RepeatLink:
    """One of the recommendation's links; any other id is refused the same way."""
    link = db.session.get(RepeatLink, link_id) if link_id else None
    if link is None or link.recommendation_id != recommendation.id:
        raise LinkRefused("That link is not one of this recommendation's.")
    return link


def repeated_recommendation_ids(organisation_ids: Sequence[int] | None = None):
    """A select of the ids of recommendations confirmed as asked before."""
    statement = select(RepeatLink.recommendation_id).where(RepeatLink.state == RepeatState.CONFIRMED)
    if organisation_ids is not None:
        statement = statement.where(RepeatLink.organisation_id.in_(list(organisation_ids)))
    return statement


def confirmed_links(recommendation_ids: Sequence[int]) -> dict[int, list[RepeatLink]]:
    """Confirmed links by recommendation id, with the earlier recommendations' actions loaded."""
    found: dict[int, list[RepeatLink]] = {}
    if not recommendation_ids:
        return found
    for link in db.session.scalars(
        select(RepeatLink)
        .where(RepeatLink.recommendation_id.in_(list(recommendation_ids)), RepeatLink.state == RepeatState.CONFIRMED)
        .options(
            selectinload(RepeatLink.earlier).options(
                selectinload(Recommendation.report), selectinload(Recommendation.actions)
            )
        )
        .order_by(RepeatLink.id)
    ):
        found.setdefault(link.recommendation_id, []).append(link)
    return found


def outcome(recommendation: Recommendation) -> str:
    """What happened to an earlier recommendation, in a few words: "Verified on 3 May 2024"."""
    action = recommendation.actions[0] if recommendation.actions else None
    if action is None:
        return "No action was tracked"
    if action.verified_at is not None:
        return f"{action.status.label} on {long_date(action.verified_at)}"
    return action.status.label


def was_signed_off(recommendation: Recommendation) -> bool:
    """Whether the earlier work was once signed off (or said done) as complete."""
    return any(action.status in Status.DONE or action.verified_at is not None for action in recommendation.actions)


def search_earlier(recommendation: Recommendation, term: str, limit: int = 50) -> list[Recommendation]:
    """The organisation's earlier recommendations whose text contains `term` (all of them when blank)."""
    earlier = earlier_recommendations(recommendation.report.organisation_id, recommendation.report)
    term = " ".join(term.lower().split())
    return [item for item in earlier if not term or term in item.text.lower() or term == item.number.lower()][:limit]


def as_json(recommendation: Recommendation) -> list[dict]:
    """The API's `asked_before`: confirmed links and open suggestions (dismissed ones are left out)."""
    return [
        {
            "recommendation_id": link.earlier.id,
            "report_id": link.earlier.report_id,
            "report": link.earlier.report.short_name,
            "number": link.earlier.number,
            "text": link.earlier.text,
            "outcome": outcome(link.earlier),
            "confirmed": link.state is RepeatState.CONFIRMED,
            "score": link.score,
        }
        for link in links_of(recommendation, (RepeatState.CONFIRMED, RepeatState.SUGGESTED))
    ]
