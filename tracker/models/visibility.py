"""A withdrawn import leaves every list, pack, count and reminder run, everywhere at once.

Once `listen()` has been called (`create_app` does), every ORM query on reports,
recommendations and actions gets a criterion that leaves out
those of withdrawn reports, so no page, export or job has to remember to. Code that must see
them (withdrawing itself, the audit trail) asks with `.execution_options(include_withdrawn=True)`.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from .action import Action
from .report import Recommendation, Report

_reports = Report.__table__
_recommendations = Recommendation.__table__
# Plain tables, not the mapped classes, so the criteria below do not apply inside themselves.
_withdrawn_reports = select(_reports.c.id).where(_reports.c.withdrawn_at.is_not(None))
_withdrawn_recommendations = select(_recommendations.c.id).where(_recommendations.c.report_id.in_(_withdrawn_reports))


def _leave_out_withdrawn_imports(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("include_withdrawn", False):
        return
    state.statement = state.statement.options(
        with_loader_criteria(Report, lambda cls: cls.withdrawn_at.is_(None), include_aliases=True),
        with_loader_criteria(
            Recommendation, lambda cls: cls.report_id.not_in(_withdrawn_reports), include_aliases=True
        ),
        with_loader_criteria(
            Action, lambda cls: cls.recommendation_id.not_in(_withdrawn_recommendations), include_aliases=True
        ),
    )


def listen() -> None:
    """Apply the criterion to every ORM session from now on. `create_app` calls it; a second
    call changes nothing."""
    if not event.contains(Session, "do_orm_execute", _leave_out_withdrawn_imports):
        event.listen(Session, "do_orm_execute", _leave_out_withdrawn_imports)
