"""Journeys that cross features built apart, walked as the people at each end.

A person is forgotten (personal data) while holding a role: their actions now remind nobody
(hand-offs). The oversight reader, whose grant covers only this organisation (oversight
grants), sees it in the comparison; the manager sees it on the dashboard, gives the role a new
holder, who is welcomed by email; and the comparison, a kept page, shows the change at once.
"""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_action, make_organisation, make_oversight_user, make_report, make_role, make_user
from tests.handoffs.conftest import read
from tracker import clock
from tracker.extensions import db
from tracker.models import AccessLevel


def _nobody_reminded(page, slug: str) -> str:
    """The comparison's last column, "Nobody will be reminded", for one organisation's row."""
    expect(page.locator("thead th").last).to_have_text("Nobody will be reminded")
    return page.locator(f"tr[data-organisation='{slug}'] td").last.inner_text().strip()


def test_a_forgotten_role_holder_s_actions_reach_a_new_holder_and_oversight_sees_it(
    app, live_server, page, smtp_server
):
    east = make_organisation("Eastshire YOS", slug="eastshire")
    west = make_organisation("Westshire YOS", slug="westshire")
    admin = make_user(east, AccessLevel.ADMIN, email="ada@eastshire.example", name="Ada Admin")
    manager = make_user(east, AccessLevel.MANAGER, email="morgan@eastshire.example", name="Morgan Manager")
    leaver = make_user(east, AccessLevel.OWNER, email="lee.leaver@eastshire.example", name="Lee Leaver")
    head = make_role(east, "YOS Head of Service", holder=leaver)
    report = make_report(east, "Inspection of youth justice services in Eastshire")
    make_action(
        east,
        report=report,
        owners=[head],
        number="1",
        due_on=clock.today() - timedelta(days=12),
        text="Every child has a plan for education, training or employment",
    )
    make_action(
        east,
        report=report,
        owners=[head],
        number="2",
        due_on=clock.today() + timedelta(days=60),
        text="Health needs are assessed in every case",
    )
    make_action(west, text="A Westshire action nobody holds", owners=[make_role(west, "Westshire lead")])
    reader = make_oversight_user([east], body="Eastern Region Partnership", email="rita@region.example")
    reader.name = "Rita Reader"
    db.session.commit()

    # The oversight reader's comparison: Eastshire alone, everyone reminded.
    sign_in(page, live_server, reader)
    page.get_by_role("link", name="Organisations compared").click()
    expect(page.get_by_role("row").filter(has_text="Eastshire YOS")).to_be_visible()
    expect(page.get_by_role("table")).not_to_contain_text("Westshire YOS")
    assert _nobody_reminded(page, "eastshire") == "0"
    page.get_by_role("button", name="Sign out").click()

    # The admin forgets the leaver and leaves the role unheld.
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/organisations/eastshire/people")
    page.get_by_role("link", name="Forget lee.leaver@eastshire.example").click()
    page.get_by_label("YOS Head of Service").select_option("unheld")
    check_accessibility(page, "forget a role holder")
    page.get_by_role("button", name="Forget Lee Leaver").click()
    expect(page.get_by_text("Lee Leaver has been forgotten.")).to_be_visible()
    expect(page.get_by_role("table")).not_to_contain_text("lee.leaver@eastshire.example")
    page.get_by_role("button", name="Sign out").click()

    # Oversight sees it at once, although the comparison is a kept page.
    sign_in(page, live_server, reader)
    page.get_by_role("link", name="Organisations compared").click()
    assert _nobody_reminded(page, "eastshire") == "2"
    check_accessibility(page, "comparison with actions nobody will hear about")
    page.get_by_role("button", name="Sign out").click()

    # The manager lands on it, gives the role a holder, and is told the welcome went.
    sign_in(page, live_server, manager)
    expect(page.get_by_role("heading", name="Actions nobody will be reminded about")).to_be_visible()
    page.get_by_role("link", name="give the roles a holder in Eastshire YOS").click()
    page.get_by_role("link", name="Change who holds YOS Head of Service").click()
    page.get_by_label("Holder's email address").fill("nia@eastshire.example")
    page.get_by_label("Holder's name").fill("Nia New")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text(
            "A welcome email listing the 2 open actions now theirs (1 overdue) has been sent to nia@eastshire.example."
        )
    ).to_be_visible()
    screenshot(page, "roles-after-a-forgotten-holder")
    page.get_by_role("button", name="Sign out").click()

    emails = read(smtp_server)
    welcome = [text for recipient, subject, text in emails if recipient == "nia@eastshire.example"]
    assert len(welcome) == 1 and "overdue" in welcome[0]
    assert welcome[0].index("Every child has a plan") < welcome[0].index("Health needs are assessed")  # overdue first
    assert not [email for email in emails if "lee.leaver" in email[0]], "nothing goes to a forgotten person"

    # And oversight sees the actions reach someone again.
    sign_in(page, live_server, reader)
    page.get_by_role("link", name="Organisations compared").click()
    assert _nobody_reminded(page, "eastshire") == "0"
