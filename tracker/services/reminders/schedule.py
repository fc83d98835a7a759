"""Planning a reminder run: who gets which email on a day, and, just before one is sent,
whether it is still needed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.clock import local_date
from tracker.extensions import db
from tracker.models import Action, ActionOwner, Contact, Organisation, Recommendation, Role, Status
from tracker.models.notification import Notification, NotificationPreference, ReminderFrequency, ReminderPolicy
from tracker.services.reminders import daily
from tracker.services.reminders.policy import (
    DEFAULT_POLICY,
    ActionFacts,
    Audience,
    DueReminder,
    Policy,
    digest_day,
    policy_for,
    policy_from,
    reminders_due,
)


@dataclass(frozen=True)
class Recipient:
    contact: Contact
    roles: tuple[str, ...]  # the roles that make them get it: part of "why you get this email"
    wants_digest: bool = False
    digest_weekday: int = 0
    wants_single: bool = False  # every reminder as its own email, not one email a day

    @property
    def email(self) -> str:
        return self.contact.email.strip().lower()


@dataclass(frozen=True)
class PlannedReminder:
    key: str
    action: Action
    reminder: DueReminder
    recipient: Recipient
    policy: Policy
    claims: tuple = ()  # what this email takes care of (see services/reminders/daily.py)

    @property
    def organisation(self) -> Organisation:
        return self.action.organisation


@dataclass
class PlannedDigest:
    key: str
    organisation: Organisation
    recipient: Recipient
    target_date: date
    items: list[tuple[Action, DueReminder]] = field(default_factory=list)


@dataclass
class Plan:
    reminders: list[PlannedReminder] = field(default_factory=list)
    digests: list[PlannedDigest] = field(default_factory=list)
    bundles: list[daily.PlannedBundle] = field(default_factory=list)
    handoffs: list = field(default_factory=list)  # hand-offs sent on their own (services/handoffs.py)
    unaddressed: int = 0  # reminders due with nobody to send them to (the role has no holder)
    unaddressed_actions: list[Action] = field(default_factory=list)  # the actions those were for
    covered: int = 0  # due, but carried by an earlier email, or waiting for tomorrow's

    @property
    def emails(self) -> list[PlannedReminder | PlannedDigest | daily.PlannedBundle]:
        return [*self.reminders, *self.bundles, *self.digests, *self.handoffs]


def reminder_key(action: Action, reminder: DueReminder, recipient: Recipient) -> str:
    return f"reminder:{action.id}:{reminder.kind}:{reminder.target_date.isoformat()}:{recipient.email}"


def digest_key(organisation: Organisation, target_date: date, recipient: Recipient) -> str:
    return f"digest:{organisation.id}:{target_date.isoformat()}:{recipient.email}"


def plan_reminders(today: date) -> Plan:
    """Every email due on `today`, whether or not it is already in the outbox. Reads only."""
    policies = {row.organisation_id: policy_from(row) for row in db.session.scalars(select(ReminderPolicy))}
    every_policy = [DEFAULT_POLICY, *policies.values()]
    chairs = board_chairs()
    plan = Plan()
    digests: dict[tuple[int, str], PlannedDigest] = {}
    actions = _actions_that_may_be_due(today, every_policy)
    preferences = _preferences(actions, chairs)

    def recipient(contact: Contact, roles: tuple[str, ...]) -> Recipient:
        preference = preferences.get(contact.user_id) if contact.user_id else None
        wants_digest = preference is not None and preference.frequency is ReminderFrequency.WEEKLY_DIGEST
        wants_single = preference is not None and preference.frequency is ReminderFrequency.SINGLE
        return Recipient(contact, roles, wants_digest, preference.digest_weekday if preference else 0, wants_single)

    for action in actions:
        policy = policies.get(action.organisation_id, DEFAULT_POLICY)
        facts = ActionFacts(action.due_on, action.status, local_date(action.last_update_at or action.created_at))
        for reminder in reminders_due(facts, today, policy):
            if reminder.audience is Audience.BOARD_CHAIR:
                chair = chairs.get(action.organisation_id)
                recipients = [recipient(chair.holder, (chair.name,))] if chair and chair.holder else []
            else:
                recipients = [recipient(contact, roles) for contact, roles in holders_of(action)]
            if not recipients:
                plan.unaddressed += 1
                if action not in plan.unaddressed_actions:
                    plan.unaddressed_actions.append(action)
            for person in recipients:
                if not person.wants_digest:
                    plan.reminders.append(
                        PlannedReminder(reminder_key(action, reminder, person), action, reminder, person, policy)
                    )
                    continue
                group = (action.organisation_id, person.email)
                if group not in digests:
                    target = digest_day(today, person.digest_weekday)
                    digests[group] = PlannedDigest(
                        digest_key(action.organisation, target, person), action.organisation, person, target
                    )
                digests[group].items.append((action, reminder))
    plan.digests = list(digests.values())
    grouped = daily.group_by_day(plan.reminders, today)
    plan.reminders, plan.bundles = grouped.singles, grouped.bundles
    plan.covered = grouped.covered + grouped.deferred
    return plan


def _actions_that_may_be_due(today: date, every_policy: list[Policy]) -> list[Action]:
    horizon = today + timedelta(days=max(policy.earliest_days_before for policy in every_policy))
    may_be_due = Action.due_on <= horizon
    nudge_days = [
        policy.nudge_after_days_without_update for policy in every_policy if policy.nudge_after_days_without_update
    ]
    if nudge_days:
        # A day's slack either side of midnight; the pure function makes the exact call.
        quiet_since = datetime.combine(today - timedelta(days=min(nudge_days) - 1), datetime.min.time(), tzinfo=UTC)
        last_activity = func.coalesce(Action.last_update_at, Action.created_at)
        may_be_due = or_(may_be_due, and_(Action.status == Status.IN_PROGRESS, last_activity <= quiet_since))
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.status.in_(Status.OPEN), may_be_due)
            .options(
                selectinload(Action.owners)
                .selectinload(ActionOwner.role)
                .options(selectinload(Role.holder), selectinload(Role.deputy)),
                selectinload(Action.recommendation).selectinload(Recommendation.report),  # its name is in every email
                selectinload(Action.organisation),
            )
            .order_by(Action.due_on, Action.id)
        )
    )


def board_chairs(organisation_id: int | None = None) -> dict[int, Role]:
    """Each organisation's board chair role that has a holder (the first, if several are marked)."""
    statement = select(Role).where(Role.is_board_chair.is_(True), Role.holder_id.is_not(None))
    if organisation_id is not None:
        statement = statement.where(Role.organisation_id == organisation_id)
    chairs: dict[int, Role] = {}
    for role in db.session.scalars(statement.options(selectinload(Role.holder)).order_by(Role.id)):
        chairs.setdefault(role.organisation_id, role)
    return chairs


def holders_of(action: Action) -> list[tuple[Contact, tuple[str, ...]]]:
    """The people holding the action's owner roles, once each, with the roles they hold.

    A role nobody holds reminds its deputy, if it has one, so that only actions with neither
    are left unheard (see services/reminders/unheard.py)."""
    people: dict[str, tuple[Contact, list[str]]] = {}
    for role in action.owner_roles:
        person = role.holder if role.holder is not None and role.holder.email else role.deputy
        if person is not None and person.email:
            people.setdefault(person.email.strip().lower(), (person, []))[1].append(role.name)
    return [(contact, tuple(roles)) for _, (contact, roles) in sorted(people.items())]


def _preferences(actions: list[Action], board_chairs: dict[int, Role]) -> dict[int, NotificationPreference]:
    contacts = [role.holder for action in actions for role in action.owner_roles if role.holder]
    contacts += [role.holder for role in board_chairs.values() if role.holder]
    user_ids = {contact.user_id for contact in contacts if contact.user_id}
    if not user_ids:
        return {}
    return {
        preference.user_id: preference
        for preference in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))
        )
    }


def reason_not_needed(notification: Notification, today: date) -> str | None:
    """Why a queued reminder should not go out any more, or None if it should.

    The outbox asks this just before sending each email, so an outage never ends in a burst
    of stale reminders: while the mail server was down the action may have been closed, a
    later reminder may have replaced this one (the days moved on, or the deadline changed),
    or someone else may hold the role now (they get their own). A reminder a manager asked
    to resend, and a weekly digest (it stands for its week), always go.
    """
    if notification.resend_requested_at is not None or notification.action_id is None:
        return None
    if not _is_reminder_kind(notification.kind):  # a message about an event (sent back, say) always goes
        return None
    action = db.session.get(Action, notification.action_id)
    if action is None or action.status.is_closed:
        status = action.status.label.lower() if action else "deleted"
        return f"Not needed: the action was {status} before this could be sent."
    facts = ActionFacts(action.due_on, action.status, local_date(action.last_update_at or action.created_at))
    reminder = next(
        (
            due
            for due in reminders_due(facts, today, policy_for(action.organisation))
            if (due.kind, due.target_date) == (notification.kind, notification.target_date)
        ),
        None,
    )
    if reminder is None:
        return "Not needed: a later reminder replaced it, or the deadline changed."
    if reminder.audience is Audience.BOARD_CHAIR:
        chair = board_chairs(action.organisation_id).get(action.organisation_id)
        holders = {chair.holder.email.strip().lower()} if chair and chair.holder else set()
    else:
        holders = {contact.email.strip().lower() for contact, _ in holders_of(action)}
    if notification.recipient not in holders:
        return "Not needed: the recipient no longer holds the role."
    return None


def _is_reminder_kind(kind: str) -> bool:
    return kind.startswith("before_") or kind in ("due_today", "overdue", "escalation", "nudge")
