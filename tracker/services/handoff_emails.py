"""Emails about a hand-off that a person must know about today, sent straight after the commit.

- the board's decision on a request for more time, to the person who asked and the owners;
- a welcome to a role, listing the actions now theirs, overdue ones first;
- a change to someone's access level.

Each is queued in the outbox in the transaction that made the change and marked with
`outbox.send_after_commit`, so it leaves once that transaction has committed (as
invitations and password resets do), not at the scheduler's next run. A send-back is told
the same way (services/board/decisions.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template
from sqlalchemy import select

from tracker.clock import long_date
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionOwner,
    Contact,
    DeadlineChange,
    DeadlineChangeStatus,
    Organisation,
    Role,
    Status,
    User,
)
from tracker.services import outbox
from tracker.services.reminders import daily
from tracker.services.reminders.schedule import holders_of


def _label(action: Action) -> str:
    label = action.recommendation.full_name
    return label[:1].upper() + label[1:] + (f" ({action.title[:60]})" if action.title else "")


def _queue(
    *,
    key: str,
    organisation: Organisation,
    action_id: int | None,
    kind: str,
    recipient: str,
    subject: str,
    template: str,
    **context,
) -> int | None:
    context = {"subject": subject, "service_name": current_app.config["SERVICE_NAME"], **context}
    notification_id = outbox.queue(
        [
            dict(
                key=key,
                organisation_id=organisation.id,
                action_id=action_id,
                kind=kind,
                target_date=None,
                recipient=recipient,
                subject=subject[:300],
                body_text=render_template(f"emails/{template}.txt", **context),
                body_html=render_template(f"emails/{template}.html", **context),
            )
        ]
    ).get(key)
    outbox.send_after_commit(notification_id)
    return notification_id


# --- The board's decision on a request for more time -----------------------------------------


def tell_decision(change: DeadlineChange) -> list[str]:
    """Tell the person who asked, and the holders of the action's owner roles, what the board
    decided, with its note. Returns who is told."""
    action = change.action
    people: dict[str, Contact | User] = {}
    if change.requested_by is not None and change.requested_by.active:
        people[change.requested_by.email.strip().lower()] = change.requested_by
    for contact, _ in holders_of(action):
        people.setdefault(contact.email.strip().lower(), contact)
    approved = change.status is DeadlineChangeStatus.APPROVED
    verdict = "approved" if approved else "refused"
    subject = f"More time {verdict}: {_label(action)} for {action.organisation.name}"
    base = current_app.config["BASE_URL"]
    for email, person in people.items():
        _queue(
            key=f"decision:{change.id}:{email}",
            organisation=action.organisation,
            action_id=action.id,
            kind="deadline_decision",
            recipient=email,
            subject=subject,
            template="deadline_decision",
            greeting=(daily.greeting(person) if isinstance(person, Contact) else f"Dear {person.name},") or "Hello,",
            action=action,
            change=change,
            approved=approved,
            verdict=verdict,
            decided_by=change.decided_by.name if change.decided_by else "The board",
            due_on=long_date(action.due_on),
            requested_due_on=long_date(change.requested_due_on),
            due_on_before=long_date(change.due_on_before),
            organisation_name=action.organisation.name,
            action_url=f"{base}/actions/{action.id}",
        )
    return list(people)


# --- A new role holder -----------------------------------------------------------------------


@dataclass(frozen=True)
class Welcome:
    email: str
    actions: int
    overdue: int

    def sentence(self, role: Role) -> str:
        listed = f"the {self.actions} open action{'s' if self.actions != 1 else ''} now theirs"
        if self.overdue:
            listed += f" ({self.overdue} overdue)"
        return (
            f"A welcome email listing {listed} has been sent to {self.email}."
            if self.actions
            else f"A welcome email has been sent to {self.email} (the role owns no open actions yet)."
        )


def welcome_role_holder(role: Role, *, given_by: str, today: date) -> Welcome | None:
    """Welcome the role's new holder with the open actions now theirs, overdue ones first."""
    holder = role.holder
    if holder is None or not (holder.email or "").strip():
        return None
    actions = list(
        db.session.scalars(
            select(Action)
            .join(ActionOwner, ActionOwner.action_id == Action.id)
            .where(ActionOwner.role_id == role.id, Action.status.in_(Status.OPEN))
            .order_by(Action.due_on, Action.id)
        )
    )
    overdue = [action for action in actions if action.due_on < today]
    upcoming = [action for action in actions if action.due_on >= today]
    base = current_app.config["BASE_URL"]
    lines = [
        dict(
            label=_label(action),
            due_on=long_date(action.due_on),
            overdue=action.due_on < today,
            description=action.description,
            url=f"{base}/actions/{action.id}",
        )
        for action in overdue + upcoming
    ]
    email = holder.email.strip().lower()
    organisation = role.organisation
    _queue(
        key=f"role-welcome:{role.id}:{email}:{secrets.token_hex(6)}",
        organisation=organisation,
        action_id=None,
        kind="role_welcome",
        recipient=email,
        subject=f"You now hold the role \u201c{role.name}\u201d in {organisation.name}",
        template="role_welcome",
        greeting=daily.greeting(holder),
        role=role,
        given_by=given_by,
        organisation_name=organisation.name,
        lines=lines,
        overdue=len(overdue),
        sign_in_url=f"{base}/sign-in" if holder.user_id else None,
    )
    return Welcome(email, len(actions), len(overdue))


# --- Access level ----------------------------------------------------------------------------


def tell_access_changed(user: User, organisation: Organisation, *, before: str, after: str, by: User) -> None:
    base = current_app.config["BASE_URL"]
    _queue(
        key=f"access-changed:{organisation.id}:{user.id}:{secrets.token_hex(6)}",
        organisation=organisation,
        action_id=None,
        kind="access_changed",
        recipient=user.email,
        subject=f"Your access to {organisation.name}'s recommendation tracker has changed",
        template="access_changed",
        name=user.name,
        before=before,
        after=after,
        changed_by=by.name,
        organisation_name=organisation.name,
        sign_in_url=f"{base}/sign-in",
    )
