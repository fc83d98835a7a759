"""The board pack: one row per action, as a board member reads it on paper, with the summary,
progress over time and what changed since the last meeting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.clock import local_date
from tracker.extensions import db
from tracker.models import Action, ActionOwner, Organisation, Recommendation, Report, Role, Status, Update
from tracker.models.board import BoardMeeting
from tracker.services.asked_before.board_pack import RepeatRow, repeat_rows
from tracker.services.board.meetings import MeetingChanges, changes_since_last_meeting
from tracker.services.board.summary import BoardSummary, ProgressPoint, board_summary, progress_over_time
from tracker.services.rag import Rag, days_overdue, rag_for
from tracker.services.reminders.unheard import is_unheard


@dataclass(frozen=True)
class PackRow:
    """One action, as a board member reads it on paper."""

    action_id: int
    report_title: str
    recommendation_name: str  # the report's short name and the number: "June 2025 inspection, recommendation 4"
    published: date | None
    number: str
    recommendation: str
    step: str | None  # a plan step's title; None for the recommendation's own action
    owners: str
    original_due_on: date
    due_on: date
    status: Status
    flag: str
    rag: Rag
    days_overdue: int
    latest_update: str
    latest_update_on: date | None
    changes: str
    reference: str = ""  # "4" for a recommendation's own action, "4a" for a step
    nobody_reminded: bool = (
        False  # open, and no owner role has a holder or deputy to remind (services/reminders/unheard.py)
    )


@dataclass(frozen=True)
class BoardPack:
    organisation: Organisation
    today: date
    summary: BoardSummary
    progress: list[ProgressPoint]
    last_meeting: BoardMeeting | None
    changes: MeetingChanges
    rows: list[PackRow] = field(default_factory=list)
    repeats: list[RepeatRow] = field(default_factory=list)  # open actions asked before (board_pack_repeats.py)


def owners_text(action: Action) -> str:
    names = []
    for role in action.owner_roles:
        names.append(f"{role.name} ({role.holder.name})" if role.holder is not None else role.name)
    return "; ".join(names) or "No owner assigned"


def board_pack(organisation: Organisation, today: date) -> BoardPack:
    """Everything the board pack prints, as of `today`."""
    meeting, changes = changes_since_last_meeting(organisation, today)
    actions = list(
        db.session.scalars(
            select(Action)
            .join(Recommendation, Recommendation.id == Action.recommendation_id)
            .join(Report, Report.id == Recommendation.report_id)
            .where(Action.organisation_id == organisation.id)
            .options(
                selectinload(Action.recommendation).selectinload(Recommendation.report),
                selectinload(Action.owners)
                .selectinload(ActionOwner.role)
                .options(selectinload(Role.holder), selectinload(Role.deputy)),
            )
            .order_by(Report.publication_date.desc(), Report.id.desc(), Recommendation.position, Action.id)
        )
    )
    latest = _latest_updates(organisation)
    rows = []
    for action in actions:
        update = latest.get(action.id)
        rows.append(
            PackRow(
                action_id=action.id,
                report_title=action.recommendation.report.title,
                recommendation_name=action.recommendation.full_name,
                published=action.recommendation.report.publication_date,
                number=action.recommendation.number,
                recommendation=action.recommendation.text,
                step=action.title,
                owners=owners_text(action),
                original_due_on=action.original_due_on,
                due_on=action.due_on,
                status=action.status,
                flag=f"{action.flag.label}: {action.flag_reason}" if action.flag else "",
                rag=rag_for(action, today),
                days_overdue=days_overdue(action, today),
                latest_update=(
                    f"{update.author_name}: {update.note}"
                    if update.note
                    else f"{update.author_name}: {update.status_after.label}"
                )
                if update
                else "No updates yet",
                latest_update_on=local_date(update.created_at) if update else None,
                changes=changes.summary_for(action.id),
                reference=action.reference,
                nobody_reminded=is_unheard(action),
            )
        )
    return BoardPack(
        organisation=organisation,
        today=today,
        summary=board_summary(organisation, today),
        progress=progress_over_time(organisation, today),
        last_meeting=meeting,
        changes=changes,
        rows=rows,
        repeats=repeat_rows(organisation, owners_text),
    )


def _latest_updates(organisation: Organisation) -> dict[int, Update]:
    """Each action's latest update, leaving out the board's sign-off and notes made on a verified
    action: for a verified action the pack shows the owner's evidence that it was done."""
    ranked = (
        select(
            Update.id.label("id"),
            func.row_number()
            .over(partition_by=Update.action_id, order_by=(Update.created_at.desc(), Update.id.desc()))
            .label("rank"),
        )
        .join(Action, Action.id == Update.action_id)
        .where(Action.organisation_id == organisation.id, Update.status_after != Status.VERIFIED)
        .subquery()
    )
    updates = db.session.scalars(
        select(Update)
        .join(ranked, ranked.c.id == Update.id)
        .where(ranked.c.rank == 1)
        .options(selectinload(Update.author), selectinload(Update.author_contact))
    )
    return {update.action_id: update for update in updates}
