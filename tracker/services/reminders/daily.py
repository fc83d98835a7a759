"""One email a day per person: the reminders due to someone on a day travel together.

`reminders.plan_reminders` decides every reminder due today, one per action, kind and
person. This module groups them by person:

- someone with one reminder due gets it as before, on its own;
- someone with several gets one email listing them all (kind "daily"), escalations to the
  board chair included;
- the first time reminders come for actions nobody has been reminded about yet (a report was
  just imported, perhaps one whose deadlines passed long ago) the email is a summary of what
  the person now owns and what is already overdue (kind "summary");
- people who chose "every reminder as its own email" get single emails as before, and people
  who chose a weekly digest keep it (see reminders.py).

The outbox guarantees hold: an email that carries reminders claims each reminder's own key
and the person's day (`NotificationClaim`, both unique) in the same transaction as it is
queued, so a reminder never goes twice, and a second run that day sends that person nothing
more. Reminders that come up after the day's email has gone are not lost: they are still due
tomorrow (the policy returns the latest reminder that applies) and go then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from tracker.extensions import db
from tracker.models import Contact, Notification, Organisation, utc_now
from tracker.models.notification import NotificationClaim
from tracker.services.dml import insert_for

if TYPE_CHECKING:
    from tracker.services.reminders.schedule import PlannedReminder, Recipient

Claim = tuple[str, "int | None"]  # (key, action id)


@dataclass
class PlannedBundle:
    """One email carrying several reminders for one person on one day."""

    key: str
    recipient: Recipient
    target_date: date
    items: list[PlannedReminder]
    first_run: bool
    claims: tuple[Claim, ...] = field(default_factory=tuple)
    # Hand-offs between people that join the day's email (see services/handoffs.py).
    handoffs: list = field(default_factory=list)

    @property
    def organisation(self) -> Organisation:
        return self.items[0].action.organisation if self.items else self.handoffs[0].organisation


def day_key(today: date, email: str) -> str:
    return f"day:{today.isoformat()}:{email}"


def bundle_key(today: date, email: str) -> str:
    return f"daily:{today.isoformat()}:{email}"


def greeting(contact: Contact | None) -> str | None:
    """ "Dear Hana Head," or None when we know no name (never one made from the address)."""
    if contact is None:
        return None
    name = (contact.name or "").strip()
    local_part = (contact.email or "").partition("@")[0].strip().lower()
    if not name or "@" in name or name.lower() == local_part:
        return None
    return f"Dear {name},"


# --- Grouping ------------------------------------------------------------------------------


@dataclass
class Grouped:
    singles: list[PlannedReminder]
    bundles: list[PlannedBundle]
    covered: int = 0  # due, but already carried by an earlier email
    deferred: int = 0  # due, but the person had today's email already: they go tomorrow


def group_by_day(reminders: list[PlannedReminder], today: date) -> Grouped:
    """Turn each person's reminders due today into at most one email. Reads only."""
    grouped = Grouped(singles=[], bundles=[])
    order = {planned.key: index for index, planned in enumerate(reminders)}
    by_person: dict[str, list[PlannedReminder]] = defaultdict(list)
    for planned in reminders:
        if planned.recipient.wants_single:
            grouped.singles.append(planned)
        else:
            by_person[planned.recipient.email].append(planned)
    if not by_person:
        return grouped
    # (the singles are put back in the planned order at the end)
    item_keys = [planned.key for items in by_person.values() for planned in items]
    claimed = claimed_keys([*item_keys, *(day_key(today, email) for email in by_person)])
    queued = _queued(item_keys)
    reminded = reminded_actions({planned.action.id for items in by_person.values() for planned in items})
    for email, items in sorted(by_person.items()):
        fresh = [planned for planned in items if planned.key not in claimed and planned.key not in queued]
        grouped.covered += len(items) - len(fresh)
        if not fresh:
            continue
        day = day_key(today, email)
        if day in claimed:
            grouped.deferred += len(fresh)
            continue
        item_claims = tuple((planned.key, planned.action.id) for planned in fresh)
        if len(fresh) == 1:
            grouped.singles.append(replace(fresh[0], claims=((day, None), *item_claims)))
            continue
        first_run = any(planned.action.id not in reminded for planned in fresh)
        grouped.bundles.append(
            PlannedBundle(
                bundle_key(today, email), fresh[0].recipient, today, fresh, first_run, ((day, None), *item_claims)
            )
        )
    grouped.singles.sort(key=lambda planned: order[planned.key])
    return grouped


def claimed_keys(keys: list[str]) -> set[str]:
    """Which of these claim keys (a reminder, or a person's day) an outbox row has already taken."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            db.session.scalars(
                select(NotificationClaim.key).where(NotificationClaim.key.in_(keys[start : start + 500]))
            )
        )
    return found


def _queued(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            db.session.scalars(select(Notification.key).where(Notification.key.in_(keys[start : start + 500])))
        )
    return found


def reminded_actions(action_ids: set[int]) -> set[int]:
    """Which of these actions have had a reminder queued before, on its own or in a bundle."""
    ids = sorted(action_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(db.session.scalars(select(Notification.action_id).where(Notification.action_id.in_(chunk))))
        found.update(
            db.session.scalars(select(NotificationClaim.action_id).where(NotificationClaim.action_id.in_(chunk)))
        )
    return found


# --- Claiming, in the transaction that queues the emails ---------------------------------------


def claim(emails: list) -> list:
    """Insert every email's claims; return the emails whose claims were all still free.

    Runs before the emails are queued, in the same transaction. On PostgreSQL a second run
    inserting the same key waits for the first to commit and then finds it taken, so the
    email it planned is dropped (and the claims it did get are given back).
    """
    wanted = [(email, tuple(getattr(email, "claims", ()))) for email in emails]
    rows = [
        {"key": key, "notification_key": email.key, "action_id": action_id, "created_at": utc_now()}
        for email, claims in wanted
        for key, action_id in claims
    ]
    if not rows:
        return emails
    dialect = db.session.get_bind().dialect.name
    insert = insert_for(dialect)
    taken: set[str] = set()
    for start in range(0, len(rows), 500):
        statement = (
            insert(NotificationClaim).on_conflict_do_nothing(index_elements=["key"]).returning(NotificationClaim.key)
        )
        taken.update(db.session.scalars(statement, rows[start : start + 500]))
    kept, given_back = [], []
    for email, claims in wanted:
        if all(key in taken for key, _ in claims):
            kept.append(email)
        else:
            given_back += [key for key, _ in claims if key in taken]
    if given_back:
        db.session.execute(delete(NotificationClaim).where(NotificationClaim.key.in_(given_back)))
    return kept


def release(notification_keys: list[str]) -> None:
    """Give back the claims of emails that were not queued after all (another run queued them)."""
    if notification_keys:
        db.session.execute(delete(NotificationClaim).where(NotificationClaim.notification_key.in_(notification_keys)))
