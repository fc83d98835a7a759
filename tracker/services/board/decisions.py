"""Decisions waiting for the board, and taking several of them at once at a meeting.

Two kinds wait: requests for more time (pending deadline changes) and completed actions to
sign off. For a completed action the board may sign it off as verified, or send it back to
its owner with a reason: it returns to in progress and the owner is told by email (through
the outbox, like every email, sent straight after the commit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionOwner,
    DeadlineChange,
    DeadlineChangeStatus,
    Organisation,
    Recommendation,
    Role,
    Status,
    Update,
    User,
    utc_now,
)
from tracker.models.action import SENT_BACK_NOTE
from tracker.services import ServiceError, outbox
from tracker.services.actions import (
    InvalidUpdate,
    claim,
    decide_deadline_change,
    record_decision,
    snapshot,
    verify_action,
)
from tracker.services.reminders.daily import greeting


@dataclass(frozen=True)
class Waiting:
    """What the board has to decide in one organisation."""

    deadline_changes: list[DeadlineChange]
    sign_offs: list[Action]

    @property
    def count(self) -> int:
        return len(self.deadline_changes) + len(self.sign_offs)


def waiting_counts(organisation: Organisation) -> tuple[int, int]:
    """(requests for more time, completed actions to sign off): two quick counts for the banner."""
    changes = db.session.scalar(
        select(func.count())
        .select_from(DeadlineChange)
        .join(Action, Action.id == DeadlineChange.action_id)
        .where(Action.organisation_id == organisation.id, DeadlineChange.status == DeadlineChangeStatus.PENDING)
    )
    sign_offs = db.session.scalar(
        select(func.count())
        .select_from(Action)
        .where(Action.organisation_id == organisation.id, Action.status == Status.COMPLETED)
    )
    return changes or 0, sign_offs or 0


def waiting(organisation: Organisation) -> Waiting:
    action_options = (
        selectinload(Action.recommendation).selectinload(Recommendation.report),
        selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder),
    )
    changes = list(
        db.session.scalars(
            select(DeadlineChange)
            .join(Action, Action.id == DeadlineChange.action_id)
            .where(Action.organisation_id == organisation.id, DeadlineChange.status == DeadlineChangeStatus.PENDING)
            .options(
                selectinload(DeadlineChange.action).options(*action_options), selectinload(DeadlineChange.requested_by)
            )
            .order_by(DeadlineChange.requested_at, DeadlineChange.id)
        )
    )
    sign_offs = list(
        db.session.scalars(
            select(Action)
            .where(Action.organisation_id == organisation.id, Action.status == Status.COMPLETED)
            .options(*action_options, selectinload(Action.updates))
            .order_by(Action.completed_at, Action.id)
        )
    )
    return Waiting(changes, sign_offs)


# --- Send back -------------------------------------------------------------------------------


def send_back(action: Action, *, board_member: User, reason: str, expected_version: int) -> Update:
    """The board does not accept a completion: back to in progress, and the owners are told."""
    reason = (reason or "").strip()
    if action.status is not Status.COMPLETED:
        raise InvalidUpdate("Only a completed action can be sent back to its owner.")
    if not reason:
        raise InvalidUpdate("Say why the action is going back to its owner, so they know what to do.")
    if len(reason) > 2000:
        raise InvalidUpdate("Keep the reason to 2,000 characters or fewer.")
    before = snapshot(action)
    claim(action, expected_version, status=Status.IN_PROGRESS, completed_at=None, last_update_at=utc_now())
    update = record_decision(
        action, board_member, f"{SENT_BACK_NOTE}{reason}", Status.COMPLETED, "action.sent_back", before
    )
    _queue_sent_back_emails(action, update, reason, board_member)
    return update


def _queue_sent_back_emails(action: Action, update: Update, reason: str, board_member: User) -> None:
    base = current_app.config["BASE_URL"]
    name = action.recommendation.full_name
    subject = f"Sent back by the board: {name[:1].upper()}{name[1:]} for {action.organisation.name}"
    rows, seen = [], set()
    for role in action.owner_roles:
        contact = role.holder
        if contact is None or not contact.email or contact.email.strip().lower() in seen:
            continue
        email = contact.email.strip().lower()
        seen.add(email)
        context = dict(
            subject=subject,
            greeting=greeting(contact),
            action=action,
            reason=reason,
            board_member=board_member.name,
            role=role.name,
            organisation_name=action.organisation.name,
            action_url=f"{base}/actions/{action.id}",
            service_name=current_app.config["SERVICE_NAME"],
        )
        rows.append(
            dict(
                key=f"sent-back:{action.id}:{update.id}:{email}",
                organisation_id=action.organisation_id,
                action_id=action.id,
                kind="sent_back",
                target_date=None,
                recipient=email,
                subject=subject[:300],
                body_text=render_template("emails/sent_back.txt", **context),
                body_html=render_template("emails/sent_back.html", **context),
            )
        )
    for notification_id in outbox.queue(rows).values():
        outbox.send_after_commit(notification_id)  # to act on today: it does not wait for the day's email


# --- Several decisions from one list -----------------------------------------------------------

DEADLINE_CHOICES = {"approve": "Approve the new date", "refuse": "Refuse", "": "Decide later"}
SIGN_OFF_CHOICES = {"verify": "Sign off as verified", "send_back": "Send back to the owner", "": "Decide later"}


@dataclass
class ListDecision:
    kind: str  # "change" or "action"
    item_id: int
    choice: str  # a key of DEADLINE_CHOICES or SIGN_OFF_CHOICES
    note: str = ""
    version: int | None = None


@dataclass
class ListOutcome:
    decided: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # form field id -> message


def decide_from_list(organisation: Organisation, decisions: list[ListDecision], *, board_member: User) -> ListOutcome:
    """Take every decision made on the list, or none: any problem is reported against its item
    and nothing is saved (the caller rolls back)."""
    outcome = ListOutcome()
    current = waiting(organisation)
    changes = {change.id: change for change in current.deadline_changes}
    sign_offs = {action.id: action for action in current.sign_offs}
    for decision in decisions:
        if not decision.choice:
            continue
        field_id = f"{decision.kind}-{decision.item_id}"
        try:
            if decision.kind == "change" and decision.choice in ("approve", "refuse"):
                change = changes.get(decision.item_id)
                if change is None:
                    raise InvalidUpdate("This request has already been decided.")
                decide_deadline_change(
                    change,
                    decided_by=board_member,
                    approve=decision.choice == "approve",
                    note=decision.note,
                    expected_version=_version(decision, change.action),
                )
            elif decision.kind == "action" and decision.choice in ("verify", "send_back"):
                action = sign_offs.get(decision.item_id)
                if action is None:
                    raise InvalidUpdate("This action is no longer waiting for sign-off.")
                if decision.choice == "verify":
                    verify_action(
                        action,
                        board_member=board_member,
                        note=decision.note,
                        expected_version=_version(decision, action),
                    )
                else:
                    send_back(
                        action,
                        board_member=board_member,
                        reason=decision.note,
                        expected_version=_version(decision, action),
                    )
            else:
                raise InvalidUpdate("Choose one of the options.")
        except ServiceError as error:
            outcome.errors[field_id] = str(error)
        else:
            outcome.decided += 1
    if not outcome.errors and not outcome.decided:
        outcome.errors["decisions"] = "Choose a decision for at least one item."
    return outcome


def _version(decision: ListDecision, action: Action) -> int:
    return decision.version if decision.version is not None else action.version
