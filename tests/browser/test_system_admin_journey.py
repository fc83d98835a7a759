"""A system administrator gives oversight over one organisation; the oversight reader then sees
that organisation and not another."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_action, make_organisation, make_system_admin, make_user
from tracker.extensions import db


def test_a_system_administrator_gives_oversight_over_one_organisation(app, live_server, page):
    north = make_organisation("Northfield Youth Offending Service")
    south = make_organisation("Southfield Youth Offending Service")
    seen = make_action(north, text="Every partner sends a senior member to Board meetings")
    hidden = make_action(south, text="Children's education is tracked by the Board each quarter")
    administrator = make_system_admin(email="sam@tracker.example")
    reader = make_user(None, email="olu@region.example", name="Olu Adeyemi")
    db.session.commit()

    sign_in(page, live_server, administrator)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="System administration").click()
    expect(page.get_by_role("heading", name="System administration", level=1)).to_be_visible()
    check_accessibility(page, "system administration")
    page.get_by_role("button", name="Give oversight").click()  # a link styled as a button
    expect(page).to_have_title(re.compile("^Give oversight "))  # the next page has loaded before axe runs
    check_accessibility(page, "give oversight")
    page.get_by_role("button", name="Give oversight").click()  # nothing filled in: errors, linked to fields
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page, "give oversight with errors")
    page.get_by_label("Email address of the person").fill(reader.email)
    page.get_by_label("Oversight body").fill("Northern Region Partnership")
    page.get_by_label("Only the organisations chosen below").check()
    page.get_by_label("Northfield Youth Offending Service").check()
    page.get_by_role("button", name="Give oversight").click()
    expect(
        page.get_by_text(
            "olu@region.example may now read Northfield Youth Offending Service for Northern Region Partnership."
        )
    ).to_be_visible()
    expect(page.get_by_role("row", name="Northern Region Partnership")).to_contain_text("Active")
    screenshot(page, "system-administration-grant")
    page.set_viewport_size({"width": 320, "height": 800})  # reflows at 320 CSS pixels
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1100, "height": 900})
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, reader)
    expect(page.get_by_role("link", name="System administration")).to_have_count(0)
    page.goto(f"{live_server}/oversight")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Northfield Youth Offending Service")
    expect(table).not_to_contain_text("Southfield Youth Offending Service")
    check_accessibility(page, "oversight comparison of one organisation")
    page.goto(f"{live_server}/actions/{seen.id}")
    expect(page.get_by_text("Every partner sends a senior member to Board meetings").first).to_be_visible()
    response = page.goto(f"{live_server}/actions/{hidden.id}")
    assert response.status == 404
    assert page.goto(f"{live_server}/system").status == 403
