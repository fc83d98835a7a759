"""The "Asked before" panel of an action page: what earlier inspections asked that this
recommendation repeats, and the story of the earlier work: its deadline and whether it was
met, its updates, its evidence and its sign-off. Read only; changes go through
services/asked_before/links.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.clock import local_time, long_date
from tracker.models import Action, Evidence, Recommendation, RepeatLink, RepeatState, Status, Update
from tracker.services.asked_before.links import earlier_recommendations, links_of, suggest


@dataclass(frozen=True)
class EarlierStory:
    """What happened to one earlier recommendation's main action."""

    action: Action | None
    deadline_met: str  # a sentence: "Met: completed on 2 May 2020, before the deadline of 1 June 2020."
    updates: list[Update] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    signed_off: str = ""  # "Verified by Jo Bloggs on 3 June 2020", or ""


@dataclass(frozen=True)
class Choice:
    """An earlier recommendation offered in the "link another" list, with its score if suggested."""

    recommendation: Recommendation
    score: float | None


@dataclass(frozen=True)
class Panel:
    confirmed: list[tuple[RepeatLink, EarlierStory]]
    suggested: list[RepeatLink]
    dismissed: list[RepeatLink]
    choices: list[Choice]  # empty unless the viewer may link


def _day(moment) -> str:
    return long_date(local_time(moment))


def story(recommendation: Recommendation) -> EarlierStory:
    action = recommendation.actions[0] if recommendation.actions else None
    if action is None:
        return EarlierStory(None, "No action was tracked for it.")
    deadline = long_date(action.due_on)
    if action.completed_at is not None:
        done_on = local_time(action.completed_at).date()
        late = (done_on - action.due_on).days
        met = (
            f"Met: completed on {_day(action.completed_at)}, by the deadline of {deadline}."
            if late <= 0
            else f"Missed: completed on {_day(action.completed_at)}, {late} day{'s' if late != 1 else ''} after "
            f"the deadline of {deadline}."
        )
    elif action.status is Status.WITHDRAWN:
        met = f"Withdrawn before it was done (deadline {deadline})."
    else:
        met = f"Not completed yet; the deadline is {deadline}."
    signed_off = ""
    if action.verified_at is not None:
        who = action.verified_by.name if action.verified_by is not None else "the board"
        signed_off = f"Signed off as verified by {who} on {_day(action.verified_at)}."
    evidence = [item for update in action.updates for item in update.evidence]
    return EarlierStory(action, met, list(action.updates), evidence, signed_off)


def panel(action: Action, *, can_link: bool) -> Panel:
    recommendation = action.recommendation
    links = links_of(recommendation)
    confirmed = [(link, story(link.earlier)) for link in links if link.state is RepeatState.CONFIRMED]
    choices: list[Choice] = []
    if can_link:
        linked = {link.earlier_recommendation_id for link in links if link.state is RepeatState.CONFIRMED}
        earlier = [
            item
            for item in earlier_recommendations(action.organisation_id, recommendation.report)
            if item.id not in linked
        ]
        suggested = {item.earlier.id: item.score for item in suggest([recommendation.text], earlier)[0]}
        ranked = sorted(earlier, key=lambda item: (item.id not in suggested, -suggested.get(item.id, 0)))
        choices = [Choice(item, suggested.get(item.id)) for item in ranked]
    return Panel(
        confirmed,
        [link for link in links if link.state is RepeatState.SUGGESTED],
        [link for link in links if link.state is RepeatState.DISMISSED],
        choices,
    )
