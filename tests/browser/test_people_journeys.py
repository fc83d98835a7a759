"""Browser journeys for people and access: invitations, forgotten passwords, removing someone,
single sign-on, and partner links sent from the action page. axe-core runs on every page."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_action, make_organisation, make_role, make_user
from tests.people.oidc import oidc_provider
from tracker.extensions import db
from tracker.models import AccessLevel, Contact, Role, SsoDomain, Update
from tracker.services.people import organisations


def _link_in(app, live_server, message, marker: str) -> str:
    body = message.get_body(("plain",)).get_content()
    link = next(word for word in body.split() if marker in word)
    return link.replace(app.config["BASE_URL"], live_server)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_invite_accept_set_a_password_and_sign_in(app, live_server, page, browser, smtp_server):
    organisation = make_organisation("Riverside Youth Justice Service")
    admin = make_user(organisation, AccessLevel.ADMIN)
    db.session.commit()
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/organisations/{organisation.slug}/people")
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    check_accessibility(page, "people page")
    page.get_by_role("button", name="Invite someone").click()
    expect(page).to_have_title(re.compile("^Invite someone "))  # the next page has loaded before axe runs
    check_accessibility(page, "invite page")
    page.get_by_role("button", name="Send invitation").click()  # nothing filled in
    expect(page.get_by_role("link", name="Enter the person's email address")).to_be_visible()
    check_accessibility(page, "invite page with errors")
    page.get_by_label("Email address").fill("priya.shah@riverside.example")
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Board member").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("priya.shah@riverside.example has been invited as board member")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Priya Shah"))).to_be_visible()

    ((recipients, message),) = smtp_server.messages
    assert recipients == ["priya.shah@riverside.example"]
    invited = browser.new_context().new_page()
    invited.goto(_link_in(app, live_server, message, "/invitations/"))
    expect(invited.get_by_role("heading", name="Accept your invitation")).to_be_visible()
    check_accessibility(invited, "accept invitation")
    invited.get_by_label("New password", exact=True).fill("river views in winter")
    invited.get_by_label("Confirm new password").fill("river views in winter")
    invited.get_by_role("button", name="Save password").click()
    expect(invited.get_by_role("heading", name="Dashboard")).to_be_visible()
    _sign_out(invited)
    check_accessibility(invited, "signed out")
    invited.get_by_label("Email address").fill("priya.shah@riverside.example")
    invited.get_by_label("Password", exact=True).fill("river views in winter")
    invited.get_by_role("button", name="Sign in").click()
    expect(invited.get_by_role("heading", name="Dashboard")).to_be_visible()
    screenshot(invited, "invitation-accepted")


def test_forgot_password_with_the_email_from_a_real_smtp_server(app, live_server, page, smtp_server):
    user = make_user(make_organisation(), email="sam.lee@council.example")
    db.session.commit()
    page.goto(f"{live_server}/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    check_accessibility(page, "forgot password")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_accessibility(page, "check your email")

    ((recipients, message),) = smtp_server.messages
    assert recipients == [user.email] and message["Subject"] == "Reset your password"
    link = _link_in(app, live_server, message, "/reset-password/")
    page.goto(link)
    check_accessibility(page, "choose a new password")
    page.get_by_label("New password", exact=True).fill("a fresh password please")
    page.get_by_label("Confirm new password").fill("a fresh password please")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    _sign_out(page)
    page.goto(link)  # used once already
    expect(page.get_by_text("This link has already been used")).to_be_visible()
    check_accessibility(page, "link already used")
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("a fresh password please")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_removing_someone_hands_their_roles_over(app, live_server, page):
    organisation = make_organisation("Hillside YOS")
    admin = make_user(organisation, AccessLevel.ADMIN)
    leaving = make_user(organisation, AccessLevel.MANAGER, name="Jo Leaving")
    successor = make_user(organisation, AccessLevel.MANAGER, name="Kim Next")
    make_role(organisation, "YOS Head of Service", holder=leaving)
    organisations.set_role_holder(organisation, "Chair of the Management Board", leaving.email, actor="test")
    db.session.commit()
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/organisations/{organisation.slug}/people")
    page.get_by_role("link", name=f"Remove {leaving.email}").click()
    expect(page.get_by_role("heading", name="Remove Jo Leaving")).to_be_visible()
    check_accessibility(page, "remove person")
    page.get_by_label("YOS Head of Service").select_option(label=f"Kim Next ({successor.email})")
    page.get_by_role("button", name="Remove Jo Leaving").click()
    expect(
        page.get_by_role("link", name="Choose who takes over Chair of the Management Board, or leave it unheld")
    ).to_be_visible()
    check_accessibility(page, "remove person with errors")
    page.get_by_label("Chair of the Management Board").select_option(label="Nobody: leave the role unheld")
    page.get_by_role("button", name="Remove Jo Leaving").click()
    expect(page.get_by_text(f"{leaving.email} no longer has access to Hillside YOS")).to_be_visible()
    check_accessibility(page, "people after removal")
    page.get_by_role("link", name="Roles").click()
    expect(page.get_by_role("row", name=re.compile("YOS Head of Service"))).to_contain_text("Kim Next")
    expect(page.get_by_role("row", name=re.compile("Chair of the Management Board"))).to_contain_text("Nobody")
    screenshot(page, "roles-after-removal")
    db.session.expire_all()
    assert db.session.scalars(select(Role).filter_by(name="YOS Head of Service")).one().holder.user_id == successor.id


def test_single_sign_on_against_a_loopback_provider_including_a_refused_domain(app, live_server, page):
    organisation = make_organisation("Council YOS")
    organisation.sso_domains.append(SsoDomain(domain="council.example"))
    make_user(organisation, AccessLevel.MANAGER, email="alice.smith@council.example")
    db.session.commit()
    with oidc_provider(app):
        page.goto(f"{live_server}/sign-in")
        check_accessibility(page, "sign in with single sign-on")
        page.get_by_role("button", name="Sign in with Council account").click()
        page.get_by_role("button", name="alice", exact=True).click()  # the provider's own page
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        _sign_out(page)
        page.get_by_role("button", name="Sign in with Council account").click()
        page.get_by_role("button", name="bob", exact=True).click()
        expect(page.get_by_role("heading", name="You could not be signed in")).to_be_visible()
        expect(page.get_by_text("Accounts from gmail.example cannot sign in here")).to_be_visible()
        check_accessibility(page, "single sign-on refused")
        screenshot(page, "sso-refused")
        page.goto(f"{live_server}/")
        expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()


def test_a_partner_link_sent_from_the_action_page_and_used(app, live_server, page, browser, smtp_server):
    organisation = make_organisation("Northfield Youth Offending Service")
    manager = make_user(organisation)
    health = Contact(organisation=organisation, email="dr.okafor@health.example", name="Dr Okafor")
    role = make_role(organisation, "Northfield Health Partnership")
    role.holder = health
    action = make_action(
        organisation,
        owners=[role],
        due_on=date(2030, 1, 31),
        number="6",
        text="Every child gets a health assessment within 10 days",
    )
    db.session.commit()
    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/actions/{action.id}")
    expect(page.get_by_role("heading", name="Update links for partners")).to_be_visible()
    check_accessibility(page, "action page with partner links")
    page.get_by_label("Send to").select_option(label="Dr Okafor (dr.okafor@health.example)")
    page.get_by_role("button", name="Send an update link").click()
    expect(page.get_by_text("An update link has been emailed to dr.okafor@health.example")).to_be_visible()
    expect(page.get_by_role("button", name="Send the link to dr.okafor@health.example again")).to_be_visible()

    ((recipients, message),) = smtp_server.messages
    assert recipients == ["dr.okafor@health.example"]
    partner = browser.new_context().new_page()
    partner.goto(_link_in(app, live_server, message, "/partner/actions/"))
    expect(partner.get_by_role("heading", name="Recommendation 6")).to_be_visible()
    check_accessibility(partner, "partner page from a sent link")
    partner.get_by_label("Progress note").fill("Assessment slots agreed with the school nursing team.")
    partner.get_by_label("In progress").check()
    partner.get_by_role("button", name="Post update").click()
    expect(partner.get_by_text("Thank you. Your update has been posted.")).to_be_visible()
    assert db.session.scalars(select(Update)).one().author_contact_id == health.id


def test_api_tokens_on_the_account_page(app, live_server, page):
    user = make_user(make_organisation())
    db.session.commit()
    sign_in(page, live_server, user)
    page.goto(f"{live_server}/account")
    check_accessibility(page, "account page")
    page.get_by_label("What is the token for?").fill("Nightly export")
    page.get_by_label("Expires after").select_option(label="30 days")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    check_accessibility(page, "token created")
    assert page.locator("code.app-token").inner_text().startswith("trk_")
    page.get_by_role("link", name="Back to your account").click()
    expect(page.get_by_role("cell", name="Nightly export", exact=True)).to_be_visible()
    check_accessibility(page, "account page with a token")
    page.get_by_role("button", name="Revoke the token for Nightly export").click()
    expect(page.get_by_text("The token “Nightly export” no longer works.")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
