import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_organisation, make_user
from tests.importing.report_builders import Block, layout_report
from tests.web.test_reports import REPORT_TEXT
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Report


def _ofsted_style_pdf() -> bytes:
    """An invented report in the layout Ofsted uses: unowned bullets under "What needs to improve?"."""
    return layout_report(
        [
            Block("heading", "Westford local authority children's services"),
            Block(
                "paragraph",
                "Inspection of local authority children's services (ILACS). Inspection dates: 3 to 14 March 2025.",
            ),
            Block("heading", "Overall effectiveness: Requires improvement to be good"),
            Block(
                "paragraph", "Children in Westford are mostly well supported, but some wait too long for help. " * 12
            ),
            Block("heading", "What needs to improve?"),
            Block(
                "item", "The timeliness of assessments for children in need of help and protection.", marker="\u2022"
            ),
            Block(
                "item",
                "The quality of supervision and management oversight of frontline practice, so that "
                "plans for children progress without drift.",
                marker="\u2022",
            ),
            Block("item", "Support for care leavers to find stable and suitable homes.", marker="\u2022"),
            Block("heading", "The experiences and progress of children who need help and protection"),
            Block("paragraph", "Most children get the right help at the right time. " * 20),
        ],
        running_header="Westford inspection of children's services",
    )


def test_a_manager_imports_a_pdf_and_confirms_the_review(app, live_server, page, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Westford Children's Services")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@westford.example")
    db.session.commit()
    report_file = tmp_path / "westford-ilacs.pdf"
    report_file.write_bytes(_ofsted_style_pdf())

    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/{organisation.slug}/reports")
    check_accessibility(page, "reports")
    page.get_by_role("link", name="Import a report").click()
    expect(page).to_have_title(re.compile("^Import a report "))  # the next page has loaded before axe runs
    check_accessibility(page, "import a report")
    page.get_by_label("Report file").set_input_files(str(report_file))
    page.get_by_role("button", name="Read recommendations").click()

    expect(page.get_by_role("heading", name="Check the recommendations before saving")).to_be_visible()
    expect(page.get_by_role("heading", name="3 recommendations")).to_be_visible()
    expect(page.get_by_label("Recommendation (item 2)")).to_have_value(
        "The quality of supervision and management oversight of frontline practice, so that plans for children "
        "progress without drift."
    )
    expect(page.locator(".app-source-text")).to_contain_text("What needs to improve?")
    check_accessibility(page, "import review")
    for item in (1, 2, 3):
        page.get_by_label(f"Owners (item {item})").fill("Director of Children's Services")
    page.get_by_role("group", name="Publication date").get_by_label("Day").fill("16")
    page.get_by_role("group", name="Publication date").get_by_label("Month").fill("5")
    page.get_by_role("group", name="Publication date").get_by_label("Year").fill("2025")
    screenshot(page, "import-review")
    page.get_by_role("button", name="Save report and create actions").click()
    # The deadlines (16 May 2026) have passed: the checks before saving say so; keep them.
    expect(page.locator(".govuk-error-summary")).to_contain_text("has already passed")
    page.get_by_role("button", name="Save anyway", exact=True).click()

    expect(page.get_by_text("Saved: 3 recommendations, each with an action.")).to_be_visible()
    check_accessibility(page, "report page")
    report = db.session.query(Report).one()
    assert report.source_filename == "westford-ilacs.pdf" and report.publication_date == date(2025, 5, 16)
    actions = db.session.query(Action).all()
    assert {action.due_on for action in actions} == {date(2026, 5, 16)}
    assert {role.name for action in actions for role in action.owner_roles} == {"Director of Children's Services"}


def test_a_manager_imports_pasted_text(app, live_server, page, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Eastbrook YOS")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@eastbrook.example")
    db.session.commit()
    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/{organisation.slug}/reports/paste")
    page.get_by_label("Report text").fill(REPORT_TEXT)
    page.get_by_role("button", name="Read recommendations").click()
    expect(page.get_by_role("heading", name="4 recommendations")).to_be_visible()
    page.get_by_role("button", name="Delete item 4").click()
    expect(page.get_by_role("heading", name="3 recommendations")).to_be_visible()
    page.get_by_role("button", name="Save report and create actions").click()
    page.get_by_role("button", name="Save anyway", exact=True).click()  # the deadlines (31 March 2026) have passed
    expect(page.get_by_text("Saved: 3 recommendations, each with an action.")).to_be_visible()
    assert {action.due_on for action in db.session.query(Action)} == {date(2026, 3, 31)}
