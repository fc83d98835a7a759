"""Hand-offs between people that join the day's email.

Three things wait for someone other than the person who did them:
- a request for more time, or an action marked completed, waits for the board: the holder
  of the board chair role and the organisation's board members are told;
- an action signed off as verified is news for its owners, with the board's note;
- actions nobody will hear about (services/reminders/unheard.py) are for the organisation's admins and
  managers to sort out on the Roles page (once per set of such actions).

Like reminders, a hand-off is found by the daily run, not queued when it happens: each one
has a key per person (`handoff:...:EMAIL`) that the email carrying it claims, so it is told
once. It joins the person's one email of the day (services/reminders/daily.py); when that has already
gone, it waits for tomorrow's. People who chose "every reminder as its own email" get each
hand-off on its own, at once (`send_singles_now`, called when the hand-off happens).

What must be acted on today (a decision on your own request, a send-back) does not wait for
the day's email: see services/owner_emails.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.clock import long_date
from tracker.extensions import db
from tracker.models import (
    AccessLevel,
    Action,
    ActionOwner,
    Contact,
    DeadlineChange,
    DeadlineChangeStatus,
    Membership,
    Organisation,
    Recommendation,
    Role,
    Status,
    User,
    utc_now,
)
from tracker.models.notification import Notification, NotificationClaim, NotificationPreference, ReminderFrequency
from tracker.services import outbox
from tracker.services.reminders import daily
from tracker.services.reminders.schedule import Plan, Recipient, board_chairs, holders_of
from tracker.services.reminders.unheard import unheard_sets

BOARD, SIGNED_OFF, UNHEARD = "board", "signed_off", "unheard"
SECTION_TITLES = {
    BOARD: "Waiting for the board",
    SIGNED_OFF: "Signed off by the board",
    UNHEARD: "Actions nobody will be reminded about",
}
SIGNED_OFF_NEWS_DAYS = 14  # a sign-off older than this is no longer news


@dataclass(frozen=True)
class Handoff:
    key: str
    organisation: Organisation
    recipient: Recipient
    section: str
    headline: str
    detail: str
    url: str
    claims: tuple = ()  # sent on its own, the outbox key itself keeps it from going twice

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]


def _label(action: Action) -> str:
    label = action.recommendation.full_name
    label = label[:1].upper() + label[1:]
    if action.title:
        label += f" ({action.title if len(action.title) <= 60 else action.title[:57].rstrip() + '...'})"
    return label


# --- Who hears -------------------------------------------------------------------------------


class _People:
    """Recipients built once per run, with their saved preference."""

    def __init__(self) -> None:
        self.preferences: dict[int, NotificationPreference] = {
            preference.user_id: preference for preference in db.session.scalars(select(NotificationPreference))
        }

    def recipient(self, contact: Contact, roles: tuple[str, ...]) -> Recipient:
        preference = self.preferences.get(contact.user_id) if contact.user_id else None
        return Recipient(
            contact, roles, wants_single=preference is not None and preference.frequency is ReminderFrequency.SINGLE
        )

    def for_user(self, user: User, organisation: Organisation, why: str) -> Recipient:
        contact = db.session.scalar(
            select(Contact).filter_by(organisation_id=organisation.id, email=user.email.strip().lower())
        )
        # Not saved: a board member need not hold a role to be told what the board must decide.
        contact = contact or Contact(organisation_id=organisation.id, email=user.email, name=user.name, user_id=user.id)
        return self.recipient(contact, (why,))


def _members(organisation: Organisation, levels: tuple[AccessLevel, ...]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation.id,
                Membership.access_level.in_(levels),
                User.active.is_(True),
            )
            .order_by(User.email)
        )
    )


def board_recipients(organisation: Organisation, people: _People) -> list[Recipient]:
    """The board chair role's holder, then every board member, once each."""
    found: dict[str, Recipient] = {}
    chair = board_chairs(organisation.id).get(organisation.id)
    if chair is not None and chair.holder is not None and chair.holder.email:
        found[chair.holder.email.strip().lower()] = people.recipient(chair.holder, (chair.name,))
    for user in _members(organisation, (AccessLevel.BOARD,)):
        found.setdefault(user.email.strip().lower(), people.for_user(user, organisation, "board member"))
    return list(found.values())


# --- What is waiting -------------------------------------------------------------------------


def handoffs_due(organisation_ids: list[int] | None = None, *, now: datetime | None = None) -> list[Handoff]:
    """Every hand-off not yet told, whoever it is for. Reads only."""
    now = now or utc_now()
    people = _People()
    base = current_app.config["BASE_URL"]
    found: list[Handoff] = []
    organisations = list(
        db.session.scalars(
            select(Organisation)
            if organisation_ids is None
            else select(Organisation).where(Organisation.id.in_(organisation_ids))
        )
    )
    for organisation in organisations:
        found += _for_board(organisation, people, base)
        found += _signed_off(organisation, people, base, now)
    for unheard in unheard_sets(organisation_ids):
        organisation = unheard.organisation
        detail = "; ".join(_label(action) for action in unheard.actions[:10])
        if len(unheard.actions) > 10:
            detail += f"; and {len(unheard.actions) - 10} more"
        for user in _members(organisation, (AccessLevel.ADMIN, AccessLevel.MANAGER)):
            person = people.for_user(user, organisation, "admin or manager")
            found.append(
                Handoff(
                    f"handoff:unheard:{organisation.id}:{unheard.fingerprint}:{person.email}",
                    organisation,
                    person,
                    UNHEARD,
                    f"{unheard.describe()}. Give these roles a holder or a deputy on the Roles page",
                    detail,
                    f"{base}/organisations/{organisation.slug}/roles",
                )
            )
    return _not_yet_told(found)


def _for_board(organisation: Organisation, people: _People, base: str) -> list[Handoff]:
    changes = list(
        db.session.scalars(
            select(DeadlineChange)
            .join(Action, Action.id == DeadlineChange.action_id)
            .where(Action.organisation_id == organisation.id, DeadlineChange.status == DeadlineChangeStatus.PENDING)
            .options(
                selectinload(DeadlineChange.action)
                .selectinload(Action.recommendation)
                .selectinload(Recommendation.report),
                selectinload(DeadlineChange.requested_by),
            )
            .order_by(DeadlineChange.requested_at)
        )
    )
    completed = list(
        db.session.scalars(
            select(Action)
            .where(Action.organisation_id == organisation.id, Action.status == Status.COMPLETED)
            .options(selectinload(Action.recommendation).selectinload(Recommendation.report))
            .order_by(Action.completed_at, Action.id)
        )
    )
    if not changes and not completed:
        return []
    url = f"{base}/organisations/{organisation.slug}/board/decisions"
    found = []
    for person in board_recipients(organisation, people):
        for change in changes:
            who = change.requested_by.name if change.requested_by else "An owner"
            also = ", and the recommendation's deadline to move with it" if change.moves_recommendation else ""
            found.append(
                Handoff(
                    f"handoff:deadline-request:{change.id}:{person.email}",
                    organisation,
                    person,
                    BOARD,
                    f"{_label(change.action)} for {organisation.name}: {who} asks for more time, from "
                    f"{long_date(change.due_on_before)} to {long_date(change.requested_due_on)}{also}",
                    f"Why: {change.reason}",
                    url,
                )
            )
        for action in completed:
            done = action.completed_at.isoformat() if action.completed_at else "unknown"
            found.append(
                Handoff(
                    f"handoff:sign-off:{action.id}:{done}:{person.email}",
                    organisation,
                    person,
                    BOARD,
                    f"{_label(action)} for {organisation.name} is marked completed and waits for the board's sign-off",
                    action.description[:200],
                    url,
                )
            )
    return found


def _signed_off(organisation: Organisation, people: _People, base: str, now: datetime) -> list[Handoff]:
    actions = list(
        db.session.scalars(
            select(Action)
            .where(
                Action.organisation_id == organisation.id,
                Action.status == Status.VERIFIED,
                Action.verified_at >= now - timedelta(days=SIGNED_OFF_NEWS_DAYS),
            )
            .options(
                selectinload(Action.owners)
                .selectinload(ActionOwner.role)
                .options(selectinload(Role.holder), selectinload(Role.deputy)),
                selectinload(Action.updates),
                selectinload(Action.recommendation).selectinload(Recommendation.report),
            )
        )
    )
    found = []
    for action in actions:
        decision = next((update for update in action.updates if update.status_after is Status.VERIFIED), None)
        who = decision.author_name if decision else "The board"
        note = decision.note if decision else ""
        for contact, roles in holders_of(action):
            person = people.recipient(contact, roles)
            found.append(
                Handoff(
                    f"handoff:verified:{action.id}:{person.email}",
                    organisation,
                    person,
                    SIGNED_OFF,
                    f"{_label(action)} for {organisation.name} was signed off as verified by {who}",
                    f"The board's note: {note}" if note else "",
                    f"{base}/actions/{action.id}",
                )
            )
    return found


def _not_yet_told(found: list[Handoff]) -> list[Handoff]:
    keys = [handoff.key for handoff in found]
    told: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        told.update(db.session.scalars(select(NotificationClaim.key).where(NotificationClaim.key.in_(chunk))))
        told.update(db.session.scalars(select(Notification.key).where(Notification.key.in_(chunk))))
    return [handoff for handoff in found if handoff.key not in told]


# --- Into the day's email ----------------------------------------------------------------------


def join_day(plan: Plan, today: date) -> None:
    """Add today's hand-offs to the plan: into each person's one email of the day (a new one if
    they have none), or on their own for people who chose single emails. Reads only."""
    found = handoffs_due()
    plan.handoffs = [handoff for handoff in found if handoff.recipient.wants_single]
    by_email: dict[str, list[Handoff]] = defaultdict(list)
    for handoff in found:
        if not handoff.recipient.wants_single:
            by_email[handoff.recipient.email].append(handoff)
    if not by_email:
        return
    days_taken = daily.claimed_keys([daily.day_key(today, email) for email in by_email])
    bundles = {bundle.recipient.email: bundle for bundle in plan.bundles}
    singles = {
        planned.recipient.email: planned
        for planned in plan.reminders
        if any(key.startswith("day:") for key, _ in planned.claims)
    }
    reminded = daily.reminded_actions({planned.action.id for planned in singles.values()})
    for email, items in sorted(by_email.items()):
        day = daily.day_key(today, email)
        if day in days_taken:
            continue  # today's email has gone: they join tomorrow's
        claims = tuple((handoff.key, None) for handoff in items)
        if email in bundles:
            bundles[email].handoffs.extend(items)
            bundles[email].claims = (*bundles[email].claims, *claims)
        elif email in singles:
            single = singles[email]
            plan.reminders.remove(single)
            plan.bundles.append(
                daily.PlannedBundle(
                    daily.bundle_key(today, email),
                    single.recipient,
                    today,
                    [single],
                    single.action.id not in reminded,
                    (*single.claims, *claims),
                    items,
                )
            )
        else:
            plan.bundles.append(
                daily.PlannedBundle(
                    daily.bundle_key(today, email), items[0].recipient, today, [], False, ((day, None), *claims), items
                )
            )


def render_single(handoff: Handoff) -> dict:
    """The outbox row for one hand-off sent on its own."""
    subject = f"{handoff.section_title}: {handoff.headline}"
    context = dict(
        subject=subject,
        handoff=handoff,
        greeting=daily.greeting(handoff.recipient.contact),
        settings_url=(
            f"{current_app.config['BASE_URL']}/account/notifications" if handoff.recipient.contact.user_id else None
        ),
        service_name=current_app.config["SERVICE_NAME"],
    )
    return dict(
        key=handoff.key,
        organisation_id=handoff.organisation.id,
        action_id=None,
        kind="handoff",
        target_date=None,
        recipient=handoff.recipient.email,
        subject=subject[:300],
        body_text=render_template("emails/handoff.txt", **context),
        body_html=render_template("emails/handoff.html", **context),
    )


def send_singles_now(organisation: Organisation) -> None:
    """Queue the organisation's new hand-offs for people who chose single emails, to go straight
    after the commit. Everyone else hears in the day's email."""
    singles = [handoff for handoff in handoffs_due([organisation.id], now=utc_now()) if handoff.recipient.wants_single]
    for handoff in singles:
        row = render_single(handoff)
        outbox.send_after_commit(outbox.queue([row]).get(handoff.key))
