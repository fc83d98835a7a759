"""Reminders: decide what is due, queue it in the outbox, then deliver the outbox.

Deciding is a pure function (`reminders_due`) of an action's deadline, status and last
update, the organisation's `Policy` and a calendar date. It returns only the *latest*
reminder of each kind that applies, so a missed run never causes a burst of stale emails,
and running twice on a day queues nothing new: each email's outbox key is
(action, kind, target date, recipient). Changing a deadline changes the target dates, and
changing a role's holder changes the recipient, so either one changes what is due next.

Three reminders can apply to an open action on a day:
- the deadline reminder, to the holders of its owner roles: 90, 30, 14, 7 and 1 days before,
  on the day, then every 7 days while overdue;
- the escalation, to the holder of the board chair role, once the action is 28 days overdue;
- the nudge, to the owners, when an action in progress has had no update for 60 days (and
  every 60 days after that), while it is not yet overdue (overdue reminders chase it then).
People who chose a weekly digest get one summary per organisation on their chosen weekday
instead of single emails.

A run queues what is due (see services/notifications.py for the outbox), commits, then
delivers. Just before each reminder is sent, `reason_not_needed` asks the same pure function
whether it still applies, so one that waited out a mail server outage is cancelled rather
than sent late if the action was closed, a later reminder replaced it, or the role changed
hands meanwhile.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Action, ActionOwner, Contact, Organisation, Recommendation, Role, Status, utc_now
from ..models.notification import Notification, NotificationPreference, ReminderFrequency, ReminderPolicy
from . import ServiceError, audit, daily, notifications
from .partner_links import partner_link_for
from .audit import Actor

OPEN_STATUSES = tuple(status for status in Status if not status.is_closed)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- The policy, and the pure function that applies it --------------------------------------


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
    OWNERS = "owners"            # the holders of the action's owner roles
    BOARD_CHAIR = "board chair"  # the holder of the organisation's board chair role


@dataclass(frozen=True)
class DueReminder:
    kind: str          # "before_30", "due_today", "overdue", "escalation" or "nudge"
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
    candidates = (reminder_due(facts.due_on, today, policy), escalation_due(facts.due_on, today, policy),
                  nudge_due(facts, today, policy))
    return [reminder for reminder in candidates if reminder is not None]


def digest_day(today: date, weekday: int) -> date:
    """The latest `weekday` on or before `today`: the day this week's digest belongs to."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


# --- The organisation's policy ------------------------------------------------------------------


def policy_from(row: ReminderPolicy | None) -> Policy:
    if row is None:
        return DEFAULT_POLICY
    return Policy(days_before=tuple(sorted(set(row.days_before), reverse=True)),
                  remind_on_due_day=row.remind_on_due_day, overdue_every_days=row.overdue_every_days,
                  escalate_after_days_overdue=row.escalate_after_days_overdue,
                  nudge_after_days_without_update=row.nudge_after_days_without_update)


def policy_for(organisation: Organisation) -> Policy:
    return policy_from(db.session.scalar(select(ReminderPolicy).filter_by(organisation_id=organisation.id)))


def save_policy(organisation: Organisation, policy: Policy, *, actor: Actor) -> ReminderPolicy:
    """Change when an organisation's reminders go out; what is due next follows at once."""
    if any(not 1 <= days <= 366 for days in policy.days_before):
        raise ServiceError("Days before the deadline must each be between 1 and 366.")
    for value, what in ((policy.overdue_every_days, "Days between overdue reminders"),
                        (policy.escalate_after_days_overdue, "Days overdue before escalation"),
                        (policy.nudge_after_days_without_update, "Days without an update before a nudge")):
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
    audit.record("reminder_policy.changed", row, actor=actor, organisation_id=organisation.id,
                 before=before, after=_policy_dict(policy_from(row)))
    return row


def _policy_dict(policy: Policy) -> dict:
    values = asdict(policy)
    values["days_before"] = list(policy.days_before)
    return values


# --- Planning: who gets what today ------------------------------------------------------------


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
    claims: tuple = ()  # what this email takes care of (see services/daily.py)

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
    unaddressed: int = 0  # reminders due with nobody to send them to (the role has no holder)
    covered: int = 0  # due, but carried by an earlier email, or waiting for tomorrow's

    @property
    def emails(self) -> list[PlannedReminder | PlannedDigest | daily.PlannedBundle]:
        return [*self.reminders, *self.bundles, *self.digests]


def reminder_key(action: Action, reminder: DueReminder, recipient: Recipient) -> str:
    return f"reminder:{action.id}:{reminder.kind}:{reminder.target_date.isoformat()}:{recipient.email}"


def digest_key(organisation: Organisation, target_date: date, recipient: Recipient) -> str:
    return f"digest:{organisation.id}:{target_date.isoformat()}:{recipient.email}"


def local_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["TRACKER_TIMEZONE"])).date()


def plan_reminders(today: date) -> Plan:
    """Every email due on `today`, whether or not it is already in the outbox. Reads only."""
    policies = {row.organisation_id: policy_from(row) for row in db.session.scalars(select(ReminderPolicy))}
    every_policy = [DEFAULT_POLICY, *policies.values()]
    board_chairs = _board_chairs()
    plan = Plan()
    digests: dict[tuple[int, str], PlannedDigest] = {}
    actions = _actions_that_may_be_due(today, every_policy)
    preferences = _preferences(actions, board_chairs)

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
                chair = board_chairs.get(action.organisation_id)
                recipients = [recipient(chair.holder, (chair.name,))] if chair else []
            else:
                recipients = [recipient(contact, roles) for contact, roles in _holders(action)]
            if not recipients:
                plan.unaddressed += 1
            for person in recipients:
                if not person.wants_digest:
                    plan.reminders.append(
                        PlannedReminder(reminder_key(action, reminder, person), action, reminder, person, policy))
                    continue
                group = (action.organisation_id, person.email)
                if group not in digests:
                    target = digest_day(today, person.digest_weekday)
                    digests[group] = PlannedDigest(digest_key(action.organisation, target, person),
                                                   action.organisation, person, target)
                digests[group].items.append((action, reminder))
    plan.digests = list(digests.values())
    grouped = daily.group_by_day(plan.reminders, today)
    plan.reminders, plan.bundles = grouped.singles, grouped.bundles
    plan.covered = grouped.covered + grouped.deferred
    return plan


def _actions_that_may_be_due(today: date, every_policy: list[Policy]) -> list[Action]:
    horizon = today + timedelta(days=max(policy.earliest_days_before for policy in every_policy))
    may_be_due = Action.due_on <= horizon
    nudge_days = [policy.nudge_after_days_without_update for policy in every_policy
                  if policy.nudge_after_days_without_update]
    if nudge_days:
        # A day's slack either side of midnight; the pure function makes the exact call.
        quiet_since = datetime.combine(today - timedelta(days=min(nudge_days) - 1), datetime.min.time(),
                                       tzinfo=ZoneInfo("UTC"))
        last_activity = func.coalesce(Action.last_update_at, Action.created_at)
        may_be_due = or_(may_be_due, and_(Action.status == Status.IN_PROGRESS, last_activity <= quiet_since))
    return list(db.session.scalars(
        select(Action)
        .where(Action.status.in_(OPEN_STATUSES), may_be_due)
        .options(
            selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder),
            selectinload(Action.recommendation).selectinload(Recommendation.report),  # its name is in every email
            selectinload(Action.organisation),
        )
        .order_by(Action.due_on, Action.id)
    ))


def _board_chairs(organisation_id: int | None = None) -> dict[int, Role]:
    """Each organisation's board chair role that has a holder (the first, if several are marked)."""
    statement = select(Role).where(Role.is_board_chair.is_(True), Role.holder_id.is_not(None))
    if organisation_id is not None:
        statement = statement.where(Role.organisation_id == organisation_id)
    chairs: dict[int, Role] = {}
    for role in db.session.scalars(statement.options(selectinload(Role.holder)).order_by(Role.id)):
        chairs.setdefault(role.organisation_id, role)
    return chairs


def _holders(action: Action) -> list[tuple[Contact, tuple[str, ...]]]:
    """The people holding the action's owner roles, once each, with the roles they hold."""
    people: dict[str, tuple[Contact, list[str]]] = {}
    for role in action.owner_roles:
        if role.holder is not None and role.holder.email:
            people.setdefault(role.holder.email.strip().lower(), (role.holder, []))[1].append(role.name)
    return [(contact, tuple(roles)) for _, (contact, roles) in sorted(people.items())]


def _preferences(actions: list[Action], board_chairs: dict[int, Role]) -> dict[int, NotificationPreference]:
    contacts = [role.holder for action in actions for role in action.owner_roles if role.holder]
    contacts += [role.holder for role in board_chairs.values()]
    user_ids = {contact.user_id for contact in contacts if contact.user_id}
    if not user_ids:
        return {}
    return {preference.user_id: preference for preference in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids)))}


# --- Writing the emails ---------------------------------------------------------------------


def format_day(day: date) -> str:
    return day.strftime("%-d %B %Y")


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def action_label(action: Action) -> str:
    label = action.recommendation.full_name
    label = label[:1].upper() + label[1:]
    if action.title:
        title = action.title if len(action.title) <= 60 else action.title[:57].rstrip() + "..."
        label += f" ({title})"
    return label


def deadline_phrase(due_on: date, today: date) -> str:
    """'is due on 30 June 2026', 'is due today, 30 June 2026', 'was due on ... and is 9 days overdue'."""
    if today < due_on:
        return f"is due on {format_day(due_on)}"
    if today == due_on:
        return f"is due today, {format_day(due_on)}"
    return f"was due on {format_day(due_on)} and is {_days((today - due_on).days)} overdue"


def headline(action: Action, reminder: DueReminder, today: date) -> str:
    """The subject and first line: what is due, and when."""
    line = f"{action_label(action)} for {action.organisation.name} {deadline_phrase(action.due_on, today)}"
    if reminder.kind == "escalation":
        return f"Escalation: {line}"
    if reminder.kind == "nudge":
        quiet = (today - local_date(action.last_update_at or action.created_at)).days
        return f"{line}: no update for {_days(quiet)}"
    return line


def _quoted_list(names: tuple[str, ...]) -> str:
    quoted = [f"\u201c{name}\u201d" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _links(action: Action, recipient: Recipient) -> dict:
    base = current_app.config["BASE_URL"]
    return {
        "action_url": f"{base}/actions/{action.id}",
        "partner_link": partner_link(action, recipient.contact),
        "settings_url": f"{base}/account/notifications" if recipient.contact.user_id else None,
    }


def partner_link(action: Action, contact: Contact) -> str | None:
    """A signed link that lets a partner without an account update the action (None for people
    who sign in)."""
    return partner_link_for(action, contact)


def why_you_get_it(action: Action, reminder: DueReminder, recipient: Recipient, policy: Policy) -> str:
    organisation = action.organisation.name
    if reminder.audience is Audience.BOARD_CHAIR:
        return (f"You hold the role {_quoted_list(recipient.roles)} in {organisation}, and actions more than "
                f"{_days(policy.escalate_after_days_overdue)} overdue are escalated to the board chair.")
    return f"You hold the role {_quoted_list(recipient.roles)} in {organisation}, which owns this action."


def what_to_do(action: Action, reminder: DueReminder, today: date, policy: Policy) -> str:
    if reminder.kind == "escalation":
        owners = "; ".join(f"{role.name} ({role.holder.name})" if role.holder else f"{role.name} (no holder)"
                           for role in action.owner_roles) or "no owner"
        return (f"It is {_days((today - action.due_on).days)} overdue. Its owner is {owners}. "
                "Please raise it with them or at the next board meeting.")
    if reminder.kind == "nudge":
        return "There has been no update for a while. Please post a short update so the board can see progress."
    if today > action.due_on:
        return "Please post an update, mark it completed with evidence, or ask the board for more time."
    if today == action.due_on:
        return "The deadline is today. Please post an update or mark it completed with evidence."
    return f"The deadline is in {_days((action.due_on - today).days)}. Please keep its progress up to date."


def render_reminder(email: PlannedReminder, today: date) -> dict:
    """The outbox row for one reminder: subject, text and HTML bodies, and where it goes."""
    action, reminder = email.action, email.reminder
    subject = headline(action, reminder, today)
    context = dict(
        subject=subject, action=action, greeting=daily.greeting(email.recipient.contact),
        due_on=format_day(action.due_on),
        original_due_on=format_day(action.original_due_on) if action.original_due_on != action.due_on else None,
        last_update_on=format_day(local_date(action.last_update_at)) if action.last_update_at else None,
        owners="; ".join(role.name for role in action.owner_roles),
        what_to_do=what_to_do(action, reminder, today, email.policy),
        why=why_you_get_it(action, reminder, email.recipient, email.policy),
        organisation_name=action.organisation.name, service_name=current_app.config["SERVICE_NAME"],
        **_links(action, email.recipient),
    )
    return dict(
        key=email.key, organisation_id=action.organisation_id, action_id=action.id, kind=reminder.kind,
        target_date=reminder.target_date, recipient=email.recipient.email, subject=subject[:300],
        body_text=render_template("emails/reminder.txt", **context),
        body_html=render_template("emails/reminder.html", **context),
    )


def render_digest(email: PlannedDigest, today: date) -> dict:
    items = sorted(email.items, key=lambda item: (item[0].due_on, item[0].id, item[1].kind))
    overdue = {action.id for action, _ in items if action.due_on < today}
    upcoming = sorted({action.id: action.due_on for action, _ in items if action.due_on >= today}.values())
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} overdue")
    if upcoming:
        parts.append(f"{len(upcoming)} due, the next on {format_day(upcoming[0])}")
    subject = f"Your weekly summary for {email.organisation.name}: {', '.join(parts)}"
    lines = [dict(headline=headline(action, reminder, today), action=action,
                  **_links(action, email.recipient)) for action, reminder in items]
    base = current_app.config["BASE_URL"]
    context = dict(
        subject=subject, lines=lines, greeting=daily.greeting(email.recipient.contact),
        organisation_name=email.organisation.name, weekday=WEEKDAYS[email.recipient.digest_weekday],
        settings_url=f"{base}/account/notifications", service_name=current_app.config["SERVICE_NAME"],
    )
    return dict(
        key=email.key, organisation_id=email.organisation.id, action_id=None, kind="digest",
        target_date=email.target_date, recipient=email.recipient.email, subject=subject[:300],
        body_text=render_template("emails/digest.txt", **context),
        body_html=render_template("emails/digest.html", **context),
    )


# --- Still needed when its turn comes? ----------------------------------------------------------


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
    reminder = next((due for due in reminders_due(facts, today, policy_for(action.organisation))
                     if (due.kind, due.target_date) == (notification.kind, notification.target_date)), None)
    if reminder is None:
        return "Not needed: a later reminder replaced it, or the deadline changed."
    if reminder.audience is Audience.BOARD_CHAIR:
        chair = _board_chairs(action.organisation_id).get(action.organisation_id)
        holders = {chair.holder.email.strip().lower()} if chair else set()
    else:
        holders = {contact.email.strip().lower() for contact, _ in _holders(action)}
    if notification.recipient not in holders:
        return "Not needed: the recipient no longer holds the role."
    return None


def _is_reminder_kind(kind: str) -> bool:
    return kind.startswith("before_") or kind in ("due_today", "overdue", "escalation", "nudge")


# --- A run ------------------------------------------------------------------------------------


@dataclass
class RunResult:
    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0   # due, but already in the outbox, or with nobody to send it to
    retrying: int = 0  # failed for a reason that may pass; the outbox tries again later
    cancelled: int = 0  # queued earlier but no longer needed when their turn came

    def describe(self) -> str:
        return (f"Queued {self.queued}, sent {self.sent}, failed {self.failed}, skipped {self.skipped}"
                + (f", {self.retrying} to retry" if self.retrying else "")
                + (f", {self.cancelled} no longer needed" if self.cancelled else ""))


QUEUE_BATCH = 500  # emails rendered and inserted at a time: few statements, bounded memory


def queue_reminders(today: date, *, actor: Actor = "scheduler") -> RunResult:
    """Put every email due on `today` in the outbox; keys already there are left alone. Flushes."""
    plan = plan_reminders(today)
    result = RunResult(skipped=plan.unaddressed + plan.covered)
    emails = plan.emails
    already_queued = notifications.existing_keys([email.key for email in emails])
    to_queue = daily.claim([email for email in emails if email.key not in already_queued])
    result.skipped += len(emails) - len(to_queue)
    queued: dict[int, list[int]] = defaultdict(list)
    organisations: dict[int, Organisation] = {}
    for start in range(0, len(to_queue), QUEUE_BATCH):
        batch = to_queue[start:start + QUEUE_BATCH]
        new_ids = notifications.queue([_render(email, today) for email in batch])
        for email in batch:
            notification_id = new_ids.pop(email.key, None)
            if notification_id is None:  # queued by another run since we looked
                daily.release([email.key])
                result.skipped += 1
                continue
            result.queued += 1
            queued[email.organisation.id].append(notification_id)
            organisations[email.organisation.id] = email.organisation
    for organisation_id, notification_ids in queued.items():
        audit.record("reminders.queued", organisations[organisation_id], actor=actor, organisation_id=organisation_id,
                     after={"date": today.isoformat(), "count": len(notification_ids),
                            "notification_ids": notification_ids})
    db.session.flush()
    return result


def _render(email: PlannedReminder | PlannedDigest | daily.PlannedBundle, today: date) -> dict:
    if isinstance(email, PlannedDigest):
        return render_digest(email, today)
    if isinstance(email, daily.PlannedBundle):
        return daily.render_bundle(email, today)
    return render_reminder(email, today)


def send_reminders(today: date, *, dry_run: bool = False, actor: Actor = "scheduler") -> RunResult:
    """One reminder run as of `today`: queue what is due, commit, then deliver the outbox.

    It commits (the queue first, then each email as it goes) because an email may leave only
    once its outbox row is committed. A dry run counts what would be queued and writes nothing.
    """
    if dry_run:
        plan = plan_reminders(today)
        already_queued = notifications.existing_keys([email.key for email in plan.emails])
        new = sum(1 for email in plan.emails if email.key not in already_queued)
        db.session.rollback()
        return RunResult(queued=new, skipped=plan.unaddressed + plan.covered + len(plan.emails) - new)
    result = queue_reminders(today, actor=actor)
    db.session.commit()
    delivered = notifications.deliver_pending(today=today, actor=actor)
    result.sent, result.failed, result.retrying = delivered.sent, delivered.failed, delivered.retrying
    result.cancelled = delivered.cancelled
    return result
