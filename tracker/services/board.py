"""Board review: the counts a management board sees, progress over time, board meetings and
what changed between them, the rows of the board pack, and recommendations across reports.

Every number the board dashboard shows and every number in the board pack comes from
`board_summary`, computed once, in SQL, with GROUP BY: a board sees the same figure on the
screen and on paper, and an organisation with 100,000 actions costs the same few queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Action, ActionOwner, DeadlineChange, DeadlineChangeStatus, Organisation, Recommendation, Report,
    Role, Status, Update, User,
)
from ..models.board import BoardMeeting, RecommendationTheme
from . import ServiceError, audit, themes
from .actions import Rag, days_overdue, rag_for
from .queries import rag_colour_sql

OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)
DONE = (Status.COMPLETED, Status.VERIFIED)
RAG_COLOURS = ("red", "amber", "green", "grey")
DUE_SOON_DAYS = (30, 90)


# --- Dates -------------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TRACKER_TIMEZONE"])


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in the service's time zone, as a UTC timestamp."""
    return datetime.combine(day, time(0), tzinfo=_zone()).astimezone(timezone.utc)


def local_date(moment: datetime) -> date:
    """The calendar day a UTC timestamp falls on in the service's time zone."""
    return moment.astimezone(_zone()).date()


def end_of_day(day: date) -> datetime:
    """The first instant after `day` (exclusive upper bound), as a UTC timestamp."""
    return start_of_day(day + timedelta(days=1))


# --- The counts --------------------------------------------------------------------------


def _deadline_band_sql(today: date):
    """"overdue", "30" (due in the next 30 days), "90" (in 31 to 90 days) or "later"/closed."""
    is_open = Action.status.in_(OPEN)
    return case(
        (and_(is_open, Action.due_on < today), "overdue"),
        (and_(is_open, Action.due_on <= today + timedelta(days=DUE_SOON_DAYS[0])), "30"),
        (and_(is_open, Action.due_on <= today + timedelta(days=DUE_SOON_DAYS[1])), "90"),
        else_="later",
    )


@dataclass(frozen=True)
class ReportProgress:
    report_id: int
    title: str
    published: date | None
    by_status: dict[Status, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return sum(self.by_status[status] for status in DONE)

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
class BoardSummary:
    """Where an organisation's actions stand today: the numbers on the dashboard and in the pack."""

    today: date
    by_status: dict[Status, int]
    by_rag: dict[str, int]
    overdue: int
    due_within: dict[int, int]  # {30: n, 90: m}; the 90-day count includes the 30-day one
    reports: list[ReportProgress]
    owners: list[OwnerLoad]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return sum(self.by_status[status] for status in DONE)

    @property
    def open(self) -> int:
        return sum(self.by_status[status] for status in OPEN)

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
        select(Action.status.label("status"), rag_colour_sql(today).label("rag"),
               _deadline_band_sql(today).label("band"))
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    by_status = {status: 0 for status in Status}
    by_rag = {colour: 0 for colour in RAG_COLOURS}
    bands: dict[str, int] = defaultdict(int)
    rows = db.session.execute(
        select(per_action.c.status, per_action.c.rag, per_action.c.band, func.count())
        .group_by(per_action.c.status, per_action.c.rag, per_action.c.band)
    )
    for status, colour, band, count in rows:
        by_status[status] += count
        by_rag[colour] += count
        bands[band] += count
    return BoardSummary(
        today=today, by_status=by_status, by_rag=by_rag, overdue=bands["overdue"],
        due_within={DUE_SOON_DAYS[0]: bands["30"], DUE_SOON_DAYS[1]: bands["30"] + bands["90"]},
        reports=_report_progress(organisation, today), owners=_owner_loads(organisation, today),
    )


def _owner_loads(organisation: Organisation, today: date) -> list[OwnerLoad]:
    is_open = Action.status.in_(OPEN)
    per_owner = (
        select(ActionOwner.role_id.label("role_id"), case((is_open, 1), else_=0).label("open"),
               case((and_(is_open, Action.due_on < today), 1), else_=0).label("overdue"))
        .join(Action, Action.id == ActionOwner.action_id)
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    counts = db.session.execute(
        select(per_owner.c.role_id, func.count(), func.sum(per_owner.c.open), func.sum(per_owner.c.overdue))
        .group_by(per_owner.c.role_id)
    ).all()
    roles = {role.id: role for role in db.session.scalars(
        select(Role).where(Role.id.in_([row[0] for row in counts])).options(selectinload(Role.holder)))}
    loads = [OwnerLoad(role_id, roles[role_id].name, roles[role_id].holder.name if roles[role_id].holder else None,
                       total, int(open_count or 0), int(overdue or 0))
             for role_id, total, open_count, overdue in counts]
    return sorted(loads, key=lambda load: (-load.overdue, -load.open, load.role))


def _report_progress(organisation: Organisation, today: date) -> list[ReportProgress]:
    per_action = (
        select(Recommendation.report_id.label("report_id"), Action.status.label("status"),
               case((and_(Action.status.in_(OPEN), Action.due_on < today), 1), else_=0).label("overdue"))
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    counts: dict[int, dict[Status, int]] = defaultdict(lambda: {status: 0 for status in Status})
    overdue: dict[int, int] = defaultdict(int)
    for report_id, status, is_overdue, count in db.session.execute(
        select(per_action.c.report_id, per_action.c.status, per_action.c.overdue, func.count())
        .group_by(per_action.c.report_id, per_action.c.status, per_action.c.overdue)
    ):
        counts[report_id][status] += count
        overdue[report_id] += count * is_overdue
    reports = db.session.execute(
        select(Report.id, Report.title, Report.publication_date).where(Report.organisation_id == organisation.id)
        .order_by(Report.publication_date.desc(), Report.id.desc())
    )
    return [ReportProgress(report_id, title, published, counts[report_id], overdue[report_id])
            for report_id, title, published in reports]


# --- Progress over time ------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressPoint:
    day: date
    by_status: dict[Status, int]

    @property
    def done(self) -> int:
        return sum(self.by_status[status] for status in DONE)

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

    actions = select(bucket(Action.created_at).label("bucket"), Action.status.label("status")).where(
        Action.organisation_id == organisation.id).subquery()
    created = db.session.execute(
        select(actions.c.bucket, actions.c.status, func.count()).group_by(actions.c.bucket, actions.c.status))

    changes = (
        select(bucket(Update.created_at).label("update_bucket"), bucket(Action.created_at).label("action_bucket"),
               Update.status_before.label("before"), Update.status_after.label("after"))
        .join(Action, Action.id == Update.action_id)
        .where(Action.organisation_id == organisation.id, Update.status_before != Update.status_after)
        .subquery()
    )
    transitions = db.session.execute(
        select(changes.c.update_bucket, changes.c.action_bucket, changes.c.before, changes.c.after, func.count())
        .group_by(changes.c.update_bucket, changes.c.action_bucket, changes.c.before, changes.c.after))

    points = [{status: 0 for status in Status} for _ in days]
    for action_bucket, status, count in created:
        for index in range(action_bucket, len(days)):
            points[index][status] += count
    for update_bucket, action_bucket, before, after, count in transitions:
        for index in range(action_bucket, min(update_bucket, len(days))):
            points[index][before] += count
            points[index][after] -= count
    result = [ProgressPoint(day, counts) for day, counts in zip(days, points)]
    while len(result) > 1 and not any(result[0].by_status.values()):
        result.pop(0)  # months before the first action say nothing
    return result


# --- Board meetings ----------------------------------------------------------------------


def meetings(organisation: Organisation) -> list[BoardMeeting]:
    return list(db.session.scalars(
        select(BoardMeeting).filter_by(organisation_id=organisation.id)
        .options(selectinload(BoardMeeting.created_by))
        .order_by(BoardMeeting.held_on.desc(), BoardMeeting.id.desc())
    ))


def last_meeting(organisation: Organisation, *, before: date | None = None) -> BoardMeeting | None:
    """The latest meeting held on or before `before` (default: any), or None."""
    statement = select(BoardMeeting).filter_by(organisation_id=organisation.id)
    if before is not None:
        statement = statement.where(BoardMeeting.held_on <= before)
    return db.session.scalar(statement.order_by(BoardMeeting.held_on.desc(), BoardMeeting.id.desc()).limit(1))


def previous_meeting(meeting: BoardMeeting) -> BoardMeeting | None:
    return db.session.scalar(
        select(BoardMeeting).filter_by(organisation_id=meeting.organisation_id)
        .where(BoardMeeting.held_on < meeting.held_on)
        .order_by(BoardMeeting.held_on.desc(), BoardMeeting.id.desc()).limit(1)
    )


def meeting_in(organisation: Organisation, meeting_id: int) -> BoardMeeting | None:
    """The meeting, only if it belongs to `organisation` (so an id never crosses over)."""
    return db.session.scalar(select(BoardMeeting).filter_by(id=meeting_id, organisation_id=organisation.id))


def record_meeting(
    organisation: Organisation, *, held_on: date, attendees: str, notes: str, decisions: str,
    recorded_by: User, today: date,
) -> BoardMeeting:
    """Record a board meeting that has taken place, with who came and what was decided."""
    if held_on > today:
        raise ServiceError("A meeting can only be recorded once it has taken place: the date is in the future.")
    if db.session.scalar(select(BoardMeeting.id).filter_by(organisation_id=organisation.id, held_on=held_on)):
        raise ServiceError(f"A meeting on {held_on.strftime('%-d %B %Y')} is already recorded.")
    # PostgreSQL refuses NUL characters in text; a pasted one would otherwise be a server error.
    attendees, notes, decisions = (value.replace("\x00", "").strip() for value in (attendees, notes, decisions))
    if not attendees:
        raise ServiceError("Enter who attended the meeting.")
    meeting = BoardMeeting(organisation_id=organisation.id, held_on=held_on, attendees=attendees, notes=notes,
                           decisions=decisions, created_by_id=recorded_by.id)
    db.session.add(meeting)
    db.session.flush()
    audit.record("board_meeting.recorded", meeting, actor=recorded_by, organisation_id=organisation.id,
                 after={"held_on": held_on.isoformat(), "attendees": attendees, "notes": notes,
                        "decisions": decisions})
    return meeting


# --- What changed between meetings -------------------------------------------------------


@dataclass(frozen=True)
class MeetingChanges:
    """What happened after one meeting day up to the end of another (or today).

    Updates posted on a meeting's own day count as before it: the board saw them.
    `awaiting_decision` and `awaiting_sign_off` are what stands *now*.
    """

    since: date | None
    until: date
    updates: list[Update]                     # newest first
    new_actions: list[Action]
    deadline_requests: list[DeadlineChange]   # asked for in the window
    deadline_decisions: list[DeadlineChange]  # approved or refused in the window
    awaiting_decision: list[DeadlineChange]   # pending, oldest first
    awaiting_sign_off: list[Action]           # completed, not yet verified

    @property
    def status_changes(self) -> list[Update]:
        return [update for update in self.updates if update.status_before is not update.status_after]

    @property
    def verified(self) -> list[Update]:
        return [update for update in self.status_changes if update.status_after is Status.VERIFIED]

    @property
    def is_empty(self) -> bool:
        return not (self.updates or self.new_actions or self.deadline_requests or self.deadline_decisions)

    @cached_property
    def _by_action(self) -> dict[int, dict[str, list]]:
        index: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for action in self.new_actions:
            index[action.id]["new"].append(action)
        for update in reversed(self.updates):  # oldest first
            index[update.action_id]["updates"].append(update)
        for change in self.deadline_requests:
            index[change.action_id]["requests"].append(change)
        for change in self.deadline_decisions:
            index[change.action_id]["decisions"].append(change)
        return index

    def summary_for(self, action_id: int) -> str:
        """One line per action for the board pack: what changed since the last meeting."""
        found = self._by_action.get(action_id)
        if not found:
            return "No change"
        parts: list[str] = ["new action"] if found["new"] else []
        notes = 0
        for update in found["updates"]:
            if update.status_before is update.status_after:
                notes += 1
            else:
                parts.append(f"{update.status_before.label} to {update.status_after.label.lower()} "
                             f"({update.created_at.astimezone(_zone()).strftime('%-d %b %Y')})")
        if notes:
            parts.append(f"{notes} progress update{'s' if notes != 1 else ''}")
        for change in found["requests"]:
            parts.append(f"more time asked for: to {change.requested_due_on.strftime('%-d %b %Y')}")
        for change in found["decisions"]:
            parts.append(f"deadline change {change.status.value}")
        return "; ".join(parts) or "No change"


def changes_between(organisation: Organisation, since: date | None, until: date) -> MeetingChanges:
    """What changed for `organisation` after the day `since` (None: from the start) to the end of
    `until`. A fixed number of queries, whatever the number of changes."""
    start = start_of_day(since + timedelta(days=1)) if since is not None else None
    end = end_of_day(until)

    def window(column):
        return and_(column >= start, column < end) if start is not None else column < end

    action_options = (
        selectinload(Action.recommendation).selectinload(Recommendation.report),
        selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder),
    )
    updates = list(db.session.scalars(
        select(Update).join(Action, Action.id == Update.action_id)
        .where(Action.organisation_id == organisation.id, window(Update.created_at))
        .options(selectinload(Update.action).options(*action_options), selectinload(Update.author),
                 selectinload(Update.author_contact))
        .order_by(Update.created_at.desc(), Update.id.desc())
    ))
    new_actions = list(db.session.scalars(
        select(Action).where(Action.organisation_id == organisation.id, window(Action.created_at))
        .options(*action_options).order_by(Action.created_at, Action.id)
    ))
    change_options = (selectinload(DeadlineChange.action).options(*action_options),
                      selectinload(DeadlineChange.requested_by), selectinload(DeadlineChange.decided_by))
    changes = list(db.session.scalars(
        select(DeadlineChange).join(Action, Action.id == DeadlineChange.action_id)
        .where(Action.organisation_id == organisation.id,
               or_(window(DeadlineChange.requested_at), window(DeadlineChange.decided_at),
                   DeadlineChange.status == DeadlineChangeStatus.PENDING))
        .options(*change_options).order_by(DeadlineChange.requested_at, DeadlineChange.id)
    ))

    def in_window(moment: datetime | None) -> bool:
        return moment is not None and (start is None or moment >= start) and moment < end

    awaiting_sign_off = list(db.session.scalars(
        select(Action).where(Action.organisation_id == organisation.id, Action.status == Status.COMPLETED)
        .options(*action_options).order_by(Action.completed_at, Action.id)
    ))
    return MeetingChanges(
        since=since, until=until, updates=updates, new_actions=new_actions,
        deadline_requests=[change for change in changes if in_window(change.requested_at)],
        deadline_decisions=[change for change in changes if in_window(change.decided_at)],
        awaiting_decision=[change for change in changes if change.status is DeadlineChangeStatus.PENDING],
        awaiting_sign_off=awaiting_sign_off,
    )


def changes_since_last_meeting(organisation: Organisation, today: date) -> tuple[BoardMeeting | None, MeetingChanges]:
    """For the next meeting: the last meeting held up to today, and everything after it."""
    meeting = last_meeting(organisation, before=today)
    return meeting, changes_between(organisation, meeting.held_on if meeting else None, today)


# --- The board pack ----------------------------------------------------------------------


@dataclass(frozen=True)
class PackRow:
    """One action, as a board member reads it on paper."""

    action_id: int
    report_title: str
    published: date | None
    number: str
    recommendation: str
    step: str | None              # a plan step's title; None for the recommendation's own action
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


@dataclass(frozen=True)
class BoardPack:
    organisation: Organisation
    today: date
    summary: BoardSummary
    progress: list[ProgressPoint]
    last_meeting: BoardMeeting | None
    changes: MeetingChanges
    rows: list[PackRow] = field(default_factory=list)


def owners_text(action: Action) -> str:
    names = []
    for role in action.owner_roles:
        names.append(f"{role.name} ({role.holder.name})" if role.holder is not None else role.name)
    return "; ".join(names) or "No owner assigned"


def board_pack(organisation: Organisation, today: date) -> BoardPack:
    """Everything the board pack prints, as of `today`."""
    meeting, changes = changes_since_last_meeting(organisation, today)
    actions = list(db.session.scalars(
        select(Action).join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Report, Report.id == Recommendation.report_id)
        .where(Action.organisation_id == organisation.id)
        .options(selectinload(Action.recommendation).selectinload(Recommendation.report),
                 selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder))
        .order_by(Report.publication_date.desc(), Report.id.desc(), Recommendation.position, Action.id)
    ))
    latest = _latest_updates(organisation)
    zone = _zone()
    rows = []
    for action in actions:
        update = latest.get(action.id)
        rows.append(PackRow(
            action_id=action.id, report_title=action.recommendation.report.title,
            published=action.recommendation.report.publication_date, number=action.recommendation.number,
            recommendation=action.recommendation.text, step=action.title, owners=owners_text(action),
            original_due_on=action.original_due_on, due_on=action.due_on, status=action.status,
            flag=f"{action.flag.label}: {action.flag_reason}" if action.flag else "",
            rag=rag_for(action, today), days_overdue=days_overdue(action, today),
            latest_update=(f"{update.author_name}: {update.note}" if update.note else
                           f"{update.author_name}: {update.status_after.label}") if update else "No updates yet",
            latest_update_on=update.created_at.astimezone(zone).date() if update else None,
            changes=changes.summary_for(action.id),
        ))
    return BoardPack(organisation=organisation, today=today, summary=board_summary(organisation, today),
                     progress=progress_over_time(organisation, today), last_meeting=meeting, changes=changes,
                     rows=rows)


def _latest_updates(organisation: Organisation) -> dict[int, Update]:
    ranked = (
        select(Update.id.label("id"), func.row_number().over(
            partition_by=Update.action_id, order_by=(Update.created_at.desc(), Update.id.desc())).label("rank"))
        .join(Action, Action.id == Update.action_id)
        .where(Action.organisation_id == organisation.id)
        .subquery()
    )
    updates = db.session.scalars(
        select(Update).join(ranked, ranked.c.id == Update.id).where(ranked.c.rank == 1)
        .options(selectinload(Update.author), selectinload(Update.author_contact))
    )
    return {update.action_id: update for update in updates}


# --- The inspection evidence pack --------------------------------------------------------


def evidence_pack(report: Report) -> list[Recommendation]:
    """A report's recommendations with every action, update, evidence file and deadline change."""
    return list(db.session.scalars(
        select(Recommendation).filter_by(report_id=report.id)
        .options(selectinload(Recommendation.actions).options(
            selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder),
            selectinload(Action.verified_by),
            selectinload(Action.updates).options(
                selectinload(Update.author), selectinload(Update.author_contact), selectinload(Update.evidence)),
            selectinload(Action.deadline_changes).options(
                selectinload(DeadlineChange.requested_by), selectinload(DeadlineChange.decided_by)),
        ))
        .order_by(Recommendation.position)
    ))


# --- Recommendations across reports: search and recurring themes -------------------------

FINISHED = (Status.VERIFIED, Status.WITHDRAWN)
SEARCH_LIMIT = 300


def _not_verified_sql():
    """A recommendation is outstanding until every one of its actions is verified or withdrawn."""
    return Recommendation.id.in_(
        select(Action.recommendation_id).where(Action.status.not_in(FINISHED)))


def _visible(statement, organisation_ids: list[int] | None):
    return statement if organisation_ids is None else statement.where(Report.organisation_id.in_(organisation_ids))


def remember_themes(organisation_ids: list[int] | None) -> int:
    """Work out and keep the themes of the visible recommendations that have none kept with
    today's keywords; returns how many were worked out. After the first visit (or a change of
    keywords) this costs two quick queries and writes nothing."""
    kept = db.session.execute(
        select(func.min(RecommendationTheme.classifier), func.max(RecommendationTheme.classifier))).one()
    if kept != (None, None) and kept != (themes.FINGERPRINT, themes.FINGERPRINT):
        db.session.execute(delete(RecommendationTheme).where(RecommendationTheme.classifier != themes.FINGERPRINT))
    missing = _visible(
        select(Recommendation.id, Recommendation.text).join(Report, Report.id == Recommendation.report_id)
        .where(~select(RecommendationTheme.recommendation_id)
               .where(RecommendationTheme.recommendation_id == Recommendation.id).exists()),
        organisation_ids,
    )
    rows = [{"recommendation_id": recommendation_id, "theme": theme.slug, "classifier": themes.FINGERPRINT}
            for recommendation_id, text in db.session.execute(missing) for theme in themes.classify(text)]
    if rows:
        # Two first visits at once both work the same themes out; the second's rows are dropped.
        dialect = db.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(insert(RecommendationTheme).on_conflict_do_nothing(), rows)
    return len({row["recommendation_id"] for row in rows})


@dataclass(frozen=True)
class ThemeCount:
    theme: themes.Theme
    recommendations: int
    outstanding: int
    organisations: list[tuple[Organisation, int]]  # organisations with outstanding ones, and how many
    recurring_in: list[Organisation]               # organisations where it appears in 2+ reports


def theme_overview(organisation_ids: list[int] | None) -> list[ThemeCount]:
    """Per theme: how many recommendations, how many outstanding and where, and where it recurs
    across inspections. One grouped query over the kept themes."""
    remember_themes(organisation_ids)
    per_recommendation = _visible(
        select(Report.organisation_id.label("organisation_id"), Recommendation.report_id.label("report_id"),
               case((_not_verified_sql(), 1), else_=0).label("outstanding"),
               RecommendationTheme.theme.label("theme"))
        .join(Report, Report.id == Recommendation.report_id)
        .join(RecommendationTheme, RecommendationTheme.recommendation_id == Recommendation.id),
        organisation_ids,
    ).subquery()
    columns = per_recommendation.c
    rows = db.session.execute(
        select(columns.organisation_id, columns.report_id, columns.outstanding, columns.theme, func.count())
        .group_by(columns.organisation_id, columns.report_id, columns.outstanding, columns.theme)
    ).all()
    organisations = {organisation.id: organisation for organisation in db.session.scalars(
        select(Organisation).where(Organisation.id.in_({row[0] for row in rows})))}
    by_theme: dict[str, list] = defaultdict(list)
    for organisation_id, report_id, is_outstanding, theme, count in rows:
        by_theme[theme].append((organisation_id, report_id, is_outstanding, count))

    result = []
    for theme in (*themes.THEMES, themes.OTHER):
        total = outstanding = 0
        outstanding_by_organisation: dict[int, int] = defaultdict(int)
        reports_by_organisation: dict[int, set[int]] = defaultdict(set)
        for organisation_id, report_id, is_outstanding, count in by_theme[theme.slug]:
            total += count
            reports_by_organisation[organisation_id].add(report_id)
            if is_outstanding:
                outstanding += count
                outstanding_by_organisation[organisation_id] += count
        result.append(ThemeCount(
            theme=theme, recommendations=total, outstanding=outstanding,
            organisations=sorted(((organisations[id_], count) for id_, count in outstanding_by_organisation.items()),
                                 key=lambda pair: (-pair[1], pair[0].name)),
            recurring_in=sorted((organisations[id_] for id_, reports in reports_by_organisation.items()
                                 if len(reports) > 1), key=lambda organisation: organisation.name),
        ))
    return result


@dataclass(frozen=True)
class FoundRecommendation:
    recommendation: Recommendation
    themes: dict[str, list[str]]  # theme slug -> the keywords that put it there
    outstanding: bool

    @property
    def status_counts(self) -> list[tuple[Status, int]]:
        counts: dict[Status, int] = defaultdict(int)
        for action in self.recommendation.actions:
            counts[action.status] += 1
        return [(status, counts[status]) for status in Status if counts[status]]


@dataclass(frozen=True)
class OrganisationRecommendations:
    """One organisation's matches: its latest inspection beside earlier ones still not verified."""

    organisation: Organisation
    latest_report: Report | None
    latest: list[FoundRecommendation]
    earlier_outstanding: list[FoundRecommendation]


@dataclass(frozen=True)
class RecommendationSearch:
    groups: list[OrganisationRecommendations]
    found: int
    shown: int


def search_recommendations(
    organisation_ids: list[int] | None, *, text: str = "", theme: themes.Theme | None = None,
    limit: int = SEARCH_LIMIT,
) -> RecommendationSearch:
    """Recommendations matching `text` and/or `theme` across the visible organisations, grouped
    by organisation; from earlier inspections only those not yet verified are kept, shown beside
    the latest inspection's."""
    latest_reports = _latest_report_ids(organisation_ids)
    conditions = [or_(Recommendation.report_id.in_(latest_reports.values()), _not_verified_sql())]
    if text.strip():
        conditions.append(func.lower(Recommendation.text).contains(text.strip().lower(), autoescape=True))
    if theme is not None:
        remember_themes(organisation_ids)
        conditions.append(Recommendation.id.in_(
            select(RecommendationTheme.recommendation_id).where(RecommendationTheme.theme == theme.slug)))
    statement = _visible(
        select(Recommendation).join(Report, Report.id == Recommendation.report_id).where(*conditions),
        organisation_ids,
    )
    found = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    recommendations = list(db.session.scalars(
        statement.options(selectinload(Recommendation.report).selectinload(Report.organisation),
                          selectinload(Recommendation.actions))
        .order_by(Report.organisation_id, Report.publication_date.desc(), Report.id.desc(),
                  Recommendation.position).limit(limit)
    ))
    latest_ids = set(latest_reports.values())
    groups: dict[int, OrganisationRecommendations] = {}
    for recommendation in recommendations:
        report = recommendation.report
        group = groups.get(report.organisation_id)
        if group is None:
            group = groups[report.organisation_id] = OrganisationRecommendations(report.organisation, None, [], [])
        item = FoundRecommendation(
            recommendation, themes.matched_keywords(recommendation.text),
            outstanding=any(action.status not in FINISHED for action in recommendation.actions))
        if report.id in latest_ids:
            group.latest.append(item)
        else:
            group.earlier_outstanding.append(item)
    result = []
    for group in sorted(groups.values(), key=lambda group: group.organisation.name):
        latest_report = next((item.recommendation.report for item in group.latest), None)
        result.append(OrganisationRecommendations(group.organisation, latest_report, group.latest,
                                                  group.earlier_outstanding))
    return RecommendationSearch(groups=result, found=found, shown=len(recommendations))


def _latest_report_ids(organisation_ids: list[int] | None) -> dict[int, int]:
    """Each visible organisation's most recent report (by publication date, then import)."""
    ranked = _visible(
        select(Report.organisation_id.label("organisation_id"), Report.id.label("report_id"),
               func.row_number().over(
                   partition_by=Report.organisation_id,
                   order_by=(Report.publication_date.desc().nulls_last(), Report.imported_at.desc(),
                             Report.id.desc())).label("rank")),
        organisation_ids,
    ).subquery()
    return dict(db.session.execute(
        select(ranked.c.organisation_id, ranked.c.report_id).where(ranked.c.rank == 1)).tuples().all())

