"""Owner asks, the board is told (in the day's email), the board decides, the owner is told
(at once); a send-back goes at once; a sign-off reaches the owner with the board's note."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.handoffs.conftest import EVIDENCE, TODAY, read
from tracker.extensions import db
from tracker.models import DeadlineChange, DeadlineChangeStatus, Status
from tracker.models.notification import ReminderFrequency
from tracker.services.actions import post_update
from tracker.services.reminders import preferences
from tracker.services.reminders import run as reminders


def _ask(client_request, westmoor, **extra):
    client_request.login(westmoor.owner)
    return client_request.post(
        "actions.request_deadline_change",
        {"new_due_on": ["1", "9", "2026"], "reason": "The new case system arrives in August", **extra},
        action_id=westmoor.action.id,
    )


def test_owner_asks_board_is_told_board_decides_owner_is_told(westmoor, client_request, smtp_server):
    _ask(client_request, westmoor)
    assert read(smtp_server) == []  # the board hears in the day's email, not one email per request

    # The day's run: the chair and the board member each get one email saying what waits.
    result = reminders.send_reminders(TODAY)
    emails = read(smtp_server)
    assert sorted(recipient for recipient, _, _ in emails) == ["bola@westmoor.example", "chris@westmoor.example"]
    for _, subject, text in emails:
        assert subject == "Today from Westmoor YOS: 1 decision waiting for the board"
        assert (
            "June 2025 inspection, recommendation 1 for Westmoor YOS: Olu Owner asks for more time, "
            "from 1 June 2026 to 1 September 2026."
        ) in text
        assert "Why: The new case system arrives in August" in text
        assert "http://127.0.0.1:5000/organisations/westmoor/board/decisions" in text
    assert result.queued == 2
    reminders.send_reminders(TODAY)  # told once
    assert read(smtp_server) == []

    # The chair's landing page counts it and links to the list.
    client_request.login(westmoor.chair)
    page = client_request.get("dashboard.index")
    banner = page.select_one("[data-decisions-waiting]")
    assert banner.text.strip() == "1 decision is waiting for the board"
    assert page.find("a", string="Decide them from one list")["href"] == client_request.url(
        "decisions.index", slug="westmoor"
    )
    # The owner may not decide, and sees no banner.
    client_request.login(westmoor.owner)
    assert client_request.get("dashboard.index").select_one("[data-decisions-waiting]") is None

    # The board refuses, with its note: the owner is told at once, not at the next run.
    change = db.session.scalar(select(DeadlineChange))
    client_request.login(westmoor.chair)
    client_request.post(
        "actions.decide_deadline_change",
        {
            "version": str(westmoor.action.version),
            "decision": "refuse",
            "note": "Use the interim spreadsheet until August",
        },
        change_id=change.id,
    )
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "olu@westmoor.example"
    assert subject == "More time refused: June 2025 inspection, recommendation 1 for Westmoor YOS"
    assert "The board refused the request for more time. The deadline stays 1 June 2026." in text
    assert "The board's note: Use the interim spreadsheet until August" in text
    assert "(Chris Chair, for the board of Westmoor YOS)" in text
    db.session.expire_all()
    assert change.status is DeadlineChangeStatus.REFUSED
    assert client_request.get("dashboard.index").select_one("[data-decisions-waiting]") is None


def test_an_approval_from_the_decisions_list_is_told_at_once(westmoor, client_request, smtp_server):
    _ask(client_request, westmoor)
    change = db.session.scalar(select(DeadlineChange))
    client_request.login(westmoor.member)
    client_request.post(
        "decisions.index",
        {
            f"decision-change-{change.id}": "approve",
            f"note-change-{change.id}": "Agreed at the January meeting",
            f"version-change-{change.id}": str(westmoor.action.version),
        },
        slug="westmoor",
    )
    ((recipient, subject, text),) = read(smtp_server)
    assert (recipient, subject) == (
        "olu@westmoor.example",
        "More time approved: June 2025 inspection, recommendation 1 for Westmoor YOS",
    )
    assert "The new deadline is 1 September 2026 (it was 1 June 2026)." in text
    assert "The board's note: Agreed at the January meeting" in text
    db.session.expire_all()
    assert westmoor.action.due_on == date(2026, 9, 1)


def test_a_send_back_goes_at_once_and_a_sign_off_joins_the_day_s_email(westmoor, client_request, smtp_server):
    action = westmoor.action
    post_update(
        action,
        author=westmoor.owner,
        note="Daily information sharing is live",
        new_status=Status.COMPLETED,
        links=EVIDENCE,
        expected_version=action.version,
    )
    db.session.commit()
    reminders.send_reminders(TODAY)
    board = read(smtp_server)
    assert len(board) == 2 and all(
        "is marked completed and waits for the board's sign-off" in text for _, _, text in board
    )

    client_request.login(westmoor.chair)
    client_request.post(
        "decisions.send_back",
        {"version": str(action.version), "reason": "Show a week of the sharing log"},
        action_id=action.id,
    )
    ((recipient, subject, text),) = read(smtp_server)  # no scheduler run in between
    assert recipient == "olu@westmoor.example"
    assert subject == "Sent back by the board: June 2025 inspection, recommendation 1 for Westmoor YOS"
    assert "Why: Show a week of the sharing log" in text

    db.session.expire_all()
    post_update(
        action, author=westmoor.owner, note="Log attached", new_status=Status.COMPLETED, expected_version=action.version
    )
    db.session.commit()
    client_request.post(
        "actions.verify", {"version": str(action.version), "note": "Thorough: well done"}, action_id=action.id
    )
    assert read(smtp_server) == []  # the owner hears in the day's email
    reminders.send_reminders(date(2026, 1, 6))
    emails = read(smtp_server)
    ((recipient, subject, text),) = [email for email in emails if email[0] == "olu@westmoor.example"]
    assert subject == "Today from Westmoor YOS: 1 signed off by the board"
    assert "was signed off as verified by Chris Chair" in text and "The board's note: Thorough: well done" in text


def test_someone_who_chose_single_emails_is_told_at_once_and_only_once(westmoor, client_request, smtp_server):
    preferences.save_preference(
        westmoor.chair, frequency=ReminderFrequency.SINGLE, digest_weekday=0, actor=westmoor.chair
    )
    db.session.commit()
    _ask(client_request, westmoor)
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "chris@westmoor.example"
    assert subject.startswith(
        "Waiting for the board: June 2025 inspection, recommendation 1 for Westmoor YOS: Olu Owner asks for more time"
    )
    reminders.send_reminders(TODAY)
    assert [recipient for recipient, _, _ in read(smtp_server)] == ["bola@westmoor.example"]
