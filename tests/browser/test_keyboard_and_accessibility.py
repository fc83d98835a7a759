from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TODAY, check_accessibility, screenshot
from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Status, Update


def test_the_accessibility_check_catches_a_known_problem(page):
    page.set_content(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main>"
        "<img src='chart.png'><input type='text'></main></body></html>"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_accessibility(page, "a page with an unlabelled image")


def _tab_to(page, description: str, matches: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JavaScript predicate `matches`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({matches}); }})()"):
            return
    raise AssertionError(f"Could not reach {description} with the Tab key")


def test_posting_an_update_with_the_keyboard_only(app, live_server, page):
    organisation = make_organisation("Northfield Youth Offending Service")
    owner = make_user(organisation, AccessLevel.OWNER, email="owner@northfield.example", name="Sarah Jones")
    role = make_role(organisation, "YOS Head of Service", holder=owner)
    action = make_action(
        organisation,
        owners=[role],
        number="5",
        due_on=TODAY + timedelta(days=40),
        text="Speech, language and communication needs are assessed early for every child",
    )
    db.session.commit()

    page.goto(f"{live_server}/sign-in")
    _tab_to(page, "the skip link", "el.classList.contains('govuk-skip-link')")
    _tab_to(page, "the email box", "el.id === 'email'")
    page.keyboard.type(owner.email)
    _tab_to(page, "the password box", "el.id === 'password'")
    page.keyboard.type(owner.test_password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    _tab_to(page, "the action in 'Your actions'", f"el.getAttribute('href') === '/actions/{action.id}'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Recommendation 5")).to_be_visible()

    _tab_to(page, "the progress note", "el.id === 'note'")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused field must show where focus is"
    page.keyboard.type("Speech and language screening added to every assessment from 1 May.")
    _tab_to(
        page,
        "the 'In progress' status",
        "el.type === 'radio' && el.value === 'in_progress' || el.type === 'radio' && el.name === 'status'",
    )
    while not page.evaluate("document.activeElement.value === 'in_progress'"):
        page.keyboard.press("ArrowDown")
    _tab_to(page, "the Post update button", "el.type === 'submit' && el.textContent.trim() === 'Post update'")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your update has been posted.")).to_be_visible()
    screenshot(page, "keyboard-update")
    update = db.session.query(Update).one()
    assert update.status_after is Status.IN_PROGRESS and update.author_id == owner.id
    check_accessibility(page, "action page after a keyboard update")


def test_the_accessibility_statement_and_error_pages(live_server, page):
    for path in ("/accessibility", "/sign-in", "/no-such-page"):
        page.goto(live_server + path)
        check_accessibility(page, path)
    page.goto(f"{live_server}/sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page, "sign-in with errors")
