"""Every transition of the action workflow, and every refusal, without HTTP."""

from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, DeadlineChangeStatus, Flag, Status
from tracker.services import queries
from tracker.services.actions import (
    InvalidUpdate,
    StaleVersion,
    add_plan_step,
    decide_deadline_change,
    edit_update,
    post_update,
    reassign_actions,
    recommendation_progress,
    request_deadline_change,
    set_owners,
    verify_action,
    withdraw_action,
)
from tracker.services.people import organisations as organisation_service

TODAY = date(2026, 3, 1)


@pytest.fixture
def world(app):
    organisation = make_organisation("Northfield YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    board = make_user(organisation, AccessLevel.BOARD)
    head = make_role(organisation, "YOS Head of Service", holder=manager)
    action = make_action(organisation, owners=[head], due_on=date(2026, 6, 30))
    return organisation, manager, board, head, action


def _complete(action, user):
    return post_update(
        action,
        author=user,
        note="Done: new checklist in use",
        new_status=Status.COMPLETED,
        links=["https://intranet.example/checklist"],
        expected_version=action.version,
    )


def test_the_full_path_to_verified(world):
    _, manager, board, _, action = world
    post_update(action, author=manager, note="Started", new_status=Status.IN_PROGRESS, expected_version=1)
    _complete(action, manager)
    assert action.status is Status.COMPLETED and action.completed_at is not None
    verify_action(action, board_member=board, note="Evidence checked at the March board", expected_version=3)
    assert action.status is Status.VERIFIED and action.verified_by_id == board.id
    assert [update.status_after for update in action.updates] == [Status.VERIFIED, Status.COMPLETED, Status.IN_PROGRESS]
    with pytest.raises(InvalidUpdate):
        post_update(action, author=manager, note="more", new_status=Status.IN_PROGRESS, expected_version=4)
    events = [event.event for event in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert events[-3:] == ["action.update_posted", "action.update_posted", "action.verified"]


def test_completion_needs_evidence_and_a_note(world):
    _, manager, _, _, action = world
    with pytest.raises(InvalidUpdate, match="Attach evidence"):
        post_update(action, author=manager, note="Done", new_status=Status.COMPLETED, expected_version=1)
    with pytest.raises(InvalidUpdate, match="Say what was done"):
        post_update(
            action,
            author=manager,
            note="",
            new_status=Status.COMPLETED,
            links=["https://example.org/evidence"],
            expected_version=1,
        )
    with pytest.raises(InvalidUpdate, match="not a web address"):
        post_update(action, author=manager, note="x", links=["javascript:alert(1)"], expected_version=1)
    post_update(action, author=manager, note="Evidence", links=["https://example.org/audit.pdf"], expected_version=1)
    # Evidence from an earlier update counts.
    post_update(action, author=manager, note="Done", new_status=Status.COMPLETED, expected_version=2)
    assert action.status is Status.COMPLETED


def test_a_completed_action_can_be_reopened_until_verified(world):
    _, manager, _, _, action = world
    _complete(action, manager)
    post_update(action, author=manager, note="Audit found gaps", new_status=Status.IN_PROGRESS, expected_version=2)
    assert action.status is Status.IN_PROGRESS and action.completed_at is None


def test_only_completed_actions_are_verified_and_never_twice(world):
    _, manager, board, _, action = world
    with pytest.raises(InvalidUpdate, match="Only a completed action"):
        verify_action(action, board_member=board, note="", expected_version=1)
    _complete(action, manager)
    with pytest.raises(StaleVersion):
        verify_action(action, board_member=board, note="", expected_version=1)
    assert action.status is Status.COMPLETED


def test_withdrawal_needs_a_reason_and_a_board_decision(world):
    _, _, board, _, action = world
    with pytest.raises(InvalidUpdate, match="why"):
        withdraw_action(action, by=board, reason=" ", board_decision="Board, 1 March", expected_version=1)
    with pytest.raises(InvalidUpdate, match="board decision"):
        withdraw_action(action, by=board, reason="Service merged", board_decision="", expected_version=1)
    withdraw_action(
        action, by=board, reason="Service merged", board_decision="Board 1 March, item 4", expected_version=1
    )
    assert action.status is Status.WITHDRAWN and action.withdrawn_decision == "Board 1 March, item 4"
    with pytest.raises(InvalidUpdate, match="already withdrawn"):
        withdraw_action(action, by=board, reason="again", board_decision="x", expected_version=2)


def test_flags_need_a_reason_and_show_in_rag(world):
    _, manager, _, _, action = world
    with pytest.raises(InvalidUpdate, match="Say why the action is at risk"):
        post_update(action, author=manager, flag=Flag.AT_RISK, expected_version=1)
    post_update(
        action, author=manager, flag=Flag.BLOCKED, flag_reason="no health partner on the board", expected_version=1
    )
    assert action.flag is Flag.BLOCKED and action.updates[0].flag_after is Flag.BLOCKED
    post_update(action, author=manager, flag=None, note="Health partner joined", expected_version=2)
    assert action.flag is None and action.flag_reason is None


def test_a_deadline_change_is_requested_then_approved_keeping_the_original(world):
    _, manager, board, _, action = world
    with pytest.raises(InvalidUpdate, match="Say why"):
        request_deadline_change(action, requested_by=manager, new_due_on=date(2026, 9, 30), reason="", today=TODAY)
    with pytest.raises(InvalidUpdate, match="past"):
        request_deadline_change(action, requested_by=manager, new_due_on=date(2026, 1, 1), reason="x", today=TODAY)
    change = request_deadline_change(
        action,
        requested_by=manager,
        new_due_on=date(2026, 9, 30),
        reason="Waiting for the new case system",
        today=TODAY,
    )
    with pytest.raises(InvalidUpdate, match="already waiting"):
        request_deadline_change(action, requested_by=manager, new_due_on=date(2026, 10, 30), reason="x", today=TODAY)
    with pytest.raises(StaleVersion):
        decide_deadline_change(change, decided_by=board, approve=True, note="", expected_version=99)
    decide_deadline_change(change, decided_by=board, approve=True, note="Agreed at board", expected_version=1)
    assert change.status is DeadlineChangeStatus.APPROVED
    assert action.due_on == date(2026, 9, 30) and action.original_due_on == date(2026, 6, 30)
    with pytest.raises(InvalidUpdate, match="already approved"):
        decide_deadline_change(change, decided_by=board, approve=False, note="no", expected_version=2)


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(world):
    _, manager, board, _, action = world
    change = request_deadline_change(
        action, requested_by=manager, new_due_on=date(2026, 9, 30), reason="x", today=TODAY
    )
    with pytest.raises(InvalidUpdate, match="why the request is refused"):
        decide_deadline_change(change, decided_by=board, approve=False, note="", expected_version=1)
    decide_deadline_change(change, decided_by=board, approve=False, note="Keep to the plan", expected_version=1)
    assert change.status is DeadlineChangeStatus.REFUSED and action.due_on == date(2026, 6, 30)


def test_plan_steps_stay_within_the_recommendations_deadline_and_roll_up(world):
    organisation, manager, _, head, action = world
    recommendation = action.recommendation
    with pytest.raises(InvalidUpdate, match="cannot be later than its recommendation"):
        add_plan_step(
            recommendation, title="Train staff", owners=[head], lead=head, due_on=date(2026, 7, 1), created_by=manager
        )
    with pytest.raises(InvalidUpdate, match="at least one owner"):
        add_plan_step(
            recommendation, title="Train staff", owners=[], lead=None, due_on=date(2026, 5, 1), created_by=manager
        )
    elsewhere = make_role(make_organisation(), "Somebody else's role")
    with pytest.raises(InvalidUpdate, match="roles of this organisation"):
        add_plan_step(
            recommendation,
            title="Train staff",
            owners=[elsewhere],
            lead=None,
            due_on=date(2026, 5, 1),
            created_by=manager,
        )
    step = add_plan_step(
        recommendation, title="Train staff", owners=[head], lead=head, due_on=date(2026, 5, 1), created_by=manager
    )
    assert recommendation_progress(recommendation).total == 2
    with pytest.raises(InvalidUpdate, match="cannot be later than its recommendation"):
        request_deadline_change(step, requested_by=manager, new_due_on=date(2026, 8, 1), reason="x", today=TODAY)
    _complete(step, manager)
    progress = recommendation_progress(recommendation)
    assert (progress.done, progress.total, progress.percent) == (1, 2, 50)


def test_edits_to_an_update_are_kept_as_history(world):
    _, manager, board, _, action = world
    update = post_update(action, author=manager, note="Frist draft", expected_version=1)
    with pytest.raises(InvalidUpdate, match="Only the person who posted"):
        edit_update(update, editor=board, note="Hijacked", links=[])
    edit_update(update, editor=manager, note="First draft", links=[])
    assert update.note == "First draft" and update.edited_at is not None
    assert [revision.note_before for revision in update.revisions] == ["Frist draft"]
    event = db.session.query(AuditEvent).filter_by(event="update.edited").one()
    assert event.before["note"] == "Frist draft" and event.after["note"] == "First draft"


def test_owners_lead_and_bulk_reassignment(world):
    organisation, manager, _, head, action = world
    chair = make_role(organisation, "Chair of the YOS Management Board")
    set_owners(action, owners=[head, chair], lead=chair, by=manager, expected_version=1)
    assert [role.name for role in action.owner_roles] == [chair.name, head.name] and action.lead_role == chair
    with pytest.raises(StaleVersion):
        set_owners(action, owners=[head], lead=head, by=manager, expected_version=1)
    other = make_action(organisation, owners=[head])
    moved = reassign_actions([action, other], from_role=head, to_role=chair, by=manager)
    assert moved == 2
    assert [role.name for role in other.owner_roles] == [chair.name] and other.lead_role == chair
    assert [role.name for role in action.owner_roles] == [chair.name]


def test_changing_the_holder_moves_every_action_at_once(world, client_request):
    organisation, manager, _, head, action = world
    successor = make_user(organisation, AccessLevel.OWNER, email="successor@example.org")
    organisation_service.set_role_holder(organisation, "The YOS Head of Service", successor.email, actor=manager)
    db.session.commit()
    client_request.login(successor)
    page = client_request.get("dashboard.index")
    assert f"/actions/{action.id}" in str(page.select_one("table"))
    assert [tenure.contact.email for tenure in head.tenures][-1] == successor.email
    client_request.post(
        "actions.post", action_id=action.id, data={"note": "Picked this up", "status": "unchanged", "version": "1"}
    )


def test_rag_in_sql_agrees_with_rag_in_python(app):
    organisation = make_organisation()
    cases = [
        dict(due_on=date(2026, 2, 1)),
        dict(due_on=TODAY),
        dict(due_on=date(2026, 4, 1)),
        dict(due_on=date(2027, 4, 1)),
        dict(due_on=date(2027, 4, 1), status=Status.IN_PROGRESS),
        dict(due_on=date(2026, 2, 1), status=Status.COMPLETED),
        dict(due_on=date(2027, 1, 1), status=Status.WITHDRAWN),
        dict(due_on=date(2027, 1, 1), status=Status.VERIFIED),
    ]
    actions = [make_action(organisation, **case) for case in cases]
    flagged = make_action(organisation, due_on=date(2027, 1, 1), status=Status.IN_PROGRESS)
    flagged.flag, flagged.flag_reason = Flag.AT_RISK, "x"
    blocked = make_action(organisation, due_on=date(2027, 1, 1))
    blocked.flag, blocked.flag_reason = Flag.BLOCKED, "y"
    db.session.flush()
    from tracker.services.rag import rag_for

    for colour in queries.RAG_COLOURS:
        in_sql = set(db.session.scalars(db.select(type(flagged).id).where(queries.rag_condition(colour, TODAY))))
        in_python = {action.id for action in [*actions, flagged, blocked] if rag_for(action, TODAY).colour == colour}
        assert in_sql == in_python, colour
