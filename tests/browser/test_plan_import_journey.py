"""A manager imports the spreadsheet plan they already keep: upload, fix a column and a row, save."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_organisation, make_user
from tests.plans.builders import title_block_plan
from tracker.extensions import db
from tracker.models import AccessLevel, Action

STEPS = [
    (
        "1",
        "Improve the quality of assessments of risk of harm to others.",
        [
            (
                "Audit twenty assessments each quarter",
                "Head of Service",
                "31/03/2026",
                "G",
                "First audit done.",
                "20/01/2026",
            ),
            ("Train case managers", "Practice Manager", "Sometime soon", "A", "Two sessions held.", "15/02/2026"),
            ("Report audit findings to the board", "Board Chair", "Mar-26", "R", None, None),
        ],
    )
]


def test_a_manager_imports_an_existing_plan(app, live_server, page, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Southmoor YJS")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@southmoor.example")
    db.session.commit()
    plan_file = tmp_path / "improvement plan.xlsx"
    plan_file.write_bytes(title_block_plan(STEPS))

    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/{organisation.slug}/reports")
    page.get_by_role("link", name="Import an existing plan").click()
    expect(page).to_have_title(re.compile("^Import an existing plan "))  # the next page has loaded before axe runs
    check_accessibility(page, "import a plan")
    page.get_by_label("Plan file").set_input_files(str(plan_file))
    page.get_by_role("button", name="Read the plan").click()

    expect(page.get_by_role("heading", name="Check what each column holds")).to_be_visible()
    check_accessibility(page, "plan columns")
    update_date = page.get_by_label("Column 8: Date of update")
    expect(update_date).to_have_value("update_date")
    page.get_by_label("Column 7: Progress update").select_option("ignore")
    page.get_by_role("button", name="Preview the plan").click()

    expect(page.get_by_role("heading", name="Check the plan before saving")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Row 6")
    expect(page.get_by_text("First audit done.")).to_have_count(0)  # the column is not imported now
    check_accessibility(page, "plan preview with a problem")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 1100, "height": 900})
    page.get_by_label("Deadline (row 6)").fill("28/03/2026")
    for owner in ("Head of Service", "Practice Manager", "Board Chair"):  # the organisation has no roles yet
        page.get_by_label(f"“{owner}” on the plan").select_option("new")
    page.get_by_role("button", name="Check again").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_text("Deadline changed by you.")).to_be_visible()
    screenshot(page, "plan-preview")
    page.get_by_role("button", name="Save the plan").click()

    expect(page.get_by_text("Imported the plan: 1 recommendation.")).to_be_visible()
    expect(page.get_by_text("Train case managers")).to_be_visible()
    check_accessibility(page, "imported plan")
    titles = [action.title for action in db.session.query(Action).order_by(Action.id)]
    assert titles == [
        None,
        "Audit twenty assessments each quarter",
        "Train case managers",
        "Report audit findings to the board",
    ]
