"""A "sent back to the owner" decision is locked like verifications and withdrawals (issue 19)."""

from __future__ import annotations

import pytest

from tracker.extensions import db
from tracker.models import AccessLevel, Status, Update
from tracker.services import actions as action_service
from tracker.services.actions import post_update
from tracker.services.board import decisions


def test_a_send_back_cannot_be_edited_by_its_author(client_request, board_organisation) -> None:
    board = board_organisation
    action = board.actions["2"]
    post_update(
        action,
        author=board.manager,
        note="Done, see the audit",
        new_status=Status.COMPLETED,
        links=["https://intranet.example.org/audit.pdf"],
        expected_version=action.version,
    )
    decisions.send_back(
        action, board_member=board.member, reason="The audit covers one team only", expected_version=action.version
    )
    db.session.commit()
    sent_back = db.session.query(Update).filter(Update.note.startswith("Sent back")).one()
    assert sent_back.records_board_decision
    with pytest.raises(action_service.InvalidUpdate, match="board decision"):
        action_service.edit_update(sent_back, editor=board.member, note="Fine after all", links=[])
    client_request.login(board.member)
    client_request.get("actions.edit_update", update_id=sent_back.id, _expected_status=403)
    client_request.post("actions.edit_update", {"note": "Fine after all"}, update_id=sent_back.id, _expected_status=403)
    page = client_request.get("actions.show", action_id=action.id)
    assert not page.select(f"a[href='{client_request.url('actions.edit_update', update_id=sent_back.id)}']")
    db.session.expire_all()
    assert db.session.get(Update, sent_back.id).note == "Sent back to the owner: The audit covers one team only"


def test_an_owner_reopening_their_own_update_can_still_edit_it(board_organisation) -> None:
    board = board_organisation
    action = board.actions["2"]
    post_update(
        action,
        author=board.manager,
        note="Done",
        new_status=Status.COMPLETED,
        links=["https://intranet.example.org/audit.pdf"],
        expected_version=action.version,
    )
    update = post_update(
        action,
        author=board.manager,
        note="More to do after all",
        new_status=Status.IN_PROGRESS,
        links=[],
        expected_version=action.version,
    )
    assert not update.records_board_decision
    assert board.manager.memberships[0].access_level is AccessLevel.MANAGER
