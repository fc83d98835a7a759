"""Progress updates (status, flag, note, links and evidence) by owners, and the board's decisions
on an action: verifying it and withdrawing it."""

from __future__ import annotations

from typing import Any

from tracker.extensions import db
from tracker.models import (
    Action,
    Contact,
    Flag,
    Status,
    Update,
    UpdateRevision,
    User,
    utc_now,
)
from tracker.services import audit, handoffs
from tracker.services.actions.versions import InvalidUpdate, claim, snapshot
from tracker.services.audit import Actor

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

    before = snapshot(action)
    now = utc_now()
    values: dict[str, Any] = {"status": status_after, "last_update_at": now}
    if flag is not KEEP:
        values.update(flag=flag, flag_reason=flag_reason if flag else None)
    if status_after is Status.COMPLETED and status_before is not Status.COMPLETED:
        values.update(completed_at=now, flag=None, flag_reason=None)
    elif status_before is Status.COMPLETED and status_after is not Status.COMPLETED:
        values.update(completed_at=None)
    claim(action, expected_version, **values)

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
    posted_by = actor or author
    if not posted_by:
        assert author_contact is not None  # an update with no author is a partner's
        posted_by = f"partner link: {author_contact.email}"
    audit.record(
        "action.update_posted",
        action,
        actor=posted_by,
        organisation_id=action.organisation_id,
        before=before,
        after={**snapshot(action), "update_id": progress.id, "note": note, "links": links},
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
    before = snapshot(action)
    now = utc_now()
    claim(
        action,
        expected_version,
        status=Status.VERIFIED,
        verified_at=now,
        verified_by_id=board_member.id,
        last_update_at=now,
    )
    record = record_decision(
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
    before = snapshot(action)
    status_before = action.status
    claim(
        action,
        expected_version,
        status=Status.WITHDRAWN,
        withdrawn_reason=reason,
        withdrawn_decision=board_decision,
        flag=None,
        flag_reason=None,
        last_update_at=utc_now(),
    )
    return record_decision(
        action, by, f"Withdrawn: {reason} (board decision: {board_decision})", status_before, "action.withdrawn", before
    )


def record_decision(
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
        after={**snapshot(action), "update_id": record.id, "note": note},
    )
    return record
