"""Repeats for the board pack's exceptions: open actions whose recommendation a person
confirmed as asked before by an earlier inspection, and whether that earlier work was once
signed off as complete (the strongest sign that a fix did not hold)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Action, ActionOwner, Organisation, Recommendation, Role, Status
from tracker.services.asked_before.links import confirmed_links, outcome, repeated_recommendation_ids, was_signed_off


@dataclass(frozen=True)
class EarlierAsk:
    name: str  # "June 2019 inspection, recommendation 4"
    outcome: str  # "Verified on 3 May 2020"
    signed_off: bool


@dataclass(frozen=True)
class RepeatRow:
    action_id: int
    recommendation_name: str
    recommendation: str
    owners: str
    due_on: date
    status: Status
    earlier: list[EarlierAsk]

    @property
    def once_signed_off(self) -> bool:
        return any(ask.signed_off for ask in self.earlier)

    @property
    def earlier_text(self) -> str:
        """ "Asked before as June 2019 inspection, recommendation 4 (Verified on 3 May 2020)"."""
        return "Asked before as " + "; ".join(f"{ask.name} ({ask.outcome})" for ask in self.earlier)


def repeat_rows(organisation: Organisation, owners_text) -> list[RepeatRow]:
    """Open actions (not verified or withdrawn) on recommendations confirmed as asked before,
    those whose earlier work was signed off first."""
    actions = list(
        db.session.scalars(
            select(Action)
            .where(
                Action.organisation_id == organisation.id,
                Action.status.not_in(Status.FINISHED),
                Action.recommendation_id.in_(repeated_recommendation_ids([organisation.id])),
            )
            .options(
                selectinload(Action.recommendation).selectinload(Recommendation.report),
                selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder),
            )
            .order_by(Action.due_on, Action.id)
        )
    )
    links = confirmed_links([action.recommendation_id for action in actions])
    rows = [
        RepeatRow(
            action.id,
            action.recommendation.full_name,
            action.title or action.recommendation.text,
            owners_text(action),
            action.due_on,
            action.status,
            [
                EarlierAsk(link.earlier.full_name, outcome(link.earlier), was_signed_off(link.earlier))
                for link in links.get(action.recommendation_id, [])
            ],
        )
        for action in actions
    ]
    return sorted(rows, key=lambda row: not row.once_signed_off)
