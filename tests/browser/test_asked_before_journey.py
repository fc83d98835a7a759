""" "Asked before" in a real browser: a manager imports a second report for the same
organisation, confirms one suggestion, dismisses another, and sees the panel on the action page
and the flag in the board pack, with axe-core on each page."""

import io
from datetime import UTC, date, datetime

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.browser.test_every_page_reflows import WIDTH_PROBLEMS
from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tests.web.test_reports import REPORT_TEXT
from tracker.extensions import db
from tracker.models import AccessLevel, RepeatLink, RepeatState, Report, Status


def test_a_manager_links_a_second_report_to_what_the_first_asked(app, live_server, page, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Northbrook YOS", slug="northbrook")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@northbrook.example", name="Nia Manager")
    chair = make_role(organisation, "Chair of the YOS Management Board", holder=manager)
    first = make_report(organisation, "Inspection of youth offending services in Northbrook", date(2019, 6, 1))
    heard = make_action(
        organisation,
        report=first,
        owners=[chair],
        due_on=date(2020, 6, 1),
        number="2",
        text="The Board hears from every partner agency at each of its meetings",
        status=Status.VERIFIED,
    )
    heard.completed_at = datetime(2020, 5, 1, 9, tzinfo=UTC)
    heard.verified_at, heard.verified_by_id = datetime(2020, 5, 4, 10, tzinfo=UTC), manager.id
    plans = make_action(
        organisation,
        report=first,
        owners=[chair],
        due_on=date(2020, 6, 1),
        number="5",
        text="Plans to keep other people safe are reviewed when circumstances change",
    )
    db.session.commit()

    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/northbrook/reports/paste")
    page.get_by_label("Report text").fill(REPORT_TEXT)
    page.get_by_role("button", name="Read recommendations").click()
    expect(page.get_by_role("heading", name="4 recommendations")).to_be_visible()
    suggestion_1 = page.locator("#asked-before-1")
    expect(suggestion_1).to_contain_text("June 2019 inspection, recommendation 2")
    expect(suggestion_1).to_contain_text("Verified")
    check_accessibility(page, "import review with suggestions")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(WIDTH_PROBLEMS) == []
    page.set_viewport_size({"width": 1100, "height": 900})
    page.get_by_role("group", name="Does item 1 ask the same as June 2019 inspection, recommendation 2?").get_by_label(
        "Yes, asked before"
    ).check()
    page.get_by_role("group", name="Does item 3 ask the same as June 2019 inspection, recommendation 5?").get_by_label(
        "No, different"
    ).check()
    screenshot(page, "asked-before-review")
    page.get_by_role("button", name="Save report and create actions").click()
    page.get_by_role("button", name="Save anyway", exact=True).click()  # the deadlines (March 2026) have passed
    expect(page.get_by_text("Saved: 4 recommendations, each with an action.")).to_be_visible()

    db.session.expire_all()
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    states = {
        (link.recommendation.number, link.earlier_recommendation_id): link.state
        for link in db.session.scalars(select(RepeatLink))
    }
    assert states == {
        ("1", heard.recommendation_id): RepeatState.CONFIRMED,
        ("3", plans.recommendation_id): RepeatState.DISMISSED,
    }

    page.goto(f"{live_server}/actions/{report.recommendations[0].actions[0].id}")
    panel = page.locator(".app-asked-before--confirmed")
    expect(page.get_by_role("heading", name="Asked before", exact=True)).to_be_visible()
    expect(panel).to_contain_text("Repeat after sign-off")
    expect(panel).to_contain_text("Met: completed on 1 May 2020, by the deadline of 1 June 2020.")
    expect(panel).to_contain_text("Signed off as verified by Nia Manager on 4 May 2020.")
    check_accessibility(page, "action page with asked before")
    screenshot(page, "asked-before-action")
    page.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10 Reflow: the panel and its list fit
    assert page.evaluate(WIDTH_PROBLEMS) == []
    page.set_viewport_size({"width": 1100, "height": 900})
    page.get_by_role("link", name="Verified, owned by Chair of the YOS Management Board").click()
    expect(page.get_by_text(heard.recommendation.text)).to_be_visible()

    response = page.request.get(f"{live_server}/organisations/northbrook/board/pack.pdf")
    assert response.ok
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())
    assert "Asked before (1, of which 1 once signed off as complete)" in text
    page.goto(f"{live_server}/organisations/northbrook/actions?repeats=1")
    expect(page.get_by_text("1 action matches the filters.")).to_be_visible()
    check_accessibility(page, "actions asked before")
