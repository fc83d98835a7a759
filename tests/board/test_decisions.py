"""Board decisions: the banner with the count, sending a completion back to its owner, and
deciding several items from one list at a meeting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.factories import make_user
from tracker import clock
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, DeadlineChange, DeadlineChangeStatus, Notification, Status
from tracker.services.actions import post_update, request_deadline_change
from tracker.services.reminders.run import deliver_outbox

EVIDENCE = ["https://intranet.example.org/evidence.pdf"]


def _complete(action, user):
    post_update(
        action,
        author=user,
        note="Done, see the audit",
        new_status=Status.COMPLETED,
        links=EVIDENCE,
        expected_version=action.version,
    )


def _waiting(board):
    """Two completions and two requests for more time."""
    _complete(board.actions["1"], board.member)
    _complete(board.actions["2"], board.manager)
    request_deadline_change(
        board.actions["3"],
        requested_by=board.manager,
        new_due_on=date(2026, 9, 1),
        reason="Recruitment",
        today=clock.today(),
    )
    request_deadline_change(
        board.actions["iv"],
        requested_by=board.manager,
        new_due_on=date(2027, 6, 1),
        reason="New system",
        today=clock.today(),
    )
    db.session.commit()


def test_the_board_dashboard_shows_waiting_decisions_in_a_banner_with_the_count(board_organisation, client_request):
    board = board_organisation
    _waiting(board)
    client_request.login(board.member)
    page = client_request.get("board.dashboard", slug=board.organisation.slug)
    banner = page.select_one(".govuk-notification-banner")
    assert banner.select_one("[data-decisions-waiting]").text.strip() == "4 decisions are waiting for the board"
    assert "2 requests for more time and 2 completed actions to sign off" in banner.text
    assert banner.select_one("a")["href"] == client_request.url("decisions.index", slug=board.organisation.slug)
    # People who cannot decide see no banner.
    client_request.login(board.manager)
    page = client_request.get("board.dashboard", slug=board.organisation.slug)
    assert page.select_one("[data-decisions-waiting]") is None


def test_send_back_to_the_owner_with_a_reason(board_organisation, client_request, smtp_server):
    board = board_organisation
    action = board.actions["2"]  # owned by the Head of Service, held by the manager
    _complete(action, board.manager)
    db.session.commit()
    client_request.login(board.member)
    page = client_request.get("actions.show", action_id=action.id)
    link = page.find("a", string="Send it back to the owner with a reason")
    assert link["href"] == client_request.url("decisions.send_back", action_id=action.id)
    form = client_request.get("decisions.send_back", action_id=action.id)
    version = form.select_one("input[name=version]")["value"]

    # No reason: a clear message, and nothing changes.
    page = client_request.post(
        "decisions.send_back", {"version": version, "reason": "  "}, _expected_status=400, action_id=action.id
    )
    assert "Say why the action is going back to its owner" in page.select_one(".govuk-error-summary").text
    db.session.expire_all()
    assert action.status is Status.COMPLETED

    client_request.post(
        "decisions.send_back",
        {"version": version, "reason": "The audit covers one team only"},
        _expected_redirect=client_request.url("actions.show", action_id=action.id),
        action_id=action.id,
    )
    db.session.expire_all()
    assert action.status is Status.IN_PROGRESS and action.completed_at is None
    assert action.updates[0].note == "Sent back to the owner: The audit covers one team only"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "action.sent_back"))
    assert event.before["status"] == "completed" and event.after["status"] == "in_progress"

    # The owner is told by email, through the outbox.
    queued = db.session.scalar(select(Notification).where(Notification.kind == "sent_back"))
    assert queued.recipient == board.manager.email.lower()
    deliver_outbox(clock.today())
    ((recipients, message),) = smtp_server.messages
    assert recipients == [board.manager.email.lower()]
    assert message["Subject"] == ("Sent back by the board: June 2025 inspection, recommendation 2 for Eastbrook YOS")
    text = message.get_body(("plain",)).get_content()
    assert "Dear Morgan Manager," in text and "Why: The audit covers one team only" in text
    # A second delivery sends nothing more.
    deliver_outbox(clock.today())
    assert len(smtp_server.messages) == 1

    # It can't be sent back again: it is no longer completed.
    client_request.post(
        "decisions.send_back",
        {"version": str(action.version), "reason": "again"},
        _expected_redirect=client_request.url("actions.show", action_id=action.id),
        action_id=action.id,
    )
    assert len(action.updates) == 2


def _form_values(page) -> dict:
    return {field["name"]: field.get("value", "") for field in page.select("#decisions-form input[type=hidden]")}


def test_deciding_several_items_from_one_list(board_organisation, client_request):
    board = board_organisation
    _waiting(board)
    changes = {change.action_id: change for change in db.session.scalars(select(DeadlineChange))}
    three, four = changes[board.actions["3"].id], changes[board.actions["iv"].id]
    one, two = board.actions["1"], board.actions["2"]
    client_request.login(board.member)
    page = client_request.get("decisions.index", slug=board.organisation.slug)
    titles = [title.text for title in page.select(".govuk-summary-card__title")]
    assert titles == [
        "June 2025 inspection, recommendation 3",
        "June 2025 inspection, recommendation iv",
        "June 2025 inspection, recommendation 1",
        "June 2025 inspection, recommendation 2",
    ]
    values = _form_values(page)

    # Sending back without a reason: an error against that item, and nothing at all is saved.
    bad = {**values, f"decision-change-{three.id}": "approve", f"decision-action-{two.id}": "send_back"}
    page = client_request.post("decisions.index", bad, _expected_status=400, slug=board.organisation.slug)
    summary = page.select_one(".govuk-error-summary")
    assert "Say why the action is going back to its owner" in summary.text
    assert summary.select_one("a")["href"] == f"#decision-action-{two.id}"
    db.session.expire_all()
    assert three.status is DeadlineChangeStatus.PENDING and two.status is Status.COMPLETED

    good = {
        **values,
        f"decision-change-{three.id}": "approve",
        f"decision-change-{four.id}": "refuse",
        f"note-change-{four.id}": "Not agreed: keep the date",
        f"decision-action-{one.id}": "verify",
        f"decision-action-{two.id}": "send_back",
        f"note-action-{two.id}": "Evidence is missing",
    }
    client_request.post(
        "decisions.index",
        good,
        slug=board.organisation.slug,
        _expected_redirect=client_request.url("decisions.index", slug=board.organisation.slug),
    )
    db.session.expire_all()
    assert three.status is DeadlineChangeStatus.APPROVED and board.actions["3"].due_on == date(2026, 9, 1)
    assert four.status is DeadlineChangeStatus.REFUSED
    assert one.status is Status.VERIFIED and two.status is Status.IN_PROGRESS
    page = client_request.get("decisions.index", slug=board.organisation.slug)
    assert "Nothing is waiting" in page.text
    events = set(db.session.scalars(select(AuditEvent.event)))
    assert {"action.verified", "action.sent_back"} <= events


def test_a_stale_list_changes_nothing(board_organisation, client_request):
    board = board_organisation
    _waiting(board)
    one = board.actions["1"]
    client_request.login(board.member)
    values = _form_values(client_request.get("decisions.index", slug=board.organisation.slug))
    other = make_user(board.organisation, AccessLevel.BOARD, name="Other Member")
    from tracker.services.board.decisions import send_back

    send_back(one, board_member=other, reason="Meanwhile", expected_version=one.version)
    db.session.commit()
    page = client_request.post(
        "decisions.index",
        {**values, f"decision-action-{one.id}": "verify"},
        _expected_status=400,
        slug=board.organisation.slug,
    )
    assert "no longer waiting for sign-off" in page.select_one(".govuk-error-summary").text
