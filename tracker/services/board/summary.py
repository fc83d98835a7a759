"""What a management board sees of an organisation's actions: the counts by status, RAG,
deadline and owner, progress per report, and progress over time.

Every number the board dashboard shows and every number in the board pack comes from
`board_summary`, computed once, in SQL, with GROUP BY: a board sees the same figure on the
screen and on paper, and an organisation with 100,000 actions costs the same few queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from tracker.clock import end_of_day
from tracker.extensions import db
from tracker.models import Action, ActionOwner, Organisation, Recommendation, Report, Role, Status, Update
from tracker.services.rag import RAG_COLOURS, due_within_sql, overdue_sql, rag_colour_sql

DUE_SOON_DAYS = (30, 90)


def _deadline_band_sql(today: date):
    """ "overdue", "30" (due in the next 30 days), "90" (in 31 to 90 days) or "later"/closed."""
    return case(
        (overdue_sql(today), "overdue"),
        (due_within_sql(DUE_SOON_DAYS[0], today), "30"),
        (due_within_sql(DUE_SOON_DAYS[1], today), "90"),
        else_="later",
    )


class StatusCounts:
    """Totals over `by_status`, shared by a report's progress and the organisation's summary."""

    by_status: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return sum(count for status, count in self.by_status.items() if status in Status.DONE)


@dataclass(frozen=True)
class ReportProgress(StatusCounts):
    report_id: int
    title: str
    published: date | None
    by_status: dict[Status, int]
    overdue: int

    @property
    def counted(self) -> int:
        """Actions that count towards progress: withdrawn ones are left out."""
        return self.total - self.by_status[Status.WITHDRAWN]

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.counted) if self.counted else 0


@dataclass(frozen=True)
class OwnerLoad:
    """One owner role's actions (an action with two owner roles counts for both)."""

    role_id: int
    role: str
    holder: str | None
    total: int
    open: int
    overdue: int


@dataclass(frozen=True)
class BoardSummary(StatusCounts):
    """Where an organisation's actions stand today: the numbers on the dashboard and in the pack."""

    today: date
    by_status: dict[Status, int]
    by_rag: dict[str, int]
    overdue: int
    due_within: dict[int, int]  # {30: n, 90: m}; the 90-day count includes the 30-day one
    reports: list[ReportProgress]
    owners: list[OwnerLoad]

    @property
    def open(self) -> int:
        return sum(count for status, count in self.by_status.items() if status in Status.OPEN)

    def as_rows(self) -> list[tuple[str, int]]:
        """Every figure with its label, in the order the pack prints them."""
        return [
            ("Actions", self.total),
            *((f"Status: {status.label}", count) for status, count in self.by_status.items()),
            *((f"RAG: {colour.capitalize()}", count) for colour, count in self.by_rag.items()),
            ("Overdue", self.overdue),
            *((f"Due in the next {days} days", count) for days, count in self.due_within.items()),
        ]


def board_summary(organisation: Organisation, today: date) -> BoardSummary:
    """Counts by status, RAG, deadline and owner, and progress per report: a fixed handful of
    grouped queries, whatever the number of actions."""
    per_action = (
        select(
            Action.status.label("status"), rag_colour_sql(today).label("rag"), _deadline_band_sql(today).label("band")
        )
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    by_status = {status: 0 for status in Status}
    by_rag = {colour: 0 for colour in RAG_COLOURS}
    bands: dict[str, int] = defaultdict(int)
    rows = db.session.execute(
        select(per_action.c.status, per_action.c.rag, per_action.c.band, func.count()).group_by(
            per_action.c.status, per_action.c.rag, per_action.c.band
        )
    )
    for status, colour, band, count in rows:
        by_status[status] += count
        by_rag[colour] += count
        bands[band] += count
    return BoardSummary(
        today=today,
        by_status=by_status,
        by_rag=by_rag,
        overdue=bands["overdue"],
        due_within={DUE_SOON_DAYS[0]: bands["30"], DUE_SOON_DAYS[1]: bands["30"] + bands["90"]},
        reports=_report_progress(organisation, today),
        owners=_owner_loads(organisation, today),
    )


def _owner_loads(organisation: Organisation, today: date) -> list[OwnerLoad]:
    is_open = Action.status.in_(Status.OPEN)
    per_owner = (
        select(
            ActionOwner.role_id.label("role_id"),
            case((is_open, 1), else_=0).label("open"),
            case((overdue_sql(today), 1), else_=0).label("overdue"),
        )
        .join(Action, Action.id == ActionOwner.action_id)
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    counts = db.session.execute(
        select(per_owner.c.role_id, func.count(), func.sum(per_owner.c.open), func.sum(per_owner.c.overdue)).group_by(
            per_owner.c.role_id
        )
    ).all()
    roles = {
        role.id: role
        for role in db.session.scalars(
            select(Role).where(Role.id.in_([row[0] for row in counts])).options(selectinload(Role.holder))
        )
    }
    loads = []
    for role_id, total, open_count, overdue in counts:
        role = roles[role_id]
        holder = role.holder.name if role.holder else None
        loads.append(OwnerLoad(role_id, role.name, holder, total, int(open_count or 0), int(overdue or 0)))
    return sorted(loads, key=lambda load: (-load.overdue, -load.open, load.role))


def _report_progress(organisation: Organisation, today: date) -> list[ReportProgress]:
    per_action = (
        select(
            Recommendation.report_id.label("report_id"),
            Action.status.label("status"),
            case((overdue_sql(today), 1), else_=0).label("overdue"),
        )
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    counts: dict[int, dict[Status, int]] = defaultdict(lambda: {status: 0 for status in Status})
    overdue: dict[int, int] = defaultdict(int)
    for report_id, status, is_overdue, count in db.session.execute(
        select(per_action.c.report_id, per_action.c.status, per_action.c.overdue, func.count()).group_by(
            per_action.c.report_id, per_action.c.status, per_action.c.overdue
        )
    ):
        counts[report_id][status] += count
        overdue[report_id] += count * is_overdue
    reports = db.session.execute(
        select(Report.id, Report.title, Report.publication_date)
        .where(Report.organisation_id == organisation.id)
        .order_by(Report.publication_date.desc(), Report.id.desc())
    )
    return [
        ReportProgress(report_id, title, published, counts[report_id], overdue[report_id])
        for report_id, title, published in reports
    ]


# --- Progress over time ------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressPoint:
    day: date
    by_status: dict[Status, int]

    @property
    def done(self) -> int:
        return sum(count for status, count in self.by_status.items() if status in Status.DONE)

    @property
    def counted(self) -> int:
        return sum(self.by_status.values()) - self.by_status[Status.WITHDRAWN]


def progress_days(today: date, months: int = 12) -> list[date]:
    """The last day of each of the previous `months - 1` months, then today."""
    days = [today]
    month_start = today.replace(day=1)
    for _ in range(months - 1):
        month_end = month_start - timedelta(days=1)
        days.append(month_end)
        month_start = month_end.replace(day=1)
    return sorted(days)


def progress_over_time(organisation: Organisation, today: date, months: int = 12) -> list[ProgressPoint]:
    """How many actions had each status at the end of each month, and today.

    Worked backwards from today's statuses: an action counts from when it was created, and
    every status change recorded by an update after a day is undone to find that day's
    status. So the last point always equals today's counts, whether or not an action's
    history began with an update. Two grouped queries whatever the number of actions.
    """
    days = progress_days(today, months)
    cutoffs = [end_of_day(day) for day in days]

    def bucket(column):
        # The first point whose day ends after the timestamp; len(days) if none does.
        return case(*((column < cutoff, index) for index, cutoff in enumerate(cutoffs)), else_=len(days))

    actions = (
        select(bucket(Action.created_at).label("bucket"), Action.status.label("status"))
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    created = db.session.execute(
        select(actions.c.bucket, actions.c.status, func.count()).group_by(actions.c.bucket, actions.c.status)
    )

    changes = (
        select(
            bucket(Update.created_at).label("update_bucket"),
            bucket(Action.created_at).label("action_bucket"),
            Update.status_before.label("before"),
            Update.status_after.label("after"),
        )
        .join(Action, Action.id == Update.action_id)
        .where(Action.organisation_id == organisation.id, Update.status_before != Update.status_after)
        .subquery()
    )
    transitions = db.session.execute(
        select(
            changes.c.update_bucket, changes.c.action_bucket, changes.c.before, changes.c.after, func.count()
        ).group_by(changes.c.update_bucket, changes.c.action_bucket, changes.c.before, changes.c.after)
    )

    points = [{status: 0 for status in Status} for _ in days]
    for action_bucket, status, count in created:
        for index in range(action_bucket, len(days)):
            points[index][status] += count
    for update_bucket, action_bucket, before, after, count in transitions:
        for index in range(action_bucket, min(update_bucket, len(days))):
            points[index][before] += count
            points[index][after] -= count
    result = [ProgressPoint(day, counts) for day, counts in zip(days, points, strict=True)]
    while len(result) > 1 and not any(result[0].by_status.values()):
        result.pop(0)  # months before the first action say nothing
    return result
