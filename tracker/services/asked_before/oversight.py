"""The oversight comparison's "Asked before" column: per organisation, the actions on
recommendations confirmed as asked before by an earlier inspection, and how many of those
repeat work that was once signed off as complete. Counted with the action list's own filters
(services/queries.py), so the count equals the list it links to."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from tracker.extensions import db
from tracker.models import Action, RepeatLink, RepeatState, Status
from tracker.services.queries import ActionFilters, filter_actions


@dataclass(frozen=True)
class RepeatCount:
    actions: int
    once_signed_off: int


def repeat_counts(organisation_ids: list[int] | None, filters: ActionFilters, today: date) -> dict[int, RepeatCount]:
    earlier_action = aliased(Action)
    signed_off = (
        select(RepeatLink.recommendation_id)
        .join(earlier_action, earlier_action.recommendation_id == RepeatLink.earlier_recommendation_id)
        .where(RepeatLink.state == RepeatState.CONFIRMED, earlier_action.status.in_(Status.DONE))
    )
    statement = filter_actions(
        select(
            Action.organisation_id,
            func.count(Action.id),
            func.count(Action.id).filter(Action.recommendation_id.in_(signed_off)),
        ).group_by(Action.organisation_id),
        replace(filters, repeats=True),
        today,
    )
    if organisation_ids is not None:
        statement = statement.where(Action.organisation_id.in_(organisation_ids))
    return {organisation_id: RepeatCount(count, once) for organisation_id, count, once in db.session.execute(statement)}
