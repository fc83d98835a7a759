"""An organisation's plan (or one report's) as rows the plan importer reads back unchanged."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.exports.plan import ExportRow
from tracker.extensions import db
from tracker.models import Action, ActionOwner, Organisation, Recommendation, Report


def plan_rows(organisation: Organisation, report: Report | None = None) -> list[ExportRow]:
    """Each recommendation's own action first (its step is blank), then its steps."""
    query = (
        select(Action)
        .join(Action.recommendation)
        .join(Recommendation.report)
        .where(Action.organisation_id == organisation.id)
        .options(
            selectinload(Action.owners).selectinload(ActionOwner.role),
            selectinload(Action.updates),
            selectinload(Action.recommendation),
        )
        .order_by(Report.id, Recommendation.position, Action.title.is_not(None), Action.id)
    )
    if report is not None:
        query = query.where(Recommendation.report_id == report.id)
    rows: list[ExportRow] = []
    for action in db.session.scalars(query):
        latest = action.updates[0] if action.updates else None
        rows.append(
            (
                action.recommendation.number,
                action.recommendation.text,
                action.title or "",
                "; ".join(role.name for role in action.owner_roles),
                action.original_due_on,
                action.due_on,
                action.status.label,
                action.flag.label if action.flag else "",
                latest.created_at.date() if latest else None,
                latest.note if latest else "",
            )
        )
    return rows
