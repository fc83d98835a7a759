"""Deadline changes: an owner asks for more time (for a step, and perhaps its recommendation), and the
board agrees or refuses; the recommendation's own deadline bounds its steps'."""

from __future__ import annotations

from datetime import date

from tracker import clock
from tracker.clock import long_date
from tracker.extensions import db
from tracker.models import (
    Action,
    DeadlineChange,
    DeadlineChangeStatus,
    Recommendation,
    User,
    utc_now,
)
from tracker.services import audit, handoff_emails, handoffs
from tracker.services.actions.versions import InvalidUpdate, StaleVersion, claim, describe_newer_change, snapshot
from tracker.services.deadlines import SANE_YEARS, within_sane_range

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
    before = snapshot(action)
    if approve:
        if not within_sane_range(change.requested_due_on, clock.today()):
            raise InvalidUpdate(
                f"The requested deadline is more than {SANE_YEARS} years away. Refuse it, and ask "
                "the owner for a nearer date."
            )
        if change.moves_recommendation:
            _move_recommendation_deadline(action, change.requested_due_on, decided_by)
        _check_step_deadline(action, change.requested_due_on)
        claim(action, expected_version, due_on=change.requested_due_on)
    elif action.version != expected_version:
        raise StaleVersion(describe_newer_change(action))
    change.status = DeadlineChangeStatus.APPROVED if approve else DeadlineChangeStatus.REFUSED
    change.decided_by, change.decided_at, change.decision_note = decided_by, utc_now(), note or None
    db.session.flush()
    audit.record(
        f"deadline_change.{change.status.value}",
        change,
        actor=decided_by,
        organisation_id=action.organisation_id,
        before=before,
        after={**snapshot(action), "action_id": action.id, "note": note},
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
    before = snapshot(main)
    claim(main, main.version, due_on=due_on)
    audit.record(
        "action.deadline_moved_with_step",
        main,
        actor=decided_by,
        organisation_id=main.organisation_id,
        before=before,
        after={**snapshot(main), "step_id": step.id},
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
