"""An organisation's people: who has access, inviting, changing access, and removing someone
(handing each role they hold to someone else, or leaving it unheld). An organisation's admin
gives only the levels in MEMBER_LEVELS: oversight is a grant from a system administrator
(services/people/oversight_grants.py), and single sign-on domains are theirs too (services/people/sso_domains.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker import clock
from tracker.extensions import db
from tracker.models import MEMBER_LEVELS, AccessLevel, Contact, Membership, Organisation, Role, User, utc_now
from tracker.services import ServiceError, audit, handoff_emails
from tracker.services.audit import Actor
from tracker.services.people.email_addresses import normalise_email
from tracker.services.people.organisations import add_user, set_role_holder, user_by_email


@dataclass
class Person:
    user: User
    membership: Membership
    roles: list[Role]
    deputy_for: list[Role]

    @property
    def last_signed_in_at(self) -> datetime | None:
        return self.user.last_signed_in_at

    @property
    def invited(self) -> bool:
        """Invited and not signed in yet."""
        return self.user.last_signed_in_at is None


def people_in(organisation: Organisation) -> list[Person]:
    memberships = db.session.scalars(
        select(Membership)
        .join(User)
        .where(Membership.organisation_id == organisation.id)
        .order_by(func.lower(User.name), User.id)
    ).all()
    roles = db.session.scalars(select(Role).where(Role.organisation_id == organisation.id).order_by(Role.name)).all()
    people = []
    for membership in memberships:
        held = [role for role in roles if role.holder is not None and role.holder.user_id == membership.user_id]
        deputy = [role for role in roles if role.deputy is not None and role.deputy.user_id == membership.user_id]
        people.append(Person(membership.user, membership, held, deputy))
    return people


def membership_in(organisation: Organisation, user_id: int) -> Membership | None:
    return db.session.scalar(select(Membership).filter_by(organisation_id=organisation.id, user_id=user_id))


def _admin_count(organisation: Organisation) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .where(Membership.organisation_id == organisation.id, Membership.access_level == AccessLevel.ADMIN)
    ).scalar_one()


OVERSIGHT_REFUSED = (
    "Oversight is not an access level within an organisation. Only a system administrator can "
    "give an oversight body read access, as an oversight grant."
)


def parse_level(value: str | None) -> AccessLevel:
    """A level an organisation's admin may give. Oversight is refused with a reason (it is a
    grant from a system administrator, never a membership), and nothing changes."""
    try:
        level = AccessLevel(value or "")
    except ValueError:
        raise ServiceError("Choose an access level from the list") from None
    if level not in MEMBER_LEVELS:
        raise ServiceError(OVERSIGHT_REFUSED, field="level")
    return level


def invite(organisation: Organisation, email: str, *, name: str, level: AccessLevel, actor: User) -> User:
    """Give a person access (creating their account if they have none). The caller queues the email."""
    if level not in MEMBER_LEVELS:
        raise ServiceError(OVERSIGHT_REFUSED, field="level")
    email = normalise_email(email)
    existing = user_by_email(email)
    if existing is not None and membership_in(organisation, existing.id) is not None:
        raise ServiceError(f"{email} already has access to {organisation.name}. Change their access level instead.")
    user = add_user(email, organisation=organisation, access=level, actor=actor, name=name.strip() or None)
    audit.record(
        "user.invited",
        user,
        actor=actor,
        organisation_id=organisation.id,
        after={"email": email, "access": level.value},
    )
    # A person's contact record (if a role named them before they had an account) now points at them.
    for contact in db.session.scalars(
        select(Contact).where(Contact.organisation_id == organisation.id, func.lower(Contact.email) == email)
    ):
        contact.user = user
    return user


def _refuse_losing_admin(organisation: Organisation, membership: Membership, actor: Actor, doing: str) -> None:
    if membership.access_level is not AccessLevel.ADMIN:
        return
    if membership.user_id == getattr(actor, "id", None):
        raise ServiceError(f"You cannot {doing} your own administrator access. Ask another administrator to do it.")
    if _admin_count(organisation) <= 1:
        raise ServiceError(
            f"{membership.user.email} is the last administrator of {organisation.name}. "
            "Make someone else an administrator first."
        )


def change_level(organisation: Organisation, membership: Membership, level: AccessLevel, *, actor: User) -> None:
    if level not in MEMBER_LEVELS:
        raise ServiceError(OVERSIGHT_REFUSED, field="level")
    if level is membership.access_level:
        return
    _refuse_losing_admin(organisation, membership, actor, "remove")
    before = membership.access_level
    membership.access_level = level
    audit.record(
        "membership.changed",
        membership,
        actor=actor,
        organisation_id=organisation.id,
        before={"user": membership.user.email, "access": before.value},
        after={"user": membership.user.email, "access": level.value},
    )
    handoff_emails.tell_access_changed(membership.user, organisation, before=before.label, after=level.label, by=actor)


def remove(
    organisation: Organisation, membership: Membership, handovers: dict[int, int | None], *, actor: Actor
) -> list[str]:
    """Take a person's access away. Each role they hold goes to the member named in
    `handovers` (role id -> user id), or is left unheld when that is None; roles they
    deputise for lose their deputy. Nothing is changed unless all of it can be. Returns a
    sentence for each welcome email sent to someone taking over a role."""
    welcomes: list[str] = []
    if membership.user_id == getattr(actor, "id", None):  # the command line is nobody
        raise ServiceError("You cannot remove yourself. Ask another administrator to do it.")
    _refuse_losing_admin(organisation, membership, actor, "remove")
    person = next(person for person in people_in(organisation) if person.membership.id == membership.id)
    for role in person.roles:
        if role.id not in handovers:
            raise ServiceError(f"Choose who takes over {role.name}, or leave it unheld")
        successor_id = handovers[role.id]
        if successor_id is not None:
            successor = membership_in(organisation, successor_id)
            if successor is None or successor_id == membership.user_id:
                raise ServiceError(f"Choose someone who has access to {organisation.name} to take over {role.name}")
    now = utc_now()
    for role in person.roles:
        successor_id = handovers[role.id]
        if successor_id is not None:
            set_role_holder(organisation, role.name, db.session.get_one(User, successor_id).email, actor=actor)
            welcome = handoff_emails.welcome_role_holder(
                role, given_by=getattr(actor, "name", str(actor)), today=clock.today()
            )
            if welcome is not None:
                welcomes.append(welcome.sentence(role))
        else:
            previous = role.holder
            assert previous is not None  # person.roles are the roles they hold
            for tenure in role.tenures:
                if tenure.ended_at is None:
                    tenure.ended_at = now
            role.holder = None
            audit.record(
                "role.holder_changed",
                role,
                actor=actor,
                organisation_id=organisation.id,
                before={"holder": previous.email},
                after={"holder": None},
            )
    for role in person.deputy_for:
        previous = role.deputy
        assert previous is not None  # person.deputy_for are the roles they are deputy for
        role.deputy = None
        audit.record(
            "role.deputy_changed",
            role,
            actor=actor,
            organisation_id=organisation.id,
            before={"deputy": previous.email},
            after={"deputy": None},
        )
    user = membership.user
    audit.record(
        "membership.removed",
        membership,
        actor=actor,
        organisation_id=organisation.id,
        before={"user": user.email, "access": membership.access_level.value},
        after=None,
    )
    db.session.delete(membership)
    db.session.flush()
    if not user.memberships:
        user.session_token = secrets.token_hex(16)  # no access anywhere: sign them out
    return welcomes
