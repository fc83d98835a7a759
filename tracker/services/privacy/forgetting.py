"""Forgetting a person: their name, email and sign-in records go; the record of what they did
stays, credited to "a former member of staff (#id)".

Their roles are handed over as removing them from an organisation does (services/people/members.py),
their sessions, API tokens and calendar feeds end, and then every text column of every table
is searched for their email address, so no row anywhere (outbox, audit values, invitations,
reset links, partner links, tables added later) still holds it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import JSON, Enum, String, Text, cast, delete, func, select, update

from tracker.extensions import db
from tracker.models import (
    AccessLevel,
    ApiToken,
    AuditEvent,
    Contact,
    Membership,
    Notification,
    NotificationStatus,
    Organisation,
    Role,
    SignInAttempt,
    User,
    utc_now,
)
from tracker.models.board import CalendarFeed
from tracker.models.notification import NotificationPreference
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor
from tracker.services.people import members as people
from tracker.services.people.organisations import user_by_email

SIGN_IN_EVENTS = (
    "user.sign_in_failed",
    "user.signed_in",
    "user.signed_in_with_link",
    "user.signed_in_with_sso",
    "user.signed_out",
    "user.password_reset_requested",
)
SHORTEST_NAME = 6  # names shorter than this (and without a space) are not searched for in free text


def former_label(user_id: int) -> str:
    return f"a former member of staff (#{user_id})"


def placeholder_email(user_id: int) -> str:
    """Stands in the email columns, which must stay unique; `.invalid` can never receive mail."""
    return f"former-member-{user_id}@forgotten.invalid"


def person_by_email(email: str) -> User:
    user = user_by_email(email.strip().lower()) if email and email.strip() else None
    if user is None or user.forgotten_at is not None:
        raise ServiceError(f"Nobody with the email address {email.strip() or '(none)'} has an account.")
    return user


def refusal(user: User, *, actor: Actor, organisation: Organisation | None = None) -> str | None:
    """Why this person cannot be forgotten now, or None."""
    if user.forgotten_at is not None:
        return "This person has already been forgotten. Nothing was changed."
    if isinstance(actor, User) and actor.id == user.id:
        return "You cannot forget yourself. Ask another administrator to do it."
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    if organisation is not None:
        elsewhere = [m.organisation.name for m in memberships if m.organisation_id != organisation.id]
        if elsewhere:
            return (
                f"{user.name} also has access to {', '.join(sorted(elsewhere))}. Remove them from {organisation.name} "
                "instead, or ask a system administrator to forget them everywhere from the command line."
            )
    for membership in memberships:
        if (
            membership.access_level is AccessLevel.ADMIN
            and db.session.execute(
                select(func.count())
                .select_from(Membership)
                .where(
                    Membership.organisation_id == membership.organisation_id,
                    Membership.access_level == AccessLevel.ADMIN,
                )
            ).scalar_one()
            <= 1
        ):
            return (
                f"{user.name} is the last administrator of {membership.organisation.name}. "
                "Make someone else an administrator first."
            )
    return None


def forget(
    user: User,
    *,
    actor: Actor,
    organisation: Organisation | None = None,
    handovers: dict[int, int | None] | None = None,
) -> str:
    """Forget `user` everywhere (the caller commits). `organisation`: done from that
    organisation's People page, which is refused if the person has access elsewhere.
    `handovers` (role id -> user id, or None for unheld) as for removal; roles not named are
    left unheld. Returns the label their records now carry."""
    reason = refusal(user, actor=actor, organisation=organisation)
    if reason:
        raise ServiceError(reason)
    email, name, label = user.email.strip().lower(), user.name.strip(), former_label(user.id)
    for membership in list(user.memberships):
        roles = [
            person.roles
            for person in people.people_in(membership.organisation)
            if person.membership.id == membership.id
        ][0]
        chosen = {role.id: (handovers or {}).get(role.id) for role in roles}
        people.remove(membership.organisation, membership, chosen, actor=actor)
    _leave_contact_roles(user, email, actor)
    for contact in db.session.scalars(
        select(Contact).where((Contact.user_id == user.id) | (func.lower(Contact.email) == email))
    ):
        contact.name, contact.email = label, placeholder_email(user.id)
    for model in (ApiToken, CalendarFeed, NotificationPreference):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.execute(delete(SignInAttempt).where(func.lower(SignInAttempt.key).contains(email, autoescape=True)))
    db.session.execute(
        delete(AuditEvent).where(
            AuditEvent.event.in_(SIGN_IN_EVENTS),
            (AuditEvent.actor_id == user.id)
            | ((AuditEvent.subject_type == "User") & (AuditEvent.subject_id == user.id)),
        )
    )
    _close_their_emails(email)
    db.session.execute(
        update(AuditEvent)
        .where((AuditEvent.actor_id == user.id) | (func.lower(AuditEvent.actor_label) == email))
        .values(actor_label=label)
    )
    user.name, user.email = label, placeholder_email(user.id)
    user.password_hash = user.sso_subject = user.last_signed_in_at = None
    user.active, user.session_token, user.forgotten_at = False, secrets.token_hex(16), utc_now()
    db.session.flush()
    replace_everywhere({email: label})
    if _searchable(name):  # not in users or contacts: someone else may have the same name
        replace_everywhere({name: label}, skip_tables=("users", "contacts"))
    db.session.expire_all()
    audit.record(
        "user.forgotten",
        user,
        actor=actor,
        organisation_id=organisation.id if organisation else None,
        after={"person": label},
    )
    return label


def _searchable(name: str) -> bool:
    return len(name) >= SHORTEST_NAME or " " in name


def _leave_contact_roles(user: User, email: str, actor: Actor) -> None:
    """Roles held or deputised through a contact record outside their memberships (a partner
    address, another organisation) are left unheld, as removal leaves them."""
    contacts = select(Contact.id).where((Contact.user_id == user.id) | (func.lower(Contact.email) == email))
    for role in db.session.scalars(select(Role).where(Role.holder_id.in_(contacts) | Role.deputy_id.in_(contacts))):
        for kind in ("holder", "deputy"):
            contact = getattr(role, kind)
            if contact is not None and (contact.user_id == user.id or contact.email.lower() == email):
                if kind == "holder":
                    for tenure in role.tenures:
                        tenure.ended_at = tenure.ended_at or utc_now()
                setattr(role, kind, None)
                event = "role.holder_changed" if kind == "holder" else "role.deputy_changed"
                audit.record(
                    event,
                    role,
                    actor=actor,
                    organisation_id=role.organisation_id,
                    before={kind: contact.email},
                    after={kind: None},
                )


def _close_their_emails(email: str) -> None:
    """Emails to them: those not sent yet will not go, and no text of any is kept."""
    to_them = func.lower(Notification.recipient) == email
    db.session.execute(
        update(Notification)
        .where(to_them, Notification.status == NotificationStatus.PENDING)
        .values(status=NotificationStatus.CANCELLED)
    )
    db.session.execute(update(Notification).where(to_them).values(body_text="", body_html=""))


def replace_everywhere(replacements: dict[str, str], *, skip_tables: tuple[str, ...] = ()) -> int:
    """Replace each text (any case) in every text and JSON column of every table. Returns how
    many rows changed. Enumerations, dates and file bytes are not text and are left alone."""
    patterns = [
        (needle.lower(), re.compile(re.escape(needle), re.IGNORECASE), value)
        for needle, value in replacements.items()
        if needle
    ]
    changed = 0
    for table in db.metadata.sorted_tables:
        if table.name in skip_tables:
            continue
        keys = list(table.primary_key.columns)
        for column in table.columns:
            is_json = isinstance(column.type, JSON)
            if not is_json and (not isinstance(column.type, (String, Text)) or isinstance(column.type, Enum)):
                continue
            searched = func.lower(cast(column, Text)) if is_json else func.lower(column)
            for needle, pattern, value in patterns:
                rows = db.session.execute(select(*keys, column).where(searched.contains(needle, autoescape=True))).all()
                for row in rows:
                    new = _replaced(row[-1], pattern, value)
                    db.session.execute(
                        update(table).where(*(key == row[i] for i, key in enumerate(keys))).values({column.name: new})
                    )
                    changed += 1
    return changed


def _replaced(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, dict):
        return {key: _replaced(item, pattern, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, pattern, replacement) for item in value]
    return value
