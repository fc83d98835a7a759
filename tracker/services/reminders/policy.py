"""When reminders are due: an organisation's reminder policy and the pure function that
applies it to one action on one day."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Organisation, Status, utc_now
from tracker.models.notification import ReminderPolicy
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Policy:
    """When reminders go out. A zero switches a step off."""

    days_before: tuple[int, ...] = (90, 30, 14, 7, 1)
    remind_on_due_day: bool = True
    overdue_every_days: int = 7
    escalate_after_days_overdue: int = 28
    nudge_after_days_without_update: int = 60

    @property
    def earliest_days_before(self) -> int:
        return max(self.days_before, default=0)


DEFAULT_POLICY = Policy()


class Audience(enum.StrEnum):
    OWNERS = "owners"  # the holders of the action's owner roles
    BOARD_CHAIR = "board chair"  # the holder of the organisation's board chair role


@dataclass(frozen=True)
class DueReminder:
    kind: str  # "before_30", "due_today", "overdue", "escalation" or "nudge"
    target_date: date  # the day this reminder belongs to; part of its outbox key
    audience: Audience = Audience.OWNERS


@dataclass(frozen=True)
class ActionFacts:
    """What the policy needs to know about an action: no database, no Flask."""

    due_on: date
    status: Status
    last_activity_on: date  # the day of its latest update, or of its creation


def reminder_due(due_on: date, today: date, policy: Policy = DEFAULT_POLICY) -> DueReminder | None:
    """The latest deadline reminder whose day has come, or None before the first one."""
    days_late = (today - due_on).days
    if days_late >= 0:
        every = policy.overdue_every_days
        if every and days_late >= every:
            return DueReminder("overdue", due_on + timedelta(days=days_late // every * every))
        if policy.remind_on_due_day:
            return DueReminder("due_today", due_on)
    for days_before in sorted(policy.days_before):  # nearest the deadline first
        reminder_day = due_on - timedelta(days=days_before)
        if reminder_day <= today:
            return DueReminder(f"before_{days_before}", reminder_day)
    return None


def escalation_due(due_on: date, today: date, policy: Policy = DEFAULT_POLICY) -> DueReminder | None:
    """The escalation to the board chair, once per deadline, when the action is long overdue."""
    after = policy.escalate_after_days_overdue
    if not after or (today - due_on).days < after:
        return None
    return DueReminder("escalation", due_on + timedelta(days=after), Audience.BOARD_CHAIR)


def nudge_due(facts: ActionFacts, today: date, policy: Policy = DEFAULT_POLICY) -> DueReminder | None:
    """The latest nudge for an action in progress that has gone quiet (before its deadline)."""
    every = policy.nudge_after_days_without_update
    if not every or facts.status is not Status.IN_PROGRESS or today > facts.due_on:
        return None
    quiet_days = (today - facts.last_activity_on).days
    if quiet_days < every:
        return None
    return DueReminder("nudge", facts.last_activity_on + timedelta(days=quiet_days // every * every))


def reminders_due(facts: ActionFacts, today: date, policy: Policy = DEFAULT_POLICY) -> list[DueReminder]:
    """Every reminder that applies to the action on `today`: at most one of each kind, the latest."""
    if facts.status.is_closed:
        return []
    candidates = (
        reminder_due(facts.due_on, today, policy),
        escalation_due(facts.due_on, today, policy),
        nudge_due(facts, today, policy),
    )
    return [reminder for reminder in candidates if reminder is not None]


def digest_day(today: date, weekday: int) -> date:
    """The latest `weekday` on or before `today`: the day this week's digest belongs to."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def policy_from(row: ReminderPolicy | None) -> Policy:
    if row is None:
        return DEFAULT_POLICY
    return Policy(
        days_before=tuple(sorted(set(row.days_before), reverse=True)),
        remind_on_due_day=row.remind_on_due_day,
        overdue_every_days=row.overdue_every_days,
        escalate_after_days_overdue=row.escalate_after_days_overdue,
        nudge_after_days_without_update=row.nudge_after_days_without_update,
    )


def policy_for(organisation: Organisation) -> Policy:
    return policy_from(db.session.scalar(select(ReminderPolicy).filter_by(organisation_id=organisation.id)))


def save_policy(organisation: Organisation, policy: Policy, *, actor: Actor) -> ReminderPolicy:
    """Change when an organisation's reminders go out; what is due next follows at once."""
    if any(not 1 <= days <= 366 for days in policy.days_before):
        raise ServiceError("Days before the deadline must each be between 1 and 366.")
    for value, what in (
        (policy.overdue_every_days, "Days between overdue reminders"),
        (policy.escalate_after_days_overdue, "Days overdue before escalation"),
        (policy.nudge_after_days_without_update, "Days without an update before a nudge"),
    ):
        if not 0 <= value <= 366:
            raise ServiceError(f"{what} must be between 0 (never) and 366.")
    row = db.session.scalar(select(ReminderPolicy).filter_by(organisation_id=organisation.id))
    before = _policy_dict(policy_from(row))
    if row is None:
        row = ReminderPolicy(organisation=organisation)
        db.session.add(row)
    row.days_before = sorted(set(policy.days_before), reverse=True)
    row.remind_on_due_day = policy.remind_on_due_day
    row.overdue_every_days = policy.overdue_every_days
    row.escalate_after_days_overdue = policy.escalate_after_days_overdue
    row.nudge_after_days_without_update = policy.nudge_after_days_without_update
    row.updated_at = utc_now()
    db.session.flush()
    audit.record(
        "reminder_policy.changed",
        row,
        actor=actor,
        organisation_id=organisation.id,
        before=before,
        after=_policy_dict(policy_from(row)),
    )
    return row


def _policy_dict(policy: Policy) -> dict:
    values = asdict(policy)
    values["days_before"] = list(policy.days_before)
    return values
