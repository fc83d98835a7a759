"""Hand-offs between people, in the browser, with the emails read from a real SMTP server:
the owner asks and the board decides; a send-back; a role given; an import that leaves roles
nobody holds; a step asking for more time past its recommendation's deadline."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tests.handoffs.conftest import read
from tracker import clock
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Status
from tracker.services.actions import add_plan_step, post_update
from tracker.services.reminders import run as reminders

REPORT = Path(__file__).resolve().parents[1] / "importing" / "fixtures" / "bracket_owners.txt"


def _organisation(slug: str):
    organisation = make_organisation(f"{slug.capitalize()} YOS", slug=slug)
    owner = make_user(organisation, AccessLevel.OWNER, email=f"olu@{slug}.example", name="Olu Owner")
    chair = make_user(organisation, AccessLevel.BOARD, email=f"chris@{slug}.example", name="Chris Chair")
    manager = make_user(organisation, AccessLevel.MANAGER, email=f"morgan@{slug}.example", name="Morgan Manager")
    police = make_role(organisation, "Police lead", holder=owner)
    chair_role = make_role(organisation, "Chair of the YOS Management Board", holder=chair)
    chair_role.is_board_chair = True
    report = make_report(organisation, f"Inspection of youth justice services in {slug.capitalize()}", date(2025, 6, 1))
    return organisation, owner, chair, manager, police, report


def test_owner_asks_the_board_decides_and_the_owner_is_told(app, live_server, page, smtp_server):
    organisation, owner, chair, _, police, report = _organisation("riverton")
    due = clock.today() + timedelta(days=40)
    action = make_action(
        organisation,
        report=report,
        owners=[police],
        number="1",
        due_on=due,
        text="Police and the YOS share arrest information within a day",
    )
    db.session.commit()

    sign_in(page, live_server, owner)
    page.goto(f"{live_server}/actions/{action.id}")
    page.get_by_text("Ask for more time").click()
    later = due + timedelta(days=90)
    page.get_by_label("Day").fill(str(later.day))
    page.get_by_label("Month").fill(str(later.month))
    page.get_by_label("Year").fill(str(later.year))
    page.get_by_label("Why is more time needed?").fill("The shared system goes live next quarter")
    page.get_by_role("button", name="Ask the board for a new deadline").click()
    expect(page.get_by_text("Your request has been sent to the board.")).to_be_visible()

    reminders.send_reminders(clock.today())  # (the owner may get their own reminder too)
    ((recipient, subject, text),) = [email for email in read(smtp_server) if email[0] == "chris@riverton.example"]
    assert subject == "Today from Riverton YOS: 1 decision waiting for the board"
    assert "Why: The shared system goes live next quarter" in text

    page.context.clear_cookies()
    sign_in(page, live_server, chair)
    expect(page.get_by_text("1 decision is waiting for the board")).to_be_visible()
    check_accessibility(page, "dashboard with decisions waiting")
    page.get_by_role("link", name="Decide them from one list").click()
    expect(page).to_have_title(re.compile("^Decisions waiting "))  # the next page has loaded before axe runs
    check_accessibility(page, "decisions list")
    page.goto(f"{live_server}/actions/{action.id}")
    page.get_by_label("Refuse").check()
    page.get_by_label("Note for the record").fill("Use the interim spreadsheet until then")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Deadline change refused.")).to_be_visible()

    ((recipient, subject, text),) = read(smtp_server)  # at once: no scheduler run in between
    assert recipient == "olu@riverton.example" and subject.startswith("More time refused:")
    assert "The board's note: Use the interim spreadsheet until then" in text


def test_a_send_back_reaches_the_owner_at_once(app, live_server, page, smtp_server):
    organisation, owner, chair, _, police, report = _organisation("sendham")
    action = make_action(
        organisation,
        report=report,
        owners=[police],
        number="2",
        due_on=clock.today() + timedelta(days=40),
        text="Every child has a named police contact",
    )
    post_update(
        action,
        author=owner,
        note="Contacts named for all",
        new_status=Status.COMPLETED,
        links=["https://intranet.example/contacts"],
        expected_version=action.version,
    )
    db.session.commit()

    sign_in(page, live_server, chair)
    page.goto(f"{live_server}/actions/{action.id}/send-back")
    check_accessibility(page, "send back")
    page.get_by_label("Why is it going back").fill("Show the list for the south team too")
    page.get_by_role("button", name="Send back").click()
    expect(page.get_by_text("The action is back with its owner")).to_be_visible()
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "olu@sendham.example" and subject.startswith("Sent back by the board:")
    assert "Why: Show the list for the south team too" in text


def test_a_role_given_welcomes_its_holder_and_the_giver_sees_it(app, live_server, page, smtp_server):
    organisation, _, _, manager, police, report = _organisation("givenford")
    make_action(
        organisation,
        report=report,
        owners=[police],
        number="3",
        due_on=clock.today() - timedelta(days=10),
        text="Out-of-court disposals are reviewed by a panel",
    )
    db.session.commit()

    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/givenford/roles/{police.id}")
    check_accessibility(page, "edit role")
    page.get_by_label("Holder's email address").fill("pat@givenford.example")
    page.get_by_label("Holder's name").fill("Pat Police")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text(
            "A welcome email listing the 1 open action now theirs (1 overdue) has been sent to pat@givenford.example."
        )
    ).to_be_visible()
    check_accessibility(page, "roles after a welcome")
    ((recipient, subject, text),) = read(smtp_server)
    assert recipient == "pat@givenford.example"
    assert subject == "You now hold the role \u201cPolice lead\u201d in Givenford YOS"
    assert "Morgan Manager has made you the holder" in text and "overdue, was due on" in text


def test_an_import_that_leaves_roles_nobody_holds(app, live_server, page, smtp_server):
    organisation, _, _, manager, _, _ = _organisation("unheardby")
    db.session.commit()
    imported = app.test_cli_runner().invoke(args=["tracker", "import", str(REPORT), "--org", "unheardby"])
    assert imported.exit_code == 0, imported.output

    reminders.send_reminders(clock.today())
    warnings = [email for email in read(smtp_server) if "nobody" in email[1]]
    assert [recipient for recipient, _, _ in warnings] == ["morgan@unheardby.example"]
    assert "/organisations/unheardby/roles" in warnings[0][2]

    sign_in(page, live_server, manager)
    expect(page.get_by_role("heading", name="Actions nobody will be reminded about")).to_be_visible()
    check_accessibility(page, "dashboard with actions nobody will hear about")
    page.get_by_role("link", name="5 actions in Unheardby YOS").click()
    expect(page.get_by_label("Nobody will be reminded")).to_be_checked()
    expect(page.get_by_text("Nobody will be reminded", exact=True).locator("visible=true")).to_have_count(6)
    check_accessibility(page, "actions nobody will be reminded about")


def test_a_step_asks_for_more_time_past_its_recommendation_s_deadline(app, live_server, page, smtp_server):
    organisation, owner, chair, manager, police, report = _organisation("stepton")
    main = make_action(
        organisation,
        report=report,
        owners=[police],
        number="4",
        due_on=clock.today() - timedelta(days=20),
        text="Caseworkers are trained in trauma-informed work",
    )
    step = add_plan_step(
        main.recommendation,
        title="Book the training",
        owners=[police],
        lead=police,
        due_on=clock.today() - timedelta(days=30),
        created_by=manager,
    )
    db.session.commit()
    later = clock.today() + timedelta(days=60)

    sign_in(page, live_server, owner)
    page.goto(f"{live_server}/actions/{step.id}")
    page.get_by_text("Ask for more time").click()
    page.get_by_label("Day").fill(str(later.day))
    page.get_by_label("Month").fill(str(later.month))
    page.get_by_label("Year").fill(str(later.year))
    page.get_by_label("Why is more time needed?").fill("The trainer is booked for next term")
    page.get_by_role("button", name="Ask the board for a new deadline").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("also ask for the recommendation's deadline to move")
    check_accessibility(page, "a step's request refused with the way out")
    page.get_by_label("also ask for the recommendation's deadline to move to it").check()
    page.get_by_role("button", name="Ask the board for a new deadline").click()
    expect(page.get_by_text("Your request has been sent to the board.")).to_be_visible()

    reminders.send_reminders(clock.today())
    ((_, _, text),) = [email for email in read(smtp_server) if email[0] == "chris@stepton.example"]
    assert "and the recommendation's deadline to move with it" in text

    page.context.clear_cookies()
    sign_in(page, live_server, chair)
    page.goto(f"{live_server}/actions/{step.id}")
    expect(page.get_by_text("and the recommendation's deadline with it")).to_be_visible()
    page.get_by_label("Approve the new deadline").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Deadline change approved.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Action, step.id).due_on == later and db.session.get(Action, main.id).due_on == later
    ((recipient, _, text),) = read(smtp_server)
    assert recipient == "olu@stepton.example" and "The recommendation's deadline moved with it." in text
