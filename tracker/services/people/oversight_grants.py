"""Oversight grants and system administrators: the few powers that reach past one organisation.

Only a system administrator (or the command line) gives or withdraws an oversight grant, and
only the command line makes someone a system administrator. An organisation's admin can do
neither (see services/people/members.py, which refuses the oversight level outright). Every grant,
withdrawal and change of the flag is audited.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Organisation, OversightGrant, User, utc_now
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor
from tracker.services.people.email_addresses import normalise_email
from tracker.services.people.organisations import user_by_email

EVERY_ORGANISATION = "every organisation"


def _label(actor: Actor) -> str:
    return actor.email if isinstance(actor, User) else actor


def account_for(email: str, *, actor: Actor, name: str | None = None, password: str | None = None) -> User:
    """The account with this address, created (with no organisation) when there is none yet:
    people from an oversight body often belong to no organisation here."""
    email = normalise_email(email)
    if password is not None and len(password) < 12:
        raise ServiceError("Passwords must be at least 12 characters long.")
    user = user_by_email(email)
    if user is None:
        user = User(email=email, name=(name or "").strip() or email.split("@")[0], session_token=secrets.token_hex(16))
        db.session.add(user)
        db.session.flush()
        audit.record("user.created", user, actor=actor, organisation_id=None, after={"email": email})
    if password is not None:
        user.set_password(password)
    return user


def grant(user: User, *, body: str, organisations: list[Organisation] | None, actor: Actor) -> OversightGrant:
    """Let `user` read, for the oversight body `body`, the listed organisations (None: every
    organisation, including those added later). Nothing else is given: no change, anywhere."""
    body = " ".join((body or "").split())
    if not body:
        raise ServiceError("Enter the name of the oversight body, like Youth Justice Board", field="body")
    if len(body) > 200:
        raise ServiceError("The oversight body's name must be 200 characters or fewer", field="body")
    if organisations is not None and not organisations:
        raise ServiceError("Choose the organisations the body oversees, or every organisation", field="organisations")
    if not user.active:
        raise ServiceError(f"{user.email}'s account is switched off, so it cannot be given oversight.", field="email")
    existing = db.session.scalar(
        select(OversightGrant).where(
            OversightGrant.user_id == user.id, OversightGrant.body_name == body, OversightGrant.withdrawn_at.is_(None)
        )
    )
    if existing is not None:
        raise ServiceError(
            f"{user.email} already reads for {body} ({existing.scope_text}). "
            "Withdraw that grant first to change what it covers.",
            field="email",
        )
    chosen = sorted(
        {organisation.id: organisation for organisation in organisations or []}.values(),
        key=lambda organisation: organisation.name,
    )
    new = OversightGrant(
        user=user,
        body_name=body,
        all_organisations=organisations is None,
        organisations=chosen,
        granted_by_id=actor.id if isinstance(actor, User) else None,
        granted_by_label=_label(actor),
    )
    db.session.add(new)
    db.session.flush()
    audit.record(
        "oversight.granted",
        new,
        actor=actor,
        organisation_id=None,
        after={
            "user": user.email,
            "body": body,
            "organisations": EVERY_ORGANISATION if organisations is None else [o.name for o in chosen],
        },
    )
    return new


def withdraw(oversight_grant: OversightGrant, *, actor: Actor) -> None:
    """Stop a grant from reading anything, from the user's next request on. The row is kept."""
    if not oversight_grant.is_active:
        raise ServiceError(f"This grant to {oversight_grant.user.email} was already withdrawn.")
    oversight_grant.withdrawn_at = utc_now()
    oversight_grant.withdrawn_by_id = actor.id if isinstance(actor, User) else None
    oversight_grant.withdrawn_by_label = _label(actor)
    audit.record(
        "oversight.withdrawn",
        oversight_grant,
        actor=actor,
        organisation_id=None,
        before={
            "user": oversight_grant.user.email,
            "body": oversight_grant.body_name,
            "organisations": oversight_grant.scope_text,
        },
    )


def withdraw_for(user: User, *, body: str | None, actor: Actor) -> list[OversightGrant]:
    """Withdraw the user's active grants (only those for `body`, when given)."""
    grants = [item for item in active_grants_of(user) if body is None or item.body_name.lower() == body.strip().lower()]
    if not grants:
        raise ServiceError(f"{user.email} has no oversight grant" + (f" for {body}." if body else "."))
    for item in grants:
        withdraw(item, actor=actor)
    return grants


def active_grants_of(user: User) -> list[OversightGrant]:
    return list(
        db.session.scalars(
            select(OversightGrant)
            .where(OversightGrant.user_id == user.id, OversightGrant.withdrawn_at.is_(None))
            .order_by(OversightGrant.id)
        )
    )


def every_grant() -> list[OversightGrant]:
    """Active grants first, then withdrawn ones (most recent first), for the system page."""
    return list(
        db.session.scalars(
            select(OversightGrant).order_by(
                OversightGrant.withdrawn_at.is_not(None),
                OversightGrant.withdrawn_at.desc(),
                OversightGrant.body_name,
                OversightGrant.id,
            )
        )
    )


def set_system_admin(user: User, value: bool, *, actor: Actor) -> bool:
    """Make someone a system administrator, or stop them being one. Returns whether anything changed."""
    if user.is_system_admin == value:
        return False
    user.is_system_admin = value
    audit.record(
        "user.system_admin_changed",
        user,
        actor=actor,
        organisation_id=None,
        before={"user": user.email, "system_admin": not value},
        after={"user": user.email, "system_admin": value},
    )
    return True
