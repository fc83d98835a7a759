from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import TODAY, check_accessibility, screenshot, sign_in
from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, DeadlineChangeStatus, Status
from tracker.services.actions import post_update, request_deadline_change


def test_a_board_member_approves_a_deadline_change_and_signs_off_an_action(app, live_server, page):
    organisation = make_organisation("Northfield Youth Offending Service")
    head = make_user(organisation, AccessLevel.OWNER, name="Sarah Jones")
    chair = make_user(organisation, AccessLevel.BOARD, email="chair@northfield.example", name="Tom Okafor")
    role = make_role(organisation, "YOS Head of Service", holder=head)
    report = make_report(organisation, title="Full joint inspection, May 2026")
    soon = TODAY + timedelta(days=20)
    late = make_action(
        organisation,
        report=report,
        owners=[role],
        due_on=soon,
        number="2",
        text="The Board receives quarterly information on education, training and employment",
    )
    done = make_action(
        organisation,
        report=report,
        owners=[role],
        due_on=soon,
        number="4",
        text="Plans to manage risk of harm are reviewed whenever circumstances change",
    )
    request_deadline_change(
        late,
        requested_by=head,
        new_due_on=soon + timedelta(days=90),
        reason="The education data system is replaced in the spring",
        today=TODAY,
    )
    post_update(
        done,
        author=head,
        note="Risk review checklist in use; audit attached",
        new_status=Status.COMPLETED,
        links=["https://intranet.example/risk-audit"],
        expected_version=1,
    )
    db.session.commit()

    sign_in(page, live_server, chair)
    page.goto(f"{live_server}/organisations/{organisation.slug}/board/next-meeting")
    expect(page.get_by_role("heading", name="For the board to decide")).to_be_visible()
    check_accessibility(page, "next board meeting")
    screenshot(page, "board-next-meeting")

    page.goto(f"{live_server}/actions/{late.id}")
    expect(page.get_by_text("The education data system is replaced in the spring")).to_be_visible()
    page.get_by_label("Approve the new deadline").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Deadline change approved.")).to_be_visible()
    expect(page.get_by_text(f"(originally {soon.strftime('%-d %B %Y')})")).to_be_visible()

    page.goto(f"{live_server}/actions/{done.id}")
    page.get_by_label("Sign-off note (optional)").fill("Evidence checked at the board.")
    page.get_by_role("button", name="Sign off as verified").click()
    expect(page.get_by_text("The action is signed off as verified.")).to_be_visible()
    check_accessibility(page, "verified action")

    db.session.expire_all()
    assert db.session.get(Action, late.id).due_on == soon + timedelta(days=90)
    assert db.session.get(Action, late.id).deadline_changes[0].status is DeadlineChangeStatus.APPROVED
    assert db.session.get(Action, done.id).status is Status.VERIFIED

    page.goto(f"{live_server}/organisations/{organisation.slug}/board")
    expect(page.get_by_role("heading", name="Board dashboard")).to_be_visible()
    check_accessibility(page, "board dashboard")
    screenshot(page, "board-dashboard")


def test_an_oversight_user_searches_recurring_themes(app, live_server, page):
    north = make_organisation("Northfield YOS")
    south = make_organisation("Southbay YOS")
    for organisation in (north, south):
        make_action(
            organisation,
            text="All of the health needs of children, including speech and language needs, are identified and met",
        )
    make_action(south, text="Management oversight of case work is consistent and effective")
    viewer = make_user(make_organisation("Youth Justice Board"), AccessLevel.OVERSIGHT, email="analyst@yjb.example")
    db.session.commit()

    sign_in(page, live_server, viewer)
    page.get_by_role("link", name="Themes").click()
    expect(page.get_by_role("heading", name="Recurring themes across reports")).to_be_visible()
    check_accessibility(page, "themes")
    health = page.locator("tr[data-theme='health']")
    expect(health).to_contain_text("Northfield YOS")
    expect(health).to_contain_text("Southbay YOS")
    screenshot(page, "themes")
    page.get_by_label("Search recommendations").fill("speech and language")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Northfield YOS").first).to_be_visible()
    expect(page.get_by_text("Management oversight of case work")).to_have_count(0)
    check_accessibility(page, "theme search")
