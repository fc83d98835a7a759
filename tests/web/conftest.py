"""The setting the kept-page tests share: one organisation, a manager, a board member, two roles
and one action due at the end of the month."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel


@pytest.fixture
def setting(travel):
    travel("2026-03-02")
    organisation = make_organisation("Northfield YOS", slug="northfield")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Priya Shah")
    board = make_user(organisation, AccessLevel.BOARD, name="Sam Okafor")
    head = make_role(organisation, "YOS Head of Service", holder=manager)
    chair = make_role(organisation, "Chair of the YOS Management Board", holder=board)
    action = make_action(
        organisation, owners=[head], due_on=date(2026, 3, 31), text="Review plans when circumstances change"
    )
    db.session.commit()
    return organisation, manager, board, head, chair, action
