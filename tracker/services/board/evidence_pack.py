"""The inspection evidence pack: everything recorded against one report's recommendations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Action, ActionOwner, DeadlineChange, Recommendation, Report, Role, Update


def evidence_pack(report: Report) -> list[Recommendation]:
    """A report's recommendations with every action, update, evidence file and deadline change."""
    return list(
        db.session.scalars(
            select(Recommendation)
            .filter_by(report_id=report.id)
            .options(
                selectinload(Recommendation.actions).options(
                    selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder),
                    selectinload(Action.verified_by),
                    selectinload(Action.updates).options(
                        selectinload(Update.author), selectinload(Update.author_contact), selectinload(Update.evidence)
                    ),
                    selectinload(Action.deadline_changes).options(
                        selectinload(DeadlineChange.requested_by), selectinload(DeadlineChange.decided_by)
                    ),
                )
            )
            .order_by(Recommendation.position)
        )
    )
