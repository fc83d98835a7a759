"""Read-side queries for pages: always limited to what the signed-in user may see."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import permissions
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionOwner,
    AuditEvent,
    DeadlineChange,
    Flag,
    Organisation,
    PartnerLink,
    Recommendation,
    RepeatLink,
    Report,
    Role,
    Status,
    Update,
)
from tracker.services.asked_before.links import repeated_recommendation_ids
from tracker.services.rag import RAG_COLOURS, due_within_sql, overdue_sql, rag_condition
from tracker.services.reminders.unheard import unheard_condition

DASHBOARD_LIMIT = 10


@dataclass(frozen=True)
class Shortlist:
    """The first few actions of a list, most urgent first, and how many there are in all."""

    items: list[Action]
    total: int


def _visible(statement: Select, column) -> Select:
    organisation_ids = permissions.visible_organisation_ids()
    return statement if organisation_ids is None else statement.where(column.in_(organisation_ids))


def actions_for_list(action_ids: list[int]) -> list[Action]:
    """The actions with these ids, in this order, with everything an action table shows: the
    recommendation, organisation, and owner roles with their holders. Two statements, whatever
    the number of actions."""
    if not action_ids:
        return []
    loaded = {
        action.id: action
        for action in db.session.scalars(
            select(Action)
            .where(Action.id.in_(action_ids))
            .options(
                joinedload(Action.recommendation, innerjoin=True).joinedload(Recommendation.report, innerjoin=True),
                joinedload(Action.organisation, innerjoin=True),
                selectinload(Action.owners)
                .joinedload(ActionOwner.role, innerjoin=True)
                .options(joinedload(Role.holder), joinedload(Role.deputy)),  # the deputy: is anyone reminded?
            )
        )
    }
    return [loaded[action_id] for action_id in action_ids if action_id in loaded]


@dataclass(frozen=True)
class Dashboard:
    my_actions: Shortlist
    overdue: Shortlist
    due_soon: Shortlist


def dashboard(today: date, *, due_within: int = 30, repeats_only: bool = False) -> Dashboard:
    """The dashboard's three lists of open actions the user may see: those owned by a role they
    hold, the overdue, and those due within `due_within` days; each the most urgent few and a
    total. One statement counts all three; each non-empty list then takes its ids, and one
    loader fills in every action shown."""
    conditions = {
        "overdue": overdue_sql(today),
        "due_soon": due_within_sql(due_within, today),
    }
    if role_ids := permissions.roles_held_by_current_user():
        conditions["my_actions"] = Action.id.in_(select(ActionOwner.action_id).where(ActionOwner.role_id.in_(role_ids)))
    if repeats_only:  # only recommendations confirmed as asked before
        conditions = {
            name: and_(condition, Action.recommendation_id.in_(repeated_recommendation_ids()))
            for name, condition in conditions.items()
        }
    totals = dict(
        zip(
            conditions,
            db.session.execute(
                _visible(
                    select(*(func.count().filter(condition) for condition in conditions.values())).where(
                        Action.status.in_(Status.OPEN)
                    ),
                    Action.organisation_id,
                )
            ).one(),
            strict=True,
        )
    )
    ids = {
        name: list(
            db.session.scalars(
                _visible(select(Action.id).where(Action.status.in_(Status.OPEN), condition), Action.organisation_id)
                .order_by(Action.due_on, Action.id)
                .limit(DASHBOARD_LIMIT)
            )
        )
        for name, condition in conditions.items()
        if totals[name]
    }
    loaded = {action.id: action for action in actions_for_list([i for chosen in ids.values() for i in chosen])}
    return Dashboard(
        **{
            field.name: Shortlist(
                [loaded[i] for i in ids.get(field.name, []) if i in loaded], totals.get(field.name, 0)
            )
            for field in fields(Dashboard)
        }
    )


def visible_organisations() -> list[Organisation]:
    return list(db.session.scalars(_visible(select(Organisation), Organisation.id).order_by(Organisation.name)))


def organisation_reports(organisation: Organisation) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .filter_by(organisation_id=organisation.id)
            .order_by(Report.publication_date.desc(), Report.id.desc())
        )
    )


def recommendation_counts(reports: list[Report]) -> dict[int, int]:
    """Recommendations per report, in one grouped query."""
    if not reports:
        return {}
    rows = db.session.execute(
        select(Recommendation.report_id, func.count(Recommendation.id))
        .where(Recommendation.report_id.in_([report.id for report in reports]))
        .group_by(Recommendation.report_id)
    )
    return {report_id: count for report_id, count in rows}


def action_history(action: Action) -> list[Update]:
    """The action's updates, newest first, with everything the history shows loaded up front."""
    return list(
        db.session.scalars(
            select(Update)
            .filter_by(action_id=action.id)
            .options(
                joinedload(Update.author),
                joinedload(Update.author_contact),
                selectinload(Update.evidence),
                selectinload(Update.revisions),
            )
            .order_by(Update.created_at.desc(), Update.id.desc())
        )
    )


def action_for_page(action_id: int) -> Action | None:
    """An action with what its page shows: organisation, recommendation and report, the
    recommendation's other steps, owner roles with holders and deputies, and deadline changes
    with who asked. Four statements."""
    return db.session.scalar(
        select(Action)
        .where(Action.id == action_id)
        .options(
            joinedload(Action.organisation, innerjoin=True),
            joinedload(Action.recommendation, innerjoin=True).options(
                joinedload(Recommendation.report, innerjoin=True), selectinload(Recommendation.actions)
            ),
            selectinload(Action.owners)
            .joinedload(ActionOwner.role, innerjoin=True)
            .options(joinedload(Role.holder), joinedload(Role.deputy)),
            selectinload(Action.deadline_changes).joinedload(DeadlineChange.requested_by),
        )
    )


def report_actions(report: Report) -> list[Action]:
    return list(
        db.session.scalars(
            select(Action)
            .join(Recommendation)
            .where(Recommendation.report_id == report.id)
            .options(
                selectinload(Action.owners)
                .selectinload(ActionOwner.role)
                .options(selectinload(Role.holder), selectinload(Role.deputy)),
                selectinload(Action.recommendation),
            )
            .order_by(Recommendation.position, Action.id)
        )
    )


def audit_events(organisation: Organisation, *, limit: int = 200) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .filter_by(organisation_id=organisation.id)
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def action_audit_events(action: Action) -> list[AuditEvent]:
    """Events about the action and the things hanging off it (updates, deadline changes, partner links)."""
    subjects = [
        ("Action", [action.id]),
        ("Update", list(db.session.scalars(select(Update.id).filter_by(action_id=action.id)))),
        ("DeadlineChange", list(db.session.scalars(select(DeadlineChange.id).filter_by(action_id=action.id)))),
        ("PartnerLink", list(db.session.scalars(select(PartnerLink.id).filter_by(action_id=action.id)))),
        (
            "RepeatLink",
            list(db.session.scalars(select(RepeatLink.id).filter_by(recommendation_id=action.recommendation_id))),
        ),
    ]
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.organisation_id == action.organisation_id,
                or_(
                    *(
                        and_(AuditEvent.subject_type == kind, AuditEvent.subject_id.in_(ids))
                        for kind, ids in subjects
                        if ids
                    )
                ),
            )
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        )
    )


# --- Filtered action lists (the organisation's action list and the API) -----------------

PER_PAGE = 25
FLAG_FILTERS = ("at_risk", "blocked", "flagged")


@dataclass(frozen=True)
class ActionFilters:
    status: Status | None = None
    owner: int | None = None  # role id
    report: int | None = None  # report id
    overdue: bool = False
    due_within: int | None = None  # days from today
    rag: str | None = None
    search: str = ""
    # Used by the oversight comparison's links, so a count and its list always agree.
    open_only: bool = False
    flag: str | None = None  # "at_risk", "blocked", or "flagged" for either
    inspectorate: str = ""  # reports whose inspectorate contains this
    published_from: date | None = None
    published_to: date | None = None
    repeats: bool = False  # only recommendations confirmed as asked before
    unheard: bool = False  # open actions nobody will be reminded about (services/reminders/unheard.py)

    @property
    def active(self) -> bool:
        return any(
            (
                self.status,
                self.owner,
                self.report,
                self.overdue,
                self.due_within is not None,
                self.rag,
                self.search,
                self.open_only,
                self.flag,
                self.inspectorate,
                self.published_from,
                self.published_to,
                self.repeats,
                self.unheard,
            )
        )


@dataclass(frozen=True)
class Page:
    items: list[Action]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def filter_actions(statement: Select, filters: ActionFilters, today: date) -> Select:
    if filters.status is not None:
        statement = statement.where(Action.status == filters.status)
    if filters.owner is not None:
        statement = statement.where(
            Action.id.in_(select(ActionOwner.action_id).where(ActionOwner.role_id == filters.owner))
        )
    if filters.report is not None:
        statement = statement.where(
            Action.recommendation_id.in_(select(Recommendation.id).where(Recommendation.report_id == filters.report))
        )
    if filters.overdue:
        statement = statement.where(overdue_sql(today))
    if filters.due_within is not None:
        statement = statement.where(due_within_sql(filters.due_within, today))
    if filters.rag in RAG_COLOURS:
        statement = statement.where(rag_condition(filters.rag, today))
    if filters.open_only:
        statement = statement.where(Action.status.in_(Status.OPEN))
    if filters.flag in FLAG_FILTERS:
        flags = (Flag.AT_RISK, Flag.BLOCKED) if filters.flag == "flagged" else (Flag(filters.flag),)
        statement = statement.where(Action.status.in_(Status.OPEN), Action.flag.in_(flags))
    if filters.inspectorate or filters.published_from or filters.published_to:
        statement = statement.where(
            Action.recommendation_id.in_(
                report_criteria(select(Recommendation.id).join(Report, Report.id == Recommendation.report_id), filters)
            )
        )
    if filters.repeats:
        statement = statement.where(Action.recommendation_id.in_(repeated_recommendation_ids()))
    if filters.unheard:
        statement = statement.where(unheard_condition())
    if filters.search.strip():
        term = filters.search.strip().lower()
        statement = statement.where(
            or_(
                Action.recommendation_id.in_(
                    select(Recommendation.id).where(func.lower(Recommendation.text).contains(term, autoescape=True))
                ),
                func.lower(Action.title).contains(term, autoescape=True),
                Action.id.in_(select(Update.action_id).where(func.lower(Update.note).contains(term, autoescape=True))),
            )
        )
    return statement


def report_criteria(statement: Select, filters: ActionFilters) -> Select:
    """Reports by inspectorate (contains, any case) and publication date range."""
    if filters.inspectorate:
        statement = statement.where(
            func.lower(Report.inspectorate).contains(filters.inspectorate.lower(), autoescape=True)
        )
    if filters.published_from:
        statement = statement.where(Report.publication_date >= filters.published_from)
    if filters.published_to:
        statement = statement.where(Report.publication_date <= filters.published_to)
    return statement


# How the action list may be sorted: a name, its label, and the ORDER BY (ties by id, so pages are stable).
SORTS: dict[str, tuple[str, tuple]] = {
    "deadline": ("Deadline, soonest first", (Action.due_on, Action.id)),
    "deadline-latest": ("Deadline, latest first", (Action.due_on.desc(), Action.id)),
    "status": ("Status", (Action.status, Action.due_on, Action.id)),
    "updated": (
        "Last update, newest first",
        (func.coalesce(Action.last_update_at, Action.created_at).desc(), Action.id),
    ),
    "quiet": ("Last update, oldest first", (func.coalesce(Action.last_update_at, Action.created_at), Action.id)),
}


def action_page(
    organisation_ids: list[int] | None,
    filters: ActionFilters,
    today: date,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    sort: str = "deadline",
) -> Page:
    """One page of actions matching `filters`, in deadline order, with what the list shows
    loaded in a fixed number of queries whatever the page size."""
    statement = filter_actions(select(Action), filters, today)
    if organisation_ids is not None:
        statement = statement.where(Action.organisation_id.in_(organisation_ids))
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    page = max(1, page)
    ids = list(
        db.session.scalars(
            statement.with_only_columns(Action.id)
            .order_by(*SORTS.get(sort, SORTS["deadline"])[1])
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(actions_for_list(ids), total, page, per_page)


def organisation_roles(organisation: Organisation) -> list[Role]:
    return list(
        db.session.scalars(
            select(Role)
            .filter_by(organisation_id=organisation.id)
            .options(selectinload(Role.holder), selectinload(Role.deputy), selectinload(Role.aliases))
            .order_by(Role.name)
        )
    )
