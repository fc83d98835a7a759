from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import TODAY, check_accessibility, screenshot
from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import Contact, PartnerLink, Update, utc_now
from tracker.services.people import partner_links


def test_a_partner_updates_an_action_from_an_emailed_link(app, live_server, page):
    organisation = make_organisation("Northfield Youth Offending Service")
    make_user(organisation)
    police = Contact(organisation=organisation, email="inspector.lee@police.example", name="Inspector Lee")
    role = make_role(organisation, "Cambridgeshire Constabulary")
    role.holder = police
    action = make_action(
        organisation,
        owners=[role],
        due_on=TODAY + timedelta(days=60),
        number="4",
        text="Routine intelligence sharing between the police and the YOS covers every child arrested",
    )
    other = make_action(organisation, owners=[role], number="5")
    db.session.commit()
    with app.test_request_context():
        url = partner_links.partner_link_for(action, police)
    db.session.commit()
    path = url.removeprefix(app.config["BASE_URL"])

    page.goto(live_server + path)
    expect(page.get_by_role("heading", name="Recommendation 4")).to_be_visible()
    expect(page.get_by_text("You are updating this as Inspector Lee")).to_be_visible()
    check_accessibility(page, "partner update page")
    page.get_by_label("Progress note").fill("Daily arrest list now shared with the YOS duty officer.")
    page.get_by_label("In progress").check()
    page.get_by_label("Links to evidence (optional)").fill("https://intranet.police.example/arrest-list-protocol")
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_text("Thank you. Your update has been posted.")).to_be_visible()
    expect(page.locator(".app-history__item").first).to_contain_text("Inspector Lee")
    screenshot(page, "partner-link")
    update = db.session.query(Update).one()
    assert update.author_contact_id == police.id and update.links == [
        "https://intranet.police.example/arrest-list-protocol"
    ]

    # The same link for another action: refused, with why.
    page.goto(live_server + path.replace(f"/actions/{action.id}/", f"/actions/{other.id}/"))
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(page.get_by_text("This link is for a different action")).to_be_visible()
    check_accessibility(page, "partner link refused")

    # Expired.
    link = db.session.query(PartnerLink).one()
    link.expires_at = utc_now() - timedelta(minutes=1)
    db.session.commit()
    page.goto(live_server + path)
    expect(page.get_by_text("This link has expired or been withdrawn")).to_be_visible()

    # Revoked (even though not expired).
    link.expires_at = utc_now() + timedelta(days=5)
    link.revoked_at = utc_now()
    db.session.commit()
    page.goto(live_server + path)
    expect(page.get_by_text("This link has expired or been withdrawn")).to_be_visible()

    # The partner no longer holds the role.
    link.revoked_at = None
    role.holder = None
    db.session.commit()
    page.goto(live_server + path)
    expect(page.get_by_text("You no longer hold a role that owns this action")).to_be_visible()
