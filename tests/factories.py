"""Factories for test data. Each builds through the services where a rule applies, flushes,
and returns the object; the test commits only if it needs other connections to see it."""

from __future__ import annotations

import itertools
from datetime import date

from tracker.extensions import db
from tracker.models import (
    AccessLevel,
    Action,
    ActionOwner,
    Contact,
    Organisation,
    Recommendation,
    Report,
    Role,
    Status,
    User,
)
from tracker.services.people import organisations as organisation_service
from tracker.services.people import oversight_grants

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def make_organisation(name: str | None = None, slug: str | None = None) -> Organisation:
    number = next(_sequence)
    organisation = Organisation(slug=slug or f"organisation-{number}", name=name or f"Organisation {number} YOS")
    db.session.add(organisation)
    db.session.flush()
    return organisation


def make_user(
    organisation: Organisation | None = None,
    access: AccessLevel = AccessLevel.MANAGER,
    email: str | None = None,
    name: str | None = None,
) -> User:
    number = next(_sequence)
    user = User(
        email=email or f"user{number}@example.org", name=name or f"User {number}", session_token=f"token{number}"
    )
    user.set_password(PASSWORD)
    user.test_password = PASSWORD  # what ClientRequest.login types in
    db.session.add(user)
    db.session.flush()
    if access is AccessLevel.OVERSIGHT:
        # Oversight is not a membership: it stands for a grant over every organisation, which
        # is what an oversight member read before grants existed (make_oversight_user for a list).
        oversight_grants.grant(
            user, body=organisation.name if organisation else "Youth Justice Board", organisations=None, actor="test"
        )
    elif organisation is not None:
        organisation_service.add_user(user.email, organisation=organisation, access=access, actor="test")
    return user


def make_oversight_user(
    organisations: list[Organisation] | None, body: str = "Regional Youth Justice Partnership", email: str | None = None
) -> User:
    """A user who reads `organisations` (None: every organisation) for an oversight body, and
    belongs to none."""
    user = make_user(None, email=email)
    oversight_grants.grant(user, body=body, organisations=organisations, actor="test")
    return user


def make_system_admin(email: str | None = None) -> User:
    user = make_user(None, email=email)
    user.is_system_admin = True
    db.session.flush()
    return user


def make_role(
    organisation: Organisation,
    name: str = "YOS Head of Service",
    holder: User | str | None = None,
    aliases: tuple[str, ...] = (),
) -> Role:
    from tracker.models import RoleAlias

    role = Role(organisation=organisation, name=name, aliases=[RoleAlias(name=alias) for alias in aliases])
    db.session.add(role)
    if holder is not None:
        email = holder.email if isinstance(holder, User) else holder
        contact = Contact(
            organisation=organisation,
            email=email,
            name=holder.name if isinstance(holder, User) else email.split("@")[0],
            user=holder if isinstance(holder, User) else None,
        )
        role.holder = contact
    db.session.flush()
    return role


def make_report(
    organisation: Organisation,
    title: str = "Inspection of youth offending services",
    published: date = date(2025, 6, 1),
) -> Report:
    report = Report(
        organisation=organisation,
        title=title,
        publication_date=published,
        publication_date_confirmed=True,
        ratings={},
        extracted_text="",
    )
    db.session.add(report)
    db.session.flush()
    return report


def make_action(
    organisation: Organisation,
    *,
    report: Report | None = None,
    owners: list[Role] | None = None,
    due_on: date = date(2026, 6, 1),
    status: Status = Status.NOT_STARTED,
    number: str | None = None,
    text: str = "Make sure plans are reviewed when things change",
) -> Action:
    report = report or make_report(organisation)
    position = len(report.recommendations) + 1
    recommendation = Recommendation(
        report=report,
        position=position,
        number=number or str(position),
        text=text,
        owner_phrases=[],
        owner_source="none",
    )
    action = Action(
        organisation=organisation, recommendation=recommendation, original_due_on=due_on, due_on=due_on, status=status
    )
    for index, role in enumerate(owners or []):
        action.owners.append(ActionOwner(role=role, is_lead=index == 0))
    db.session.add(action)
    db.session.flush()
    return action
