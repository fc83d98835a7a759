"""Browser journeys (Playwright driving Debian's chromium, axe-core on each page): the board
chair deciding at a meeting from one list, and an oversight user comparing organisations."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import TODAY, check_accessibility, screenshot, sign_in
from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, DeadlineChangeStatus, Status
from tracker.services.actions import post_update, request_deadline_change


def test_the_board_chair_decides_at_a_meeting_from_one_list(app, live_server, page):
    organisation = make_organisation("Northfield Youth Offending Service")
    head = make_user(organisation, AccessLevel.OWNER, name="Sarah Jones")
    chair = make_user(organisation, AccessLevel.BOARD, email="chair@northfield.example", name="Tom Okafor")
    role = make_role(organisation, "YOS Head of Service", holder=head)
    report = make_report(organisation, title="Full joint inspection, May 2025", published=date(2025, 5, 1))
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
    thin = make_action(
        organisation,
        report=report,
        owners=[role],
        due_on=soon,
        number="5",
        text="Victims are contacted promptly and their views recorded",
    )
    request_deadline_change(
        late,
        requested_by=head,
        new_due_on=soon + timedelta(days=90),
        reason="The education data system is replaced in the spring",
        today=TODAY,
    )
    for action in (done, thin):
        post_update(
            action,
            author=head,
            note="Done; audit attached",
            new_status=Status.COMPLETED,
            links=["https://intranet.example/audit"],
            expected_version=1,
        )
    db.session.commit()

    sign_in(page, live_server, chair)
    page.goto(f"{live_server}/organisations/{organisation.slug}/board")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("3 decisions are waiting for the board")
    check_accessibility(page, "board dashboard with the decisions banner")
    banner.get_by_role("link", name="Decide them from one list").click()

    expect(page.get_by_role("heading", name="Decisions waiting for the board")).to_be_visible()
    check_accessibility(page, "decisions list")
    late_card = page.locator(".govuk-summary-card", has_text="recommendation 2")
    late_card.get_by_label("Approve the new date").check()
    page.locator(".govuk-summary-card", has_text="recommendation 4").get_by_label("Sign off as verified").check()
    thin_card = page.locator(".govuk-summary-card", has_text="recommendation 5")
    thin_card.get_by_label("Send back to the owner", exact=True).check()
    page.get_by_role("button", name="Save decisions").click()
    # No reason for sending back: nothing is saved, the problem is named.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the action is going back to its owner")
    check_accessibility(page, "decisions list with an error")
    thin_card = page.locator(".govuk-summary-card", has_text="recommendation 5")
    thin_card.get_by_label("Note or reason").fill("The audit covers one team only")
    page.get_by_role("button", name="Save decisions").click()
    expect(page.get_by_text("3 decisions saved.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting")).to_be_visible()
    screenshot(page, "board-decisions-saved")

    db.session.expire_all()
    assert db.session.get(Action, late.id).deadline_changes[0].status is DeadlineChangeStatus.APPROVED
    assert db.session.get(Action, done.id).status is Status.VERIFIED
    assert db.session.get(Action, thin.id).status is Status.IN_PROGRESS


def test_an_oversight_user_compares_organisations(app, live_server, page):
    yjb = make_organisation("Youth Justice Board")
    viewer = make_user(yjb, AccessLevel.OVERSIGHT, email="olu@yjb.example", name="Olu Oversight")
    for name, overdue in (("Northfield YOS", 3), ("Southfield YOS", 1)):
        organisation = make_organisation(name)
        role = make_role(organisation, "YOS Head of Service", holder=f"head@{organisation.slug}.example")
        report = make_report(organisation, title=f"{name} inspection", published=date(2024, 6, 1))
        report.inspectorate = "HM Inspectorate of Probation"
        for number in range(overdue):
            make_action(
                organisation,
                report=report,
                owners=[role],
                due_on=TODAY - timedelta(days=40),
                number=str(number + 1),
            )
        make_action(organisation, report=report, owners=[role], due_on=TODAY + timedelta(days=200), number="9")
    db.session.commit()

    sign_in(page, live_server, viewer)
    page.goto(f"{live_server}/oversight")
    expect(page.get_by_role("heading", name="Organisations compared")).to_be_visible()
    check_accessibility(page, "organisations compared")
    rows = page.locator("#comparison tbody tr")
    expect(rows.first).to_contain_text("Northfield YOS")
    page.locator("#comparison thead").get_by_role("link", name="Organisation").click()  # sort by name
    page.get_by_label("Inspectorate").select_option("HM Inspectorate of Probation")
    page.get_by_role("button", name="Filter").click()
    north = page.locator("tr", has_text="Northfield YOS")
    expect(north.locator("[data-count=overdue]")).to_have_text("3")
    north.locator("[data-count=overdue]").click()
    expect(page.get_by_text("3 actions match the filters")).to_be_visible()
    check_accessibility(page, "overdue list from the comparison")
    screenshot(page, "oversight-overdue-list")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server}/oversight")
    check_accessibility(page, "organisations compared at 320px")
