"""A step whose recommendation's deadline has passed can still ask for more time: the request
also asks for the recommendation's deadline to move, and the board decides both at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.handoffs.conftest import TODAY, read
from tracker.extensions import db
from tracker.models import AuditEvent, DeadlineChange
from tracker.services.actions import add_plan_step
from tracker.services.reminders import run as reminders

ASK = {"new_due_on": ["1", "4", "2026"], "reason": "Training places are booked for March"}


def test_a_step_asks_for_more_time_past_its_recommendation_s_deadline(westmoor, client_request, smtp_server):
    main = westmoor.action
    main.due_on = main.original_due_on = date(2025, 12, 1)  # passed a month ago
    step = add_plan_step(
        main.recommendation,
        title="Train every caseworker",
        owners=[westmoor.police],
        lead=westmoor.police,
        due_on=date(2025, 11, 1),
        created_by=westmoor.manager,
    )
    db.session.commit()

    client_request.login(westmoor.owner)
    form = client_request.get("actions.show", action_id=step.id)
    assert form.select_one("input[name=move_recommendation]") is not None
    # Not asked to move the recommendation: refused, saying how to ask, and nothing saved.
    page = client_request.post("actions.request_deadline_change", ASK, action_id=step.id, _expected_status=400)
    error = page.select_one(".govuk-error-summary").text
    assert "A step's deadline cannot be later than its recommendation's (1 December 2025)." in error
    assert "also ask for the recommendation's deadline to move" in error
    assert db.session.scalar(select(DeadlineChange)) is None

    client_request.post("actions.request_deadline_change", {**ASK, "move_recommendation": "y"}, action_id=step.id)
    change = db.session.scalar(select(DeadlineChange))
    assert change.moves_recommendation and change.requested_due_on == date(2026, 4, 1)

    # The board hears of it as one decision.
    reminders.send_reminders(TODAY)
    board = [email for email in read(smtp_server) if email[0] == "chris@westmoor.example"]
    ((_, subject, text),) = board
    assert "1 decision waiting for the board" in subject
    assert (
        "(Train every caseworker) for Westmoor YOS: Olu Owner asks for more time, from 1 November 2025 to "
        "1 April 2026, and the recommendation's deadline to move with it."
    ) in text
    client_request.login(westmoor.chair)
    assert (
        "with the recommendation's deadline moving to it too"
        in client_request.get("decisions.index", slug="westmoor").text
    )

    # Approving moves both; the owner is told at once.
    client_request.post(
        "actions.decide_deadline_change",
        {"version": str(step.version), "decision": "approve", "note": ""},
        change_id=change.id,
    )
    db.session.expire_all()
    assert (step.due_on, main.due_on) == (date(2026, 4, 1), date(2026, 4, 1))
    assert main.original_due_on == date(2025, 12, 1)
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "olu@westmoor.example" and subject.startswith("More time approved:")
    assert "The recommendation's deadline moved with it." in text
    moved = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "action.deadline_moved_with_step"))
    assert moved.subject_id == main.id and moved.after["due_on"] == "2026-04-01"


def test_refusing_it_moves_neither(westmoor, client_request, smtp_server):
    main = westmoor.action
    main.due_on = date(2025, 12, 1)
    step = add_plan_step(
        main.recommendation,
        title="Train every caseworker",
        owners=[westmoor.police],
        lead=westmoor.police,
        due_on=date(2025, 11, 1),
        created_by=westmoor.manager,
    )
    db.session.commit()
    client_request.login(westmoor.owner)
    client_request.post("actions.request_deadline_change", {**ASK, "move_recommendation": "y"}, action_id=step.id)
    change = db.session.scalar(select(DeadlineChange))
    client_request.login(westmoor.member)
    client_request.post(
        "actions.decide_deadline_change",
        {"version": str(step.version), "decision": "refuse", "note": "Finish with the places available"},
        change_id=change.id,
    )
    db.session.expire_all()
    assert (step.due_on, main.due_on) == (date(2025, 11, 1), date(2025, 12, 1))
    ((recipient, subject, _),) = read(smtp_server)
    assert recipient == "olu@westmoor.example" and subject.startswith("More time refused:")
