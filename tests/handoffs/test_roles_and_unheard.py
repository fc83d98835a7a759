"""A role given (command line, Roles page, hand-over on removal) welcomes its new holder; an
import that leaves roles nobody holds is flagged everywhere and reported once to admins and
managers; an access change is emailed; command-line reminder runs count on the Emails page."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from tests.factories import make_action
from tests.handoffs.conftest import TODAY, read
from tracker.boardpack.xlsx import board_pack_xlsx
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Status
from tracker.services.board.pack import board_pack

REPORT = Path(__file__).resolve().parents[1] / "importing" / "fixtures" / "bracket_owners.txt"


def test_an_import_that_leaves_roles_nobody_holds(westmoor, app, client_request, smtp_server):
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["tracker", "import", str(REPORT), "--org", "westmoor"])
    assert imported.exit_code == 0, imported.output
    unheard = db.session.query(Action).filter(Action.id != westmoor.action.id).all()
    assert len(unheard) == 5

    run = runner.invoke(args=["tracker", "send-reminders", "--today", "2026-01-05"])
    lines = run.output.splitlines()
    assert lines[1] == (
        "5 actions had a reminder due that nobody will get: give their owner roles a holder or a "
        "deputy on the Roles page."
    )
    assert (
        "  - Westmoor YOS: October 2017 Full Joint Inspection, recommendation 1"
        " (owner role Head of Service, held by nobody)" in lines
    )
    assert "  - Westmoor YOS: October 2017 Full Joint Inspection, recommendation 5 (no owner role)" in lines

    # The admin and the manager are told once, with a link to the Roles page.
    # (The board chair gets the escalations of the long-overdue ones, as always.)
    emails = [email for email in read(smtp_server) if "nobody" in email[1]]
    assert sorted(recipient for recipient, _, _ in emails) == ["ada@westmoor.example", "morgan@westmoor.example"]
    for _, subject, text in emails:
        assert subject == "Today from Westmoor YOS: 1 warning: actions nobody will be reminded about"
        assert "Westmoor YOS: 5 open actions will remind nobody (owner roles held by nobody: " in text
        assert "http://127.0.0.1:5000/organisations/westmoor/roles" in text
    runner.invoke(args=["tracker", "send-reminders", "--today", "2026-01-06"])
    assert read(smtp_server) == []  # the same set is not told again

    # Flagged on the action list (with a filter), the report page and the dashboard.
    client_request.login(westmoor.manager)
    listed = client_request.get("actions.index", slug="westmoor")
    assert len(listed.select(".app-tag--nobody-reminded")) == 5
    filtered = client_request.get("actions.index", slug="westmoor", unheard=1)
    assert len(filtered.select("tbody tr")) == 5 and filtered.select_one("#unheard").has_attr("checked")
    report_id = unheard[0].recommendation.report_id
    assert len(client_request.get("reports.show", report_id=report_id).select(".app-tag--nobody-reminded")) == 5
    dashboard = client_request.get("dashboard.index")
    link = dashboard.select_one("[data-nobody-reminded]")
    assert link["data-nobody-reminded"] == "5"
    assert link["href"] == client_request.url("actions.index", slug="westmoor", unheard=1)
    # ...the oversight comparison, and the board pack's exceptions.
    row = client_request.get("oversight.index").select_one("tr[data-organisation=westmoor]")
    assert row.select_one("[data-count=nobody_reminded]").text == "5"
    sheet = load_workbook(BytesIO(board_pack_xlsx(board_pack(westmoor.organisation, TODAY))))["Exceptions"]
    kinds = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert kinds.count("Nobody will be reminded") == 5

    # Giving the role a holder welcomes them, and the flag goes.
    head = next(role for action in unheard for role in action.owner_roles if role.name == "Head of Service")
    page = client_request.post(
        "organisations.edit_role",
        {"email": "hana@westmoor.example", "name": "Hana Head", "deputy_email": ""},
        slug="westmoor",
        role_id=head.id,
        _follow=True,
        _expected_status=200,
    )
    assert (
        "A welcome email listing the 1 open action now theirs (1 overdue) has been sent to hana@westmoor.example."
    ) in page.select_one(".govuk-notification-banner").text
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "hana@westmoor.example"
    assert subject == "You now hold the role \u201cHead of Service\u201d in Westmoor YOS"
    assert "Morgan Manager has made you the holder" in text and "overdue, was due on" in text
    assert len(client_request.get("actions.index", slug="westmoor", unheard=1).select("tbody tr")) == 4


def test_a_role_given_on_the_command_line_lists_overdue_actions_first(westmoor, app, smtp_server):
    make_action(
        westmoor.organisation,
        owners=[westmoor.police],
        number="2",
        due_on=date(2025, 12, 1),
        text="Every child is seen by a police officer who knows them",
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "tracker",
            "set-role-holder",
            "--org",
            "westmoor",
            "--role",
            "Police lead",
            "--email",
            "pat@westmoor.example",
            "--name",
            "Pat Police",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "pat@westmoor.example now holds Police lead in Westmoor YOS.",
        "A welcome email listing the 2 open actions now theirs (1 overdue) has been sent to pat@westmoor.example.",
    ]
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "pat@westmoor.example" and "Dear Pat Police," in text
    assert "2 open actions, 1 already overdue:" in text
    assert text.index("overdue, was due on 1 December 2025") < text.index("due on 1 June 2026")
    # Giving it to the same person again is no change, and sends nothing.
    again = app.test_cli_runner().invoke(
        args=[
            "tracker",
            "set-role-holder",
            "--org",
            "westmoor",
            "--role",
            "Police lead",
            "--email",
            "pat@westmoor.example",
        ]
    )
    assert again.output.splitlines() == ["pat@westmoor.example now holds Police lead in Westmoor YOS."]
    assert read(smtp_server) == []


def test_a_hand_over_on_removal_welcomes_the_successor(westmoor, client_request, smtp_server):
    client_request.login(westmoor.admin)
    page = client_request.post(
        "people.remove",
        {f"role-{westmoor.police.id}": str(westmoor.manager.id)},
        slug="westmoor",
        user_id=westmoor.owner.id,
        _follow=True,
        _expected_status=200,
    )
    assert (
        "A welcome email listing the 1 open action now theirs has been sent to morgan@westmoor.example."
        in page.select_one(".govuk-notification-banner").text
    )
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "morgan@westmoor.example" and "Ada Admin has made you the holder" in text


def test_a_change_of_access_is_emailed(westmoor, client_request, smtp_server):
    client_request.login(westmoor.admin)
    page = client_request.post(
        "people.change_access",
        {"level": AccessLevel.BOARD.value},
        slug="westmoor",
        user_id=westmoor.owner.id,
        _follow=True,
        _expected_status=200,
    )
    assert "They have been told by email." in page.select_one(".govuk-notification-banner").text
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "olu@westmoor.example"
    assert subject == "Your access to Westmoor YOS's recommendation tracker has changed"
    assert "Ada Admin has changed your access to Westmoor YOS from action owner to board member." in text


def test_command_line_runs_count_on_the_emails_page(westmoor, app, client_request):
    client_request.login(westmoor.manager)
    never = "Reminders have never run successfully"
    assert never in client_request.get("notifications.outbox", slug="westmoor").text
    result = app.test_cli_runner().invoke(args=["tracker", "send-reminders", "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    page = client_request.get("notifications.outbox", slug="westmoor")
    assert never not in page.text
    assert "command line" in page.text
    assert westmoor.action.status is Status.NOT_STARTED
