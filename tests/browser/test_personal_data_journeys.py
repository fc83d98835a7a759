"""Browser journeys for personal data: a manager redacts an update that named a child, and an
admin forgets a member of staff who left. axe-core runs on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.factories import make_action, make_organisation, make_role, make_user
from tests.personal_data.helpers import rows_holding
from tracker.extensions import db
from tracker.models import AccessLevel, Status
from tracker.services import actions


def test_a_manager_redacts_an_update_that_named_a_child(app, live_server, page):
    organisation = make_organisation("Riverside Youth Justice Service")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Mo Manager")
    owner = make_user(organisation, AccessLevel.OWNER, name="Olu Owner")
    action = make_action(organisation, owners=[make_role(organisation, holder=owner)])
    actions.post_update(
        action,
        author=owner,
        note="Reviewed the plan for Kayden Brookes-Hale with his mother.",
        new_status=Status.IN_PROGRESS,
        expected_version=action.version,
    )
    db.session.commit()
    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/actions/{action.id}")
    page.get_by_role("link", name=re.compile("^Redact")).click()
    expect(page.get_by_role("heading", name="Redact this update")).to_be_visible()
    check_accessibility(page, "redact an update")
    page.get_by_role("button", name="Redact the update").click()  # no reason given
    expect(page.get_by_role("link", name="Say why it is being removed, for the record")).to_be_visible()
    check_accessibility(page, "redact an update with errors")
    page.get_by_label("Why is it being removed?").fill("It named a child")
    page.get_by_role("button", name="Redact the update").click()
    expect(page.get_by_text("The update's text has been removed.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Update redacted by Mo Manager on .*: It named a child"))).to_be_visible()
    expect(page.get_by_text("Kayden")).to_have_count(0)
    check_accessibility(page, "action page after a redaction")
    assert rows_holding("Kayden Brookes-Hale") == []


def test_an_admin_forgets_a_member_of_staff_who_left(app, live_server, page):
    organisation = make_organisation("Riverside Youth Justice Service")
    admin = make_user(organisation, AccessLevel.ADMIN, name="Ada Admin")
    leaver = make_user(organisation, AccessLevel.MANAGER, name="Lee Leaver", email="lee.leaver@riverside.example")
    successor = make_user(organisation, AccessLevel.MANAGER, name="Sol Successor")
    action = make_action(organisation, owners=[make_role(organisation, name="Head of Service", holder=leaver)])
    actions.post_update(action, author=leaver, note="Quality assurance started.", expected_version=action.version)
    db.session.commit()
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/organisations/{organisation.slug}/people")
    page.get_by_role("link", name="Forget lee.leaver@riverside.example").click()
    expect(page.get_by_role("heading", name="Forget Lee Leaver")).to_be_visible()
    check_accessibility(page, "forget a person")
    page.get_by_role("button", name="Forget Lee Leaver").click()  # nobody chosen for the role
    expect(page.get_by_role("link", name="Choose who takes over Head of Service, or leave it unheld")).to_be_visible()
    check_accessibility(page, "forget a person with errors")
    page.get_by_label("Head of Service").select_option(label=f"Sol Successor ({successor.email})")
    page.get_by_role("button", name="Forget Lee Leaver").click()
    expect(page.get_by_text(re.compile("Lee Leaver has been forgotten"))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Lee Leaver"))).to_have_count(0)
    check_accessibility(page, "people page after forgetting")
    page.goto(f"{live_server}/actions/{action.id}")
    expect(page.get_by_text(f"a former member of staff (#{leaver.id})").first).to_be_visible()
    page.get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", name="Privacy notice")).to_be_visible()
    check_accessibility(page, "privacy notice")
    assert rows_holding("lee.leaver@riverside.example") == []
