import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import TODAY, check_accessibility, screenshot, sign_in
from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel


def test_a_manager_opens_a_report_and_an_action_and_posts_an_update(app, live_server, page):
    organisation = make_organisation("Northfield Youth Offending Service")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@northfield.example", name="Priya Shah")
    head = make_role(organisation, "YOS Head of Service", holder=manager)
    action = make_action(
        organisation,
        owners=[head],
        number="4",
        due_on=TODAY + timedelta(days=45),
        text="Managers check that plans to manage risk of harm to others are reviewed "
        "whenever a child's circumstances change",
    )
    db.session.commit()

    page.goto(f"{live_server}/sign-in")
    check_accessibility(page, "sign in")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password", exact=True).fill(manager.test_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    check_accessibility(page, "dashboard")

    page.get_by_role("link", name="Northfield Youth Offending Service").first.click()
    page.get_by_role("link", name=action.recommendation.report.title).click()
    page.get_by_role("link", name=re.compile("Managers check that plans")).click()
    expect(page.get_by_role("heading", name="Recommendation 4")).to_be_visible()
    check_accessibility(page, "action page")

    page.get_by_label("Progress note").fill("New risk review checklist agreed with team managers.")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Post update").click()

    expect(page.get_by_text("Your update has been posted.")).to_be_visible()
    history = page.locator(".app-history__item")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("New risk review checklist agreed with team managers.")
    expect(history.first).to_contain_text("Not started → In progress")
    expect(page.locator("#audit + p a")).to_have_attribute("href", re.compile(r"/actions/\d+/audit$"))
    check_accessibility(page, "action page after an update")
    screenshot(page, "action-page")


def test_a_manager_moves_actions_to_another_role_from_the_action_list(app, live_server, page):
    organisation = make_organisation("Northfield Youth Offending Service")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@northfield.example", name="Priya Shah")
    old = make_role(organisation, "Head of Early Help", holder=manager)
    new = make_role(organisation, "Head of Targeted Youth Support")
    due = TODAY + timedelta(days=60)
    moving = make_action(
        organisation, owners=[old], number="1", due_on=due, text="Waiting lists for interventions are reviewed monthly"
    )
    staying = make_action(
        organisation,
        owners=[old],
        number="2",
        due_on=due + timedelta(days=1),
        text="Case records show the child's voice in every plan",
    )
    db.session.commit()

    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/{organisation.slug}/actions")
    expect(page.get_by_role("heading", name="Move actions to another role")).to_be_visible()
    check_accessibility(page, "action list")

    page.get_by_label("Move actions from").select_option(value=str(old.id))
    page.get_by_label("to", exact=True).select_option(value=str(new.id))
    page.get_by_role("group", name="Actions to move").get_by_label(re.compile(r"^1\. Waiting lists")).check()
    page.get_by_role("button", name="Move the chosen actions").click()
    expect(page.get_by_text(f"Moved 1 action to {new.name}.")).to_be_visible()

    db.session.expire_all()
    assert [role.name for role in db.session.get(type(moving), moving.id).owner_roles] == [new.name]
    assert [role.name for role in db.session.get(type(staying), staying.id).owner_roles] == [old.name]
