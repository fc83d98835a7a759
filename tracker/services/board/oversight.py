"""Organisations compared side by side, for oversight bodies (the YJB, a regional body).

One row per organisation: actions open, per cent done, overdue, at risk or blocked, the
oldest overdue, the last update and the next board meeting. The counts are worked out with
the same filters as the action list (services/queries.py), so each count equals the length
of the list it links to. A fixed number of grouped queries, whatever the number of
organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Select, case, func, select

from tracker.extensions import db
from tracker.models import Action, BoardMeeting, Flag, Organisation, Recommendation, Report, Status
from tracker.services.queries import ActionFilters, filter_actions, report_criteria
from tracker.services.rag import overdue_sql
from tracker.services.reminders.unheard import unheard_condition

SORTS = ("name", "open", "done", "overdue", "at_risk", "oldest_overdue", "last_update", "next_meeting")


@dataclass(frozen=True)
class OrganisationRow:
    organisation: Organisation
    total: int
    open: int
    done: int
    overdue: int
    at_risk: int
    oldest_overdue_on: date | None
    last_update_at: datetime | None
    next_meeting_on: date | None
    nobody_reminded: int = 0  # open actions whose owner roles nobody holds (services/reminders/unheard.py)

    @property
    def percent_done(self) -> int:
        counted = self.total
        return round(100 * self.done / counted) if counted else 0

    def oldest_overdue_days(self, today: date) -> int | None:
        return (today - self.oldest_overdue_on).days if self.oldest_overdue_on else None


def comparison(
    organisation_ids: list[int] | None,
    filters: ActionFilters,
    today: date,
    *,
    sort: str = "overdue",
    descending: bool = True,
) -> list[OrganisationRow]:
    """One row per visible organisation (including those with no matching actions)."""
    is_open = Action.status.in_(Status.OPEN)
    statement = select(
        Action.organisation_id,
        func.count(Action.id).filter(Action.status != Status.WITHDRAWN),
        func.count(Action.id).filter(is_open),
        func.count(Action.id).filter(Action.status.in_(Status.DONE)),
        func.count(Action.id).filter(overdue_sql(today)),
        func.count(Action.id).filter(is_open, Action.flag.in_((Flag.AT_RISK, Flag.BLOCKED))),
        func.min(case((overdue_sql(today), Action.due_on))),
        func.max(Action.last_update_at),
    ).group_by(Action.organisation_id)
    statement = _filtered(statement, filters, today)
    organisations = select(Organisation).order_by(Organisation.name)
    if organisation_ids is not None:
        statement = statement.where(Action.organisation_id.in_(organisation_ids))
        organisations = organisations.where(Organisation.id.in_(organisation_ids))
    figures = {row[0]: row[1:] for row in db.session.execute(statement)}
    unheard = _filtered(
        select(Action.organisation_id, func.count(Action.id))
        .where(unheard_condition())
        .group_by(Action.organisation_id),
        filters,
        today,
    )
    if organisation_ids is not None:
        unheard = unheard.where(Action.organisation_id.in_(organisation_ids))
    nobody_reminded: dict[int, int] = {organisation_id: count for organisation_id, count in db.session.execute(unheard)}
    meetings = (
        select(BoardMeeting.organisation_id, func.min(BoardMeeting.held_on))
        .where(BoardMeeting.held_on >= today)
        .group_by(BoardMeeting.organisation_id)
    )
    next_meetings = {organisation_id: held_on for organisation_id, held_on in db.session.execute(meetings)}
    rows = []
    for organisation in db.session.scalars(organisations):
        total, open_, done, overdue, at_risk, oldest, last = figures.get(organisation.id, (0, 0, 0, 0, 0, None, None))
        rows.append(
            OrganisationRow(
                organisation,
                total,
                open_,
                done,
                overdue,
                at_risk,
                oldest,
                last,
                next_meetings.get(organisation.id),
                nobody_reminded.get(organisation.id, 0),
            )
        )
    return sort_rows(rows, sort, descending)


def _filtered(statement: Select, filters: ActionFilters, today: date) -> Select:
    """The action list's filters as conditions on the grouped query itself: the report
    criteria (inspectorate, publication dates) through a join to the action's report, the rest
    as the list applies them (services/queries.py). No filter chosen, no condition at all."""
    if filters.inspectorate or filters.published_from or filters.published_to:
        statement = report_criteria(
            statement.join(Recommendation, Recommendation.id == Action.recommendation_id).join(
                Report, Report.id == Recommendation.report_id
            ),
            filters,
        )
        filters = replace(filters, inspectorate="", published_from=None, published_to=None)
    return filter_actions(statement, filters, today) if filters.active else statement


def sort_rows(rows: list[OrganisationRow], sort: str, descending: bool) -> list[OrganisationRow]:
    if sort not in SORTS:
        sort = "overdue"
    far = date.max

    def key(row: OrganisationRow):
        value = {
            "name": row.organisation.name.lower(),
            "open": row.open,
            "done": row.percent_done,
            "overdue": row.overdue,
            "at_risk": row.at_risk,
            # The oldest overdue first when descending: an earlier date is "more" overdue.
            "oldest_overdue": -(row.oldest_overdue_on or far).toordinal(),
            "last_update": row.last_update_at.timestamp() if row.last_update_at else 0,
            "next_meeting": -(row.next_meeting_on or far).toordinal(),
        }[sort]
        return (value, row.organisation.name.lower())

    return sorted(rows, key=key, reverse=descending)
