"""Organisations, people, memberships and roles."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import (
    MEMBER_LEVELS,
    AccessLevel,
    Contact,
    Membership,
    Organisation,
    Role,
    RoleAlias,
    RoleTenure,
    User,
    utc_now,
)
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def create_organisation(slug: str, name: str, *, actor: Actor) -> Organisation:
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise ServiceError("A slug uses lower-case letters, digits and single hyphens, e.g. leicester-city-yos.")
    if db.session.scalar(select(Organisation.id).filter_by(slug=slug)) is not None:
        raise ServiceError(f"An organisation with the slug {slug!r} already exists.")
    organisation = Organisation(slug=slug, name=name.strip())
    db.session.add(organisation)
    db.session.flush()
    audit.record(
        "organisation.created",
        organisation,
        actor=actor,
        organisation_id=organisation.id,
        after={"slug": slug, "name": organisation.name},
    )
    return organisation


def organisation_by_slug(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).filter_by(slug=slug))
    if organisation is None:
        raise ServiceError(f"There is no organisation with the slug {slug!r}.")
    return organisation


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def add_user(
    email: str,
    *,
    organisation: Organisation,
    access: AccessLevel,
    actor: Actor,
    name: str | None = None,
    password: str | None = None,
) -> User:
    """Create the user if new, and give them `access` to `organisation`. Oversight is refused:
    it is an oversight grant (services/people/oversight_grants.py), not a membership."""
    from tracker.services.people.email_addresses import normalise_email

    if access not in MEMBER_LEVELS:
        raise ServiceError(
            "Oversight is not an access level within an organisation: give it as an oversight grant "
            "(flask tracker grant-oversight)."
        )
    email = normalise_email(email)
    if password is not None and len(password) < 12:
        raise ServiceError("Passwords must be at least 12 characters long.")
    user = user_by_email(email)
    if user is None:
        user = User(email=email, name=name or email.split("@")[0], session_token=secrets.token_hex(16))
        db.session.add(user)
        db.session.flush()
        audit.record("user.created", user, actor=actor, organisation_id=organisation.id, after={"email": email})
    if password is not None:
        user.set_password(password)
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id, organisation_id=organisation.id))
    before = {"access": membership.access_level.value} if membership else None
    if membership is None:
        membership = Membership(user=user, organisation=organisation, access_level=access)
        db.session.add(membership)
    membership.access_level = access
    db.session.flush()
    audit.record(
        "membership.set",
        membership,
        actor=actor,
        organisation_id=organisation.id,
        before=before,
        after={"user": email, "access": access.value},
    )
    return user


def find_role(organisation: Organisation, name: str) -> Role | None:
    """The organisation's role called `name` or known by it as an alias, ignoring case and "The"."""
    from tracker.importing import match_owner

    roles = db.session.scalars(select(Role).filter_by(organisation_id=organisation.id)).all()
    return match_owner(name, [(role, role.names) for role in roles])


def role_name_from_phrase(phrase: str) -> str:
    """A role's display name from how a report writes it: "The YOS Head of Service" -> "YOS Head of Service"."""
    name = re.sub(r"\s+", " ", phrase).strip().rstrip(".:")
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE) or name


def find_or_create_role(organisation: Organisation, phrase: str, *, actor: Actor) -> Role:
    """The role a report's owner phrase names, created (with the phrase as an alias) if new."""
    role = find_role(organisation, phrase)
    if role is None:
        role = Role(organisation=organisation, name=role_name_from_phrase(phrase))
        db.session.add(role)
        db.session.flush()
        audit.record("role.created", role, actor=actor, organisation_id=organisation.id, after={"name": role.name})
    if phrase.strip() not in role.names:
        role.aliases.append(RoleAlias(name=phrase.strip()))
    return role


def set_role_holder(
    organisation: Organisation,
    role_name: str,
    email: str,
    *,
    actor: Actor,
    name: str | None = None,
) -> Role:
    """Make the person with `email` hold the role; everything the role owns follows them.

    The contact is linked to the user account with that email when there is one, so the
    holder sees the role's actions as their own.
    """
    role = find_or_create_role(organisation, role_name, actor=actor)
    contact = contact_for(organisation, email, name=name)
    previous = role.holder
    if previous is not None and previous.id == contact.id:
        return role
    now = utc_now()
    open_tenures = [tenure for tenure in role.tenures if tenure.ended_at is None]
    if previous is not None and not open_tenures:
        # A holder set before tenures were recorded: keep them in the history all the same.
        role.tenures.append(RoleTenure(contact=previous, started_at=role.created_at, ended_at=now))
    for tenure in open_tenures:
        tenure.ended_at = now
    role.holder = contact
    role.tenures.append(RoleTenure(contact=contact, started_at=now))
    db.session.flush()
    audit.record(
        "role.holder_changed",
        role,
        actor=actor,
        organisation_id=organisation.id,
        before={"holder": previous.email if previous else None},
        after={"holder": contact.email},
    )
    return role


def contact_for(organisation: Organisation, email: str, *, name: str | None = None) -> Contact:
    email = email.strip().lower()
    contact = db.session.scalar(select(Contact).filter_by(organisation_id=organisation.id, email=email))
    user = user_by_email(email)
    if contact is None:
        contact = Contact(
            organisation=organisation, email=email, name=name or (user.name if user else email.split("@")[0])
        )
        db.session.add(contact)
    if user is not None:
        contact.user = user
    db.session.flush()
    return contact


def set_role_deputy(organisation: Organisation, role: Role, email: str | None, *, actor: Actor) -> Role:
    """Name (or with None, remove) the person who stands in for the holder."""
    previous = role.deputy.email if role.deputy else None
    role.deputy = contact_for(organisation, email) if email else None
    new = role.deputy.email if role.deputy else None
    if new != previous:
        db.session.flush()
        audit.record(
            "role.deputy_changed",
            role,
            actor=actor,
            organisation_id=organisation.id,
            before={"deputy": previous},
            after={"deputy": new},
        )
    return role
