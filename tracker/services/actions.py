"""The action workflow: progress updates, flags, evidence, sign-off, withdrawal, deadline
changes, plan steps and owners. (RAG and overdue are derived in services/rag.py, never stored.)

Every change to an action goes through `_claim`: a single conditional UPDATE that bumps the
action's version only if it still has the version the person saw. Two people acting at once
can never both succeed against the same version: the second is refused and told what
changed, never merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy import update as sql_update

from tracker import clock
from tracker.clock import long_date
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionOwner,
    Contact,
    DeadlineChange,
    DeadlineChangeStatus,
    Flag,
    Recommendation,
    Role,
    Status,
    Update,
    UpdateRevision,
    User,
    utc_now,
)
from tracker.models.action import next_step_number
from tracker.services import ServiceError, audit, handoff_emails, handoffs
from tracker.services.audit import Actor
from tracker.services.deadlines import SANE_YEARS, within_sane_range

# Where an owner's update may move an action. Verifying and withdrawing are board decisions
# with their own functions; an owner may reopen a completed action the board has not verified.
NEXT_STATUSES: dict[Status, frozenset[Status]] = {
    Status.NOT_STARTED: frozenset({Status.IN_PROGRESS, Status.COMPLETED}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset({Status.IN_PROGRESS}),
    Status.VERIFIED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

KEEP = object()  # "leave the flag as it is"
MAX_LINKS = 10


class StaleVersion(ServiceError):
    """The action changed after the form was loaded; the newer change is described."""


class InvalidUpdate(ServiceError):
    pass


# --- The version claim -------------------------------------------------------------------


def _claim(action: Action, expected_version: int, **values: Any) -> None:
    """Apply `values` and bump the version, only if nobody changed the action since."""
    claimed = db.session.execute(
        sql_update(Action)
        .where(Action.id == action.id, Action.version == expected_version)
        .values(version=Action.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(action)
    if claimed.rowcount != 1:
        raise StaleVersion(_describe_newer_change(action))


def _describe_newer_change(action: Action) -> str:
    latest = action.updates[0] if action.updates else None
    message = "This action was changed by someone else after you opened it, so your change was not saved."
    if latest is not None:
        message += (
            f" Latest: {latest.author_name} set it to {latest.status_after.label.lower()}"
            + (f" with the note \u201c{latest.note[:200]}\u201d" if latest.note else "")
            + "."
        )
    return message + " Check the history, then try again."


def _snapshot(action: Action) -> dict[str, Any]:
    return {
        "status": action.status.value,
        "flag": action.flag.value if action.flag else None,
        "flag_reason": action.flag_reason,
        "due_on": action.due_on.isoformat(),
        "version": action.version,
    }


# --- Progress updates --------------------------------------------------------------------


def post_update(
    action: Action,
    *,
    author: User | None = None,
    author_contact: Contact | None = None,
    note: str = "",
    new_status: Status | None = None,
    expected_version: int,
    flag: Any = KEEP,
    flag_reason: str = "",
    links: list[str] | None = None,
    evidence_count: int = 0,
    actor: Actor | None = None,
) -> Update:
    """Record progress on an action, refusing it if someone else changed the action first.

    Completing an action needs evidence: a file or link on this update or an earlier one.
    Flags ("at risk", "blocked") need a reason. Partners post with `author_contact`.
    """
    note = note.strip()
    links = _clean_links(links or [])
    status_before = action.status
    status_after = new_status or status_before
    if status_after is not status_before and status_after not in NEXT_STATUSES[status_before]:
        raise InvalidUpdate(
            f"An action that is {status_before.label.lower()} cannot be marked {status_after.label.lower()}.",
            field="status",
        )
    if status_before in Status.FINISHED and flag is not KEEP:
        raise InvalidUpdate(f"The action is {status_before.label.lower()}; it cannot be flagged.", field="flag")
    flag_reason = flag_reason.strip()
    if flag in (Flag.AT_RISK, Flag.BLOCKED) and not flag_reason:
        raise InvalidUpdate(f"Say why the action is {flag.label.lower()}.", field="flag_reason")
    if status_after is Status.COMPLETED and status_before is not Status.COMPLETED:
        if not (links or evidence_count or _has_evidence(action)):
            raise InvalidUpdate(
                "Attach evidence (a file or a link) before marking the action completed.", field="evidence"
            )
        if not note:
            raise InvalidUpdate("Say what was done before marking the action completed.", field="note")
    flag_changes = flag is not KEEP and (flag != action.flag or (flag and flag_reason != action.flag_reason))
    if not (note or links or evidence_count or flag_changes or status_after is not status_before):
        raise InvalidUpdate("Enter a progress note, attach evidence, or change the status or flag.")

    before = _snapshot(action)
    now = utc_now()
    values: dict[str, Any] = {"status": status_after, "last_update_at": now}
    if flag is not KEEP:
        values.update(flag=flag, flag_reason=flag_reason if flag else None)
    if status_after is Status.COMPLETED and status_before is not Status.COMPLETED:
        values.update(completed_at=now, flag=None, flag_reason=None)
    elif status_before is Status.COMPLETED and status_after is not Status.COMPLETED:
        values.update(completed_at=None)
    _claim(action, expected_version, **values)

    progress = Update(
        action=action,
        author=author,
        author_contact=author_contact,
        note=note,
        created_at=now,
        status_before=status_before,
        status_after=status_after,
        links=links,
        flag_after=action.flag,
        flag_reason=action.flag_reason,
    )
    db.session.add(progress)
    db.session.flush()
    audit.record(
        "action.update_posted",
        action,
        actor=actor or author or f"partner link: {author_contact.email}",
        organisation_id=action.organisation_id,
        before=before,
        after={**_snapshot(action), "update_id": progress.id, "note": note, "links": links},
    )
    if status_after is Status.COMPLETED and status_before is not Status.COMPLETED:
        handoffs.send_singles_now(action.organisation)  # the board hears in the day's email otherwise
    return progress


def _clean_links(links: list[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link.strip()]
    if len(cleaned) > MAX_LINKS:
        raise InvalidUpdate(f"Add at most {MAX_LINKS} links to one update.", field="links")
    for link in cleaned:
        if not link.lower().startswith(("https://", "http://")) or len(link) > 2000 or any(c.isspace() for c in link):
            raise InvalidUpdate(
                f"\u201c{link[:80]}\u201d is not a web address. Links start with https://", field="links"
            )
    return cleaned


def _has_evidence(action: Action) -> bool:
    return any(update.links or update.evidence for update in action.updates)


def edit_update(update: Update, *, editor: User, note: str, links: list[str]) -> Update:
    """Change an update's wording; the earlier wording is kept as a revision, never lost."""
    if update.author_id != editor.id:
        raise InvalidUpdate("Only the person who posted an update can edit it.")
    if update.records_board_decision:
        raise InvalidUpdate("This update records a board decision, so it cannot be changed.")
    if update.redacted_at is not None:
        raise InvalidUpdate("This update was redacted, so it cannot be changed.")
    note, links = note.strip(), _clean_links(links)
    if note == update.note and links == update.links:
        raise InvalidUpdate("Nothing was changed.")
    if not note and not links and not update.evidence and update.status_after is update.status_before:
        raise InvalidUpdate("An update needs a note, a link or evidence.")
    update.revisions.append(UpdateRevision(note_before=update.note, links_before=list(update.links), edited_by=editor))
    before = {"note": update.note, "links": update.links}
    update.note, update.links, update.edited_at = note, links, utc_now()
    db.session.flush()
    audit.record(
        "update.edited",
        update,
        actor=editor,
        organisation_id=update.action.organisation_id,
        before=before,
        after={"note": note, "links": links, "action_id": update.action_id},
    )
    return update


# --- Board decisions ---------------------------------------------------------------------


def verify_action(action: Action, *, board_member: User, note: str, expected_version: int) -> Update:
    """The board signs off a completed action as verified."""
    if action.status is not Status.COMPLETED:
        raise InvalidUpdate("Only a completed action can be signed off as verified.")
    before = _snapshot(action)
    now = utc_now()
    _claim(
        action,
        expected_version,
        status=Status.VERIFIED,
        verified_at=now,
        verified_by_id=board_member.id,
        last_update_at=now,
    )
    record = _record_decision(
        action, board_member, note.strip() or "Signed off as verified.", Status.COMPLETED, "action.verified", before
    )
    handoffs.send_singles_now(action.organisation)  # the owners hear in the day's email otherwise
    return record


def withdraw_action(action: Action, *, by: User, reason: str, board_decision: str, expected_version: int) -> Update:
    """Withdraw an action that no longer applies: it needs a reason and the board's decision."""
    reason, board_decision = reason.strip(), board_decision.strip()
    if action.status in Status.FINISHED:
        raise InvalidUpdate(f"The action is already {action.status.label.lower()}.")
    if not reason:
        raise InvalidUpdate("Say why the action is being withdrawn.", field="reason")
    if not board_decision:
        raise InvalidUpdate(
            "Say which board decision agreed the withdrawal (for example, the meeting and item).",
            field="board_decision",
        )
    before = _snapshot(action)
    status_before = action.status
    _claim(
        action,
        expected_version,
        status=Status.WITHDRAWN,
        withdrawn_reason=reason,
        withdrawn_decision=board_decision,
        flag=None,
        flag_reason=None,
        last_update_at=utc_now(),
    )
    return _record_decision(
        action, by, f"Withdrawn: {reason} (board decision: {board_decision})", status_before, "action.withdrawn", before
    )


def _record_decision(
    action: Action, user: User, note: str, status_before: Status, event: str, before: dict[str, Any]
) -> Update:
    record = Update(
        action=action,
        author=user,
        note=note,
        created_at=action.last_update_at,
        status_before=status_before,
        status_after=action.status,
        links=[],
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        event,
        action,
        actor=user,
        organisation_id=action.organisation_id,
        before=before,
        after={**_snapshot(action), "update_id": record.id, "note": note},
    )
    return record


# --- Deadlines ---------------------------------------------------------------------------


def recommendation_due_on(recommendation: Recommendation) -> date:
    """A recommendation's deadline: that of the action the import created for it."""
    main = next((action for action in recommendation.actions if action.title is None), recommendation.actions[0])
    return main.due_on


def request_deadline_change(
    action: Action, *, requested_by: User, new_due_on: date, reason: str, today: date, move_recommendation: bool = False
) -> DeadlineChange:
    """An owner asks the board for more time. The original deadline is always kept.

    A step may not run past its recommendation's deadline; with `move_recommendation` its
    request asks for the recommendation's deadline to move to the same date, and the board
    decides both at once."""
    reason = reason.strip()
    if action.status.is_closed:
        raise InvalidUpdate(f"The action is {action.status.label.lower()}; its deadline cannot change.")
    if not reason:
        raise InvalidUpdate("Say why more time is needed.", field="reason")
    if new_due_on == action.due_on:
        raise InvalidUpdate("Choose a date different from the current deadline.")
    if new_due_on < today:
        raise InvalidUpdate("The new deadline cannot be in the past.")
    if not within_sane_range(new_due_on, today):
        raise InvalidUpdate(f"The new deadline must be within {SANE_YEARS} years of today.", field="new_due_on")
    if any(change.status is DeadlineChangeStatus.PENDING for change in action.deadline_changes):
        raise InvalidUpdate("A request to change this deadline is already waiting for the board.")
    moves_recommendation = _past_recommendation(action, new_due_on)
    if moves_recommendation and not move_recommendation:
        _check_step_deadline(action, new_due_on, offer_move=True)
    change = DeadlineChange(
        action=action,
        requested_by=requested_by,
        due_on_before=action.due_on,
        requested_due_on=new_due_on,
        reason=reason,
        moves_recommendation=moves_recommendation,
    )
    db.session.add(change)
    db.session.flush()
    audit.record(
        "deadline_change.requested",
        change,
        actor=requested_by,
        organisation_id=action.organisation_id,
        after={
            "action_id": action.id,
            "from": action.due_on.isoformat(),
            "to": new_due_on.isoformat(),
            "reason": reason,
            **({"recommendation_to": new_due_on.isoformat()} if moves_recommendation else {}),
        },
    )
    handoffs.send_singles_now(action.organisation)  # the board hears in the day's email otherwise
    return change


def decide_deadline_change(
    change: DeadlineChange, *, decided_by: User, approve: bool, note: str, expected_version: int
) -> DeadlineChange:
    """The board approves (the deadline moves) or refuses a requested deadline change."""
    if change.status is not DeadlineChangeStatus.PENDING:
        raise InvalidUpdate(f"This request was already {change.status.value}.")
    note = note.strip()
    if not approve and not note:
        raise InvalidUpdate("Say why the request is refused.", field="note")
    action = change.action
    before = _snapshot(action)
    if approve:
        if not within_sane_range(change.requested_due_on, clock.today()):
            raise InvalidUpdate(
                f"The requested deadline is more than {SANE_YEARS} years away. Refuse it, and ask "
                "the owner for a nearer date."
            )
        if change.moves_recommendation:
            _move_recommendation_deadline(action, change.requested_due_on, decided_by)
        _check_step_deadline(action, change.requested_due_on)
        _claim(action, expected_version, due_on=change.requested_due_on)
    elif action.version != expected_version:
        raise StaleVersion(_describe_newer_change(action))
    change.status = DeadlineChangeStatus.APPROVED if approve else DeadlineChangeStatus.REFUSED
    change.decided_by, change.decided_at, change.decision_note = decided_by, utc_now(), note or None
    db.session.flush()
    audit.record(
        f"deadline_change.{change.status.value}",
        change,
        actor=decided_by,
        organisation_id=action.organisation_id,
        before=before,
        after={**_snapshot(action), "action_id": action.id, "note": note},
    )
    handoff_emails.tell_decision(change)  # the person who asked acts on it today: sent at once
    return change


def _past_recommendation(action: Action, due_on: date) -> bool:
    return action.title is not None and due_on > recommendation_due_on(action.recommendation)


def _move_recommendation_deadline(step: Action, due_on: date, decided_by: User) -> None:
    """Approving a step's request that asked for it: the recommendation's deadline moves too."""
    main = next((action for action in step.recommendation.actions if action.title is None), None)
    if main is None or main.due_on >= due_on:
        return
    before = _snapshot(main)
    _claim(main, main.version, due_on=due_on)
    audit.record(
        "action.deadline_moved_with_step",
        main,
        actor=decided_by,
        organisation_id=main.organisation_id,
        before=before,
        after={**_snapshot(main), "step_id": step.id},
    )


def _check_step_deadline(action: Action, due_on: date, *, offer_move: bool = False) -> None:
    if action.title is not None:  # a plan step: never later than its recommendation
        limit = recommendation_due_on(action.recommendation)
        if due_on > limit:
            also = (
                " To ask for more time all the same, also ask for the recommendation's deadline to move: "
                "the board decides both at once."
                if offer_move
                else ""
            )
            raise InvalidUpdate(
                f"A step's deadline cannot be later than its recommendation's ({long_date(limit)}).{also}"
            )


# --- Plan steps and owners ---------------------------------------------------------------


def add_plan_step(
    recommendation: Recommendation, *, title: str, owners: list[Role], lead: Role | None, due_on: date, created_by: User
) -> Action:
    """A further action under a recommendation (a step of the improvement plan)."""
    title = title.strip()
    if not title:
        raise InvalidUpdate("Describe the step.")
    if not owners:
        raise InvalidUpdate("Choose at least one owner for the step.")
    limit = recommendation_due_on(recommendation)
    if due_on > limit:
        raise InvalidUpdate(f"A step's deadline cannot be later than its recommendation's ({long_date(limit)}).")
    organisation_id = recommendation.report.organisation_id
    if any(role.organisation_id != organisation_id for role in owners):
        raise InvalidUpdate("Owners must be roles of this organisation.")
    step = Action(
        organisation_id=organisation_id,
        recommendation=recommendation,
        title=title,
        step_number=next_step_number(recommendation),
        original_due_on=due_on,
        due_on=due_on,
        created_by=created_by,
    )
    lead = lead if lead in owners else owners[0]
    for role in sorted(owners, key=lambda role: role is not lead):
        step.owners.append(ActionOwner(role=role, is_lead=role is lead))
    db.session.add(step)
    db.session.flush()
    audit.record(
        "action.step_added",
        step,
        actor=created_by,
        organisation_id=organisation_id,
        after={
            "recommendation_id": recommendation.id,
            "title": title,
            "due_on": due_on.isoformat(),
            "owners": [role.name for role in owners],
            "lead": lead.name,
        },
    )
    return step


def set_owners(action: Action, *, owners: list[Role], lead: Role | None, by: User, expected_version: int) -> None:
    """Replace an action's owner roles; one of them is the lead."""
    if not owners:
        raise InvalidUpdate("Choose at least one owner.")
    if any(role.organisation_id != action.organisation_id for role in owners):
        raise InvalidUpdate("Owners must be roles of this organisation.")
    lead = lead if lead in owners else owners[0]
    before = {
        "owners": [role.name for role in action.owner_roles],
        "lead": action.lead_role.name if action.lead_role else None,
    }
    _claim(action, expected_version)
    action.owners.clear()
    db.session.flush()
    for role in sorted(owners, key=lambda role: role is not lead):
        action.owners.append(ActionOwner(role=role, is_lead=role is lead))
    db.session.flush()
    audit.record(
        "action.owners_changed",
        action,
        actor=by,
        organisation_id=action.organisation_id,
        before=before,
        after={"owners": [role.name for role in owners], "lead": lead.name},
    )


def reassign_actions(actions: list[Action], *, from_role: Role, to_role: Role, by: User) -> int:
    """Move the chosen actions from one owner role to another (e.g. when work is re-divided)."""
    if from_role.id == to_role.id:
        raise InvalidUpdate("Choose a different role to move the actions to.")
    if from_role.organisation_id != to_role.organisation_id:
        raise InvalidUpdate("Both roles must belong to the same organisation.")
    moved = 0
    for action in actions:
        owner = next((owner for owner in action.owners if owner.role_id == from_role.id), None)
        if owner is None or action.organisation_id != from_role.organisation_id:
            continue
        already = next((other for other in action.owners if other.role_id == to_role.id), None)
        was_lead = owner.is_lead
        action.owners.remove(owner)
        db.session.flush()
        if already is None:
            action.owners.append(ActionOwner(role=to_role, is_lead=was_lead))
        elif was_lead:
            already.is_lead = True
        _claim(action, action.version)
        moved += 1
        audit.record(
            "action.reassigned",
            action,
            actor=by,
            organisation_id=action.organisation_id,
            before={"owner": from_role.name},
            after={"owner": to_role.name},
        )
    return moved


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def recommendation_progress(recommendation: Recommendation) -> Progress:
    """How far a recommendation has got: its actions done (completed or verified) out of all
    that still count (withdrawn steps do not)."""
    counted = [action for action in recommendation.actions if action.status is not Status.WITHDRAWN]
    done = sum(action.status in Status.DONE for action in counted)
    return Progress(done, len(counted))


def actions_by_ids(organisation_id: int, action_ids: list[int]) -> list[Action]:
    if not action_ids:
        return []
    return list(
        db.session.scalars(select(Action).where(Action.organisation_id == organisation_id, Action.id.in_(action_ids)))
    )
