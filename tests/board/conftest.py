"""A small organisation a management board could oversee, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Organisation, Report, Role, User


@dataclass
class Board:
    organisation: Organisation
    report: Report
    manager: User
    member: User
    chair: Role
    head: Role
    actions: dict[str, Action]


@pytest.fixture
def board_organisation(app, travel) -> Board:
    """Eastbrook YOS on 5 January 2026: one report, four recommendations, two owner roles."""
    travel("2026-01-05")
    organisation = make_organisation("Eastbrook YOS", slug="eastbrook")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Morgan Manager")
    member = make_user(organisation, AccessLevel.BOARD, name="Bola Board")
    chair = make_role(organisation, "Chair of the YOS Management Board", holder=member)
    head = make_role(organisation, "YOS Head of Service", holder=manager)
    report = make_report(organisation, "Inspection of youth offending services in Eastbrook", date(2025, 6, 1))
    actions = {
        "1": make_action(
            organisation,
            report=report,
            owners=[chair],
            number="1",
            due_on=date(2026, 6, 1),
            text="The Board hears from every partner agency at each meeting",
        ),
        "2": make_action(
            organisation,
            report=report,
            owners=[head],
            number="2",
            due_on=date(2026, 2, 1),
            text="Plans to keep other people safe are reviewed when circumstances change",
        ),
        "3": make_action(
            organisation,
            report=report,
            owners=[head, chair],
            number="3",
            due_on=date(2026, 3, 1),
            text="Speech and language needs are assessed for every child",
        ),
        "iv": make_action(
            organisation,
            report=report,
            owners=[head],
            number="iv",
            due_on=date(2027, 1, 1),
            text="Victims are contacted and their views inform the work",
        ),
    }
    db.session.commit()
    return Board(organisation, report, manager, member, chair, head, actions)
