"""A withdrawn import leaves every list, pack, count and reminder run, everywhere at once.

Once `listen()` has been called (`create_app` does), every ORM query on reports,
recommendations and actions gets a criterion that leaves out
those of withdrawn reports, so no page, export or job has to remember to. Code that must see
them (withdrawing itself, the audit trail) asks with `.execution_options(include_withdrawn=True)`.

The criteria are correlated `NOT EXISTS` subqueries (one index probe per row through the primary
keys of recommendations and reports), not `NOT IN` over every withdrawn report: the planner turns
them into anti-joins, and a query that already reads a few rows of one organisation stays that small.
"""

from __future__ import annotations

from sqlalchemy import event, exists
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from .action import Action
from .report import Recommendation, Report

# Plain tables under names of their own, not the mapped classes: the criteria below do not apply
# inside themselves, and the subqueries never correlate with reports or recommendations that the
# enclosing query reads.
_reports = Report.__table__.alias("withdrawn_check_reports")
_recommendations = Recommendation.__table__.alias("withdrawn_check_recommendations")


def _report_withdrawn(report_id):
    return exists().where(_reports.c.id == report_id, _reports.c.withdrawn_at.is_not(None))


def _recommendation_withdrawn(recommendation_id):
    return exists().where(
        _recommendations.c.id == recommendation_id,
        _reports.c.id == _recommendations.c.report_id,
        _reports.c.withdrawn_at.is_not(None),
    )


def _leave_out_withdrawn_imports(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("include_withdrawn", False):
        return
    state.statement = state.statement.options(
        with_loader_criteria(Report, lambda cls: cls.withdrawn_at.is_(None), include_aliases=True),
        with_loader_criteria(Recommendation, lambda cls: ~_report_withdrawn(cls.report_id), include_aliases=True),
        with_loader_criteria(
            Action, lambda cls: ~_recommendation_withdrawn(cls.recommendation_id), include_aliases=True
        ),
    )


def listen() -> None:
    """Apply the criterion to every ORM session from now on. `create_app` calls it; a second
    call changes nothing."""
    if not event.contains(Session, "do_orm_execute", _leave_out_withdrawn_imports):
        event.listen(Session, "do_orm_execute", _leave_out_withdrawn_imports)
