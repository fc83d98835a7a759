"""Westmoor YOS on 5 January 2026, with everyone a hand-off can wait for: an owner, the board
chair, a board member, a manager and an admin. Emails are read from a real SMTP server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Organisation, Role, User

TODAY = date(2026, 1, 5)
EVIDENCE = ["https://intranet.example.org/evidence.pdf"]


@dataclass
class Westmoor:
    organisation: Organisation
    owner: User
    chair: User
    member: User
    manager: User
    admin: User
    police: Role
    chair_role: Role
    action: Action


@pytest.fixture
def westmoor(app, travel) -> Westmoor:
    travel("2026-01-05")
    organisation = make_organisation("Westmoor YOS", slug="westmoor")
    owner = make_user(organisation, AccessLevel.OWNER, email="olu@westmoor.example", name="Olu Owner")
    chair = make_user(organisation, AccessLevel.BOARD, email="chris@westmoor.example", name="Chris Chair")
    member = make_user(organisation, AccessLevel.BOARD, email="bola@westmoor.example", name="Bola Board")
    manager = make_user(organisation, AccessLevel.MANAGER, email="morgan@westmoor.example", name="Morgan Manager")
    admin = make_user(organisation, AccessLevel.ADMIN, email="ada@westmoor.example", name="Ada Admin")
    police = make_role(organisation, "Police lead", holder=owner)
    chair_role = make_role(organisation, "Chair of the YOS Management Board", holder=chair)
    chair_role.is_board_chair = True
    report = make_report(organisation, "Inspection of youth offending services in Westmoor", date(2025, 6, 1))
    action = make_action(
        organisation,
        report=report,
        owners=[police],
        number="1",
        due_on=date(2026, 6, 1),
        text="Police and the YOS share information about every child within a day",
    )
    db.session.commit()
    return Westmoor(organisation, owner, chair, member, manager, admin, police, chair_role, action)


def read(smtp_server) -> list[tuple[str, str, str]]:
    """(recipient, subject, plain text) of every email the server received, and forget them."""
    found = [
        (recipients[0], " ".join(str(message["Subject"]).split()), message.get_body(("plain",)).get_content())
        for recipients, message in smtp_server.messages
    ]
    smtp_server.messages.clear()
    return found
