"""Importing an existing action plan: a preview of what will be created, then one save.

The preview adds to the pure reading (tracker/plans) what only the database knows: which
owners are existing roles, which report recommendations the rows belong to, each step's
deadline limit, and whether this plan was imported before. Saving refuses the whole plan while
any row has a problem, unless the manager chose to skip those rows. The caller commits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from tracker import clock
from tracker.clock import long_date
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionOwner,
    AuditEvent,
    DatePrecision,
    Flag,
    Organisation,
    OwnerSource,
    Recommendation,
    Report,
    Role,
    RoleAlias,
    Status,
    Update,
    User,
    utc_now,
)
from tracker.models.action import next_step_number, step_letters
from tracker.plans import Plan, PlanRecommendation, PlanRow, plan_from_workbook
from tracker.services import ServiceError, audit
from tracker.services.actions import recommendation_due_on
from tracker.services.audit import Actor
from tracker.services.imports import parsed_uploads
from tracker.services.imports.plan_matching import (
    NEW_ROLE,
    OwnerMatch,
    RecommendationMatch,
    choice_key,
    match_owner_phrase,
    match_recommendations,
)
from tracker.services.people.organisations import find_or_create_role

IMPORTED_EVENT = "plan.imported"


@dataclass
class Preview:
    organisation: Organisation
    plan: Plan
    filename: str
    sha256: str
    report: Report | None
    owners: dict[str, OwnerMatch] = field(default_factory=dict)
    matches: dict[str, Recommendation] = field(default_factory=dict)  # plan number -> report's recommendation
    match_details: dict[str, RecommendationMatch] = field(default_factory=dict)  # plan number -> how sure
    due_on: dict[str, date] = field(default_factory=dict)  # plan number -> recommendation deadline
    step_due_on: dict[int, date] = field(default_factory=dict)  # row line -> deadline used
    step_numbers: dict[int, str] = field(default_factory=dict)  # row line -> the step's number ("1a")
    shared_notes: list[str] = field(default_factory=list)  # a note that several rows share, said once
    imported_before: str | None = None

    @property
    def new_roles(self) -> list[str]:
        return sorted({match.name for match in self.owners.values() if match.how == NEW_ROLE})

    @property
    def unmatched_owners(self) -> list[OwnerMatch]:
        """Owners of rows that will be saved whose role the manager has still to choose."""
        kept = {
            phrase
            for item in self.kept_recommendations
            for row in item.rows
            if not row.refused
            for phrase in row.owners
        }
        return [match for phrase, match in self.owners.items() if phrase in kept and not match.resolved]

    @property
    def refused_rows(self) -> list[PlanRow]:
        return self.plan.refused_rows

    @property
    def kept_recommendations(self) -> list[PlanRecommendation]:
        return [item for item in self.plan.recommendations if any(not row.refused for row in item.rows)]


def _link(preview: Preview, item: PlanRecommendation) -> None:
    assert preview.report is not None
    detail = preview.match_details.get(item.number)
    if detail is None:
        for row in item.rows:
            row.problems.append(
                f"Recommendation {item.number} is not in the report \u201c{preview.report.title}\u201d. "
                "Choose the report's recommendation it belongs to, correct its number or text, keep "
                "the plan standalone, or skip this row."
            )
        return
    preview.matches[item.number] = detail.recommendation


def _deadlines(preview: Preview, item: PlanRecommendation) -> None:
    own = item.own_row
    due_on: date | None
    if item.number in preview.matches:
        due_on = recommendation_due_on(preview.matches[item.number])
        if own is not None and own.deadline is not None and own.deadline != due_on:
            own.notes.append(f"The report's deadline ({long_date(due_on)}) is kept for the recommendation.")
    else:
        candidates = [row.deadline for row in item.steps if row.deadline is not None]
        due_on = own.deadline if own is not None and own.deadline else max(candidates, default=None)
        if due_on is None:
            for row in item.rows:
                row.problems.append("No deadline is given for this recommendation or its steps. Enter one.")
            return
    preview.due_on[item.number] = due_on
    for row in item.steps:
        if row.deadline is None:
            row.notes.append(f"No deadline: it takes its recommendation's, {long_date(due_on)}.")
        elif row.deadline > due_on:
            row.problems.append(
                f"The deadline is later than the recommendation's ({long_date(due_on)}). A step must finish by then."
            )
        preview.step_due_on[row.line] = row.deadline or due_on


def _imported_before(organisation: Organisation, sha256: str, fingerprint: str) -> str | None:
    events = db.session.scalars(
        select(AuditEvent).filter_by(organisation_id=organisation.id, event=IMPORTED_EVENT).order_by(AuditEvent.id)
    ).all()
    for event in events:
        after = event.after or {}
        if after.get("sha256") == sha256 or after.get("fingerprint") == fingerprint:
            when = event.occurred_at.astimezone(ZoneInfo(current_app.config["TRACKER_TIMEZONE"]))
            return (
                f"This plan was already imported on {long_date(when)} (from \u201c{after.get('filename')}\u201d). "
                "Importing it again would create every action twice."
            )
    return None


def _number_steps(preview: Preview) -> None:
    """Each step's number as it will be saved: the recommendation's number and a letter."""
    for item in preview.plan.recommendations:
        recommendation = preview.matches.get(item.number)
        number = recommendation.number if recommendation is not None else item.number
        position = sum(1 for action in recommendation.actions if action.title is not None) if recommendation else 0
        for row in item.steps:
            if not row.refused:
                preview.step_numbers[row.line] = f"{number}{step_letters(position)}"
                position += 1


def _say_shared_notes_once(preview: Preview) -> None:
    """A note that several rows share ("the update has no date") is said once, with its rows."""
    lines: dict[str, list[int]] = {}
    for row in preview.plan.rows:
        for note in row.notes:
            lines.setdefault(note, []).append(row.line)
    for note, rows in lines.items():
        if len(rows) > 1:
            for row in preview.plan.rows:
                row.notes = [other for other in row.notes if other != note]
            if len(rows) == len(preview.plan.rows):
                where = "every row"
            else:
                where = "rows " + ", ".join(map(str, rows)) if len(rows) <= 8 else f"{len(rows)} rows"
            preview.shared_notes.append(f"{note} ({where})")


def preview_plan(
    organisation: Organisation,
    data: bytes,
    filename: str,
    today: date,
    *,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    fixes: dict[tuple[int, str], str] | None = None,
    report: Report | None = None,
    owner_choices: dict[str, str] | None = None,
    match_choices: dict[str, int] | None = None,
) -> Preview:
    """What saving would create. Raises PlanReadError when the file or the mapping cannot be used.

    `owner_choices` (owner key, see plan_matching.choice_key -> a role id or "new") and
    `match_choices` (choice_key of a plan recommendation's number -> the report recommendation's id) are the
    manager's corrections to the matches offered."""
    if report is not None and report.organisation_id != organisation.id:
        raise ServiceError("That report belongs to another organisation.")
    # Read once, in a child process with hard limits, then kept: the later steps never read the file again.
    plan = plan_from_workbook(parsed_uploads.read_workbook(data, sheet), today, mapping=mapping, fixes=fixes)
    preview = Preview(organisation, plan, filename, hashlib.sha256(data).hexdigest(), report)
    roles = db.session.scalars(select(Role).filter_by(organisation_id=organisation.id)).all()
    owner_choices = owner_choices or {}
    for row in plan.rows:
        for phrase in row.owners:
            if phrase not in preview.owners:
                preview.owners[phrase] = match_owner_phrase(phrase, roles, owner_choices.get(choice_key(phrase)))
        if row.status == Status.VERIFIED:
            row.notes.append(
                "The sheet says it is signed off: it is imported as completed, and waits for the "
                "board to sign it off in the tracker."
            )
    if report is not None:
        preview.match_details = match_recommendations(plan.recommendations, report.recommendations, match_choices or {})
    for item in plan.recommendations:
        if report is not None:
            _link(preview, item)
        elif not item.text:
            for row in item.rows:
                row.problems.append(
                    f"Recommendation {item.number} has no text. Choose the column that holds it, "
                    "or link the plan to the imported report."
                )
        _deadlines(preview, item)
    _number_steps(preview)
    _say_shared_notes_once(preview)
    preview.imported_before = _imported_before(organisation, preview.sha256, plan.fingerprint())
    return preview


# --- Saving ---------------------------------------------------------------------------------


def _owners_of(action: Action, phrases: tuple[str, ...], roles: dict[str, Role]) -> None:
    seen: set[int] = set()
    for phrase in phrases:
        role = roles[phrase]
        if role.id not in seen:
            action.owners.append(ActionOwner(role=role, is_lead=not seen))
            seen.add(role.id)


@dataclass(frozen=True)
class Source:
    """Where an imported update came from: the file and row, and who the sheet says wrote it."""

    filename: str
    line: int | None = None
    author: str | None = None

    @classmethod
    def of(cls, filename: str, row: PlanRow) -> Source:
        return cls(filename, row.line, row.update_author or (row.owners[0] if row.owners else None))

    @property
    def text(self) -> str:
        return (f"{self.filename}, row {self.line}" if self.line else self.filename)[:400]


def _first_update(
    action: Action, status: str, flag: str | None, note: str | None, on: date | None, source: Source, today: date
) -> None:
    """The plan's latest progress as the action's first update, dated when the plan says and
    credited to the sheet (never to whoever imports it). Nothing imported is signed off: the
    board signs off in the tracker."""
    if status == Status.NOT_STARTED and not note and flag is None:
        return
    zone = ZoneInfo(current_app.config["TRACKER_TIMEZONE"])
    when = datetime.combine(on, time(12), zone).astimezone(ZoneInfo("UTC")) if on and on < today else utc_now()
    action.status = Status.COMPLETED if status == Status.VERIFIED else Status(status)
    action.flag = Flag(flag) if flag else None
    action.flag_reason = f"Marked {Flag(flag).value.replace('_', ' ')} on the imported plan." if flag else None
    if action.status is Status.COMPLETED:
        action.completed_at = when
    action.last_update_at = when
    action.updates.append(
        Update(
            author=None,
            imported_from=source.text,
            imported_author=(source.author or None) and source.author[:200],
            created_at=when,
            note=note or "Status recorded on the imported plan.",
            status_before=Status.NOT_STARTED,
            status_after=action.status,
            flag_after=action.flag,
            flag_reason=action.flag_reason,
            links=[],
        )
    )


def _roles_for(preview: Preview, rows: list[PlanRow], actor: Actor) -> dict[str, Role]:
    """Each owner phrase's role: the one matched or chosen (the phrase becomes its alias), or a
    new one where the manager said so. Refuses while any owner has no role chosen."""
    if unmatched := preview.unmatched_owners:
        names = "; ".join(f"\u201c{match.phrase}\u201d" for match in unmatched[:10])
        raise ServiceError(
            f"Choose a role for each owner that is not one of your roles ({names}): one of your "
            "roles, or \u201cCreate a new role\u201d. Nothing has been saved."
        )
    roles: dict[str, Role] = {}
    for phrase in dict.fromkeys(phrase for row in rows for phrase in row.owners):
        match = preview.owners[phrase]
        if match.role is None:
            roles[phrase] = find_or_create_role(preview.organisation, match.name, actor=actor)
        else:
            roles[phrase] = match.role
        if phrase.strip() not in roles[phrase].names:
            roles[phrase].aliases.append(RoleAlias(name=phrase.strip()[:200]))
    return roles


def _derived_status(rows: list[PlanRow]) -> str:
    statuses = [row.status for row in rows]
    if statuses and all(status in Status.DONE for status in statuses):
        return Status.COMPLETED
    return Status.IN_PROGRESS if any(status != Status.NOT_STARTED for status in statuses) else Status.NOT_STARTED


def save_plan(preview: Preview, *, actor: Actor, skip_refused: bool = False) -> Report:
    """Create the recommendations, steps, owners and first updates the preview shows, in the
    current transaction. Returns the report the plan belongs to (new when standalone)."""
    organisation, plan = preview.organisation, preview.plan
    if preview.imported_before:
        raise ServiceError(preview.imported_before)
    refused = preview.refused_rows
    if refused and not skip_refused:
        lines = ", ".join(str(row.line) for row in refused[:10])
        raise ServiceError(
            f"{len(refused)} row{'s' if len(refused) != 1 else ''} cannot be imported (row {lines}). "
            "Fix them, or choose to skip them. Nothing has been saved."
        )
    items = preview.kept_recommendations
    if not items:
        raise ServiceError("No row of the plan can be imported. Nothing has been saved.")
    today, filename = clock.today(), preview.filename
    kept_rows = [row for item in items for row in item.rows if not row.refused]
    roles = _roles_for(preview, kept_rows, actor)
    report = preview.report
    if report is None:
        report = Report(
            organisation=organisation,
            title=f"Action plan: {preview.filename}"[:300],
            inspection_type="Imported action plan",
            publication_date=None,
            date_precision=DatePrecision.DAY,
            publication_date_confirmed=True,
            source_filename=preview.filename[:300],
            source_sha256=preview.sha256,
            extracted_text="",
            imported_by=actor if isinstance(actor, User) else None,
        )
        db.session.add(report)
    position = len(report.recommendations)
    steps = 0
    for item in items:
        own = item.own_row if item.own_row is not None and not item.own_row.refused else None
        step_rows = [row for row in item.steps if not row.refused]
        recommendation = preview.matches.get(item.number)
        if recommendation is None:
            position += 1
            owners = (
                own.owners
                if own and own.owners
                else tuple(dict.fromkeys(phrase for row in step_rows for phrase in row.owners))
            )
            recommendation = Recommendation(
                report=report,
                position=position,
                number=item.number,
                text=item.text,
                owner_phrases=list(owners),
                owner_source=OwnerSource.REVIEW if owners else OwnerSource.NONE,
            )
            due_on = preview.due_on[item.number]
            main = Action(
                organisation=organisation,
                recommendation=recommendation,
                due_on=due_on,
                original_due_on=own.original_deadline if own and own.original_deadline else due_on,
            )
            _owners_of(main, owners, roles)
            db.session.add(main)
            if own is not None:
                _first_update(main, own.status, own.flag, own.update, own.update_on, Source.of(filename, own), today)
            else:
                _first_update(main, _derived_status(step_rows), None, None, None, Source(filename), today)
        elif own is not None:
            found = next((action for action in recommendation.actions if action.title is None), None)
            if found is not None and not found.owners:
                _owners_of(found, own.owners, roles)
            if found is not None and found.status is Status.NOT_STARTED and not found.updates:
                _first_update(found, own.status, own.flag, own.update, own.update_on, Source.of(filename, own), today)
                found.version += 1
        for row in step_rows:
            due_on = preview.step_due_on[row.line]
            number = next_step_number(recommendation)
            step = Action(
                organisation=organisation,
                recommendation=recommendation,
                title=row.step,
                due_on=due_on,
                step_number=number,
                original_due_on=row.original_deadline or due_on,
                created_by=actor if isinstance(actor, User) else None,
            )
            _owners_of(step, row.owners, roles)
            _first_update(step, row.status, row.flag, row.update, row.update_on, Source.of(filename, row), today)
            db.session.add(step)
            steps += 1
    db.session.flush()
    audit.record(
        IMPORTED_EVENT,
        report,
        actor=actor,
        organisation_id=organisation.id,
        after={
            "filename": preview.filename,
            "sha256": preview.sha256,
            "fingerprint": plan.fingerprint(),
            "sheet": plan.sheet_name,
            "recommendations": len(items),
            "steps": steps,
            "skipped_rows": [row.line for row in refused],
            "linked_to_report": preview.report is not None,
            "new_roles": preview.new_roles,
        },
    )
    return report
