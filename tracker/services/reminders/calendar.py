"""Private calendar feeds: a person's deadlines in their own calendar app (iCalendar).

A feed address carries a random token and works without signing in, because calendar apps
cannot sign in. So the token is the secret: only its SHA-256 is stored, it is shown once,
making a new one revokes the old, and a revoked token answers 404 like any unknown address.
The feed lists only actions in organisations the person is still a member of.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Action, ActionOwner, Contact, Membership, Recommendation, Role, Status, User, utc_now
from tracker.models.board import CalendarFeed
from tracker.services import audit


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    token: str  # shown once; only its hash is kept


def active_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).filter_by(user_id=user.id, revoked_at=None))


def create_feed(user: User) -> NewFeed:
    """A new private feed address for `user`; any earlier one stops working."""
    replaced = revoke_feed(user, reason="replaced")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, token_sha256=_hash(token))
    db.session.add(feed)
    db.session.flush()
    audit.record(
        "calendar_feed.created",
        feed,
        actor=user,
        organisation_id=None,
        after={"user": user.email, "replaced_feed_id": replaced.id if replaced else None},
    )
    return NewFeed(feed, token)


def revoke_feed(user: User, *, reason: str = "revoked") -> CalendarFeed | None:
    """Stop `user`'s feed address working; returns the revoked feed, or None if there was none."""
    feed = active_feed(user)
    if feed is None:
        return None
    feed.revoked_at = utc_now()
    db.session.flush()
    audit.record(
        "calendar_feed.revoked",
        feed,
        actor=user,
        organisation_id=None,
        before={"revoked_at": None},
        after={"revoked_at": feed.revoked_at.isoformat(), "reason": reason},
    )
    return feed


def user_for_token(token: str) -> User | None:
    """The active user whose feed token this is, or None (unknown, revoked, or user deactivated)."""
    if not token or len(token) > 200:
        return None
    feed = db.session.scalar(
        select(CalendarFeed)
        .filter_by(token_sha256=_hash(token), revoked_at=None)
        .options(selectinload(CalendarFeed.user))
    )
    if feed is None or not feed.user.active:
        return None
    return feed.user


def deadlines_for(user: User) -> list[Action]:
    """Open actions owned by a role `user` holds or deputises for, in organisations they belong to."""
    held_roles = (
        select(Role.id)
        .join(Contact, or_(Contact.id == Role.holder_id, Contact.id == Role.deputy_id))
        .where(
            Contact.user_id == user.id,
            Role.organisation_id.in_(select(Membership.organisation_id).filter_by(user_id=user.id)),
        )
    )
    return list(
        db.session.scalars(
            select(Action)
            .where(
                Action.status.in_(Status.OPEN),
                Action.id.in_(select(ActionOwner.action_id).where(ActionOwner.role_id.in_(held_roles))),
            )
            .options(
                selectinload(Action.recommendation).selectinload(Recommendation.report),
                selectinload(Action.organisation),
            )
            .order_by(Action.due_on, Action.id)
        )
    )


def ics_for(user: User, actions: list[Action], *, action_url, host: str, now: datetime | None = None) -> bytes:
    """An iCalendar file with one all-day event per deadline. `action_url(action)` gives a link."""
    stamp = now or utc_now()
    calendar = Calendar()
    calendar.add("prodid", "-//Inspection recommendation tracker//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Deadlines for {user.name}")
    for action in actions:
        event = Event()
        recommendation = action.recommendation
        event.add("uid", f"action-{action.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", action.due_on)
        event.add("dtend", action.due_on + timedelta(days=1) if action.due_on < date.max else action.due_on)
        event.add("summary", f"Due: recommendation {recommendation.number}, {action.organisation.name}")
        link = action_url(action)
        event.add(
            "description",
            f"{action.description}\n\nReport: {recommendation.report.title}\nStatus: {action.status.label}\n{link}",
        )
        event.add("url", link)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
