"""A plan whose recommendations are in another order than the report's, its owners mapped to
existing roles; and two roles merged from the Roles page, after which reminders reach the
holder of the role that stayed (read from the SMTP server on loopback)."""

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.conftest import check_accessibility, sign_in
from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tests.plans.builders import title_block_plan
from tracker import clock
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Flag, Role, Status
from tracker.services.imports.plan_matching import choice_key
from tracker.services.reminders.run import send_reminders

ASSESSMENT = "Improve the quality of assessments of risk of harm to others"
EDUCATION = "Make sure children have good access to education, training and employment"


def test_a_plan_in_another_order_is_matched_by_wording_and_its_owners_to_existing_roles(
    app, live_server, page, tmp_path
):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    today = clock.today()
    organisation = make_organisation("Westmere YJS")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@westmere.example")
    head = make_role(organisation, "YOS Head of Service", holder="head@westmere.example")
    make_role(organisation, "Chair of the YOS Management Board", holder="chair@westmere.example")
    report = make_report(organisation, title="Westmere inspection", published=today - timedelta(days=120))
    for number, text in (("1", ASSESSMENT), ("2", EDUCATION)):
        make_action(organisation, report=report, number=number, text=text, due_on=today + timedelta(days=240))
    db.session.commit()
    due, updated = f"{today + timedelta(days=60):%d/%m/%Y}", today - timedelta(days=30)
    plan_file = tmp_path / "improvement plan.xlsx"
    plan_file.write_bytes(
        title_block_plan(
            [
                (
                    "1",
                    "Children get good access to education, training and employment",
                    [
                        ("Link with colleges", "Head of Service", due, "R", "Waiting on the college.", None),
                        ("Check attendance every month", "Board Chair", due, "Green", "Attendance checked.", None),
                    ],
                ),
                (
                    "2",
                    "Assessments of risk of harm are better quality",
                    [("Audit assessments", "Practice Manager", due, "Complete", "All audited.", updated)],
                ),
            ]
        )
    )

    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/{organisation.slug}/plans/import")
    page.get_by_label("Plan file").set_input_files(str(plan_file))
    page.get_by_role("button", name="Read the plan").click()
    page.get_by_label("Westmere inspection").check()
    page.get_by_role("button", name="Preview the plan").click()

    expect(page.get_by_role("heading", name="Check the plan before saving")).to_be_visible()
    first = page.get_by_label("The report’s recommendation that plan recommendation 1 goes under")
    second = page.get_by_label("The report’s recommendation that plan recommendation 2 goes under")
    expect(first.locator("option:checked")).to_have_text(f"2. {EDUCATION}")
    expect(second.locator("option:checked")).to_have_text(f"1. {ASSESSMENT}")
    expect(page.locator(f"#match-{choice_key('1')}-hint")).to_contain_text("exact match")
    expect(page.locator(f"#match-{choice_key('2')}-hint")).to_contain_text("likely match (81% alike)")
    expect(page.locator(f"#owner-{choice_key('Head of Service')}-hint")).to_contain_text(
        "YOS Head of Service (likely: check it)"
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a role for the owner “Practice Manager”")
    expect(page.get_by_text("Step 2a: Link with colleges")).to_be_visible()
    expect(page.get_by_text("The update has no date")).to_have_count(1)  # two rows, said once
    check_accessibility(page, "plan preview with matches")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 1100, "height": 900})

    page.get_by_role("button", name="Save the plan").click()  # refused: Practice Manager has no role yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a role for each owner")
    assert db.session.scalar(select(func.count()).select_from(Action)) == 2
    page.get_by_label("“Practice Manager” on the plan").select_option(str(head.id))
    page.get_by_role("button", name="Check again").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator(f"#owner-{choice_key('Practice Manager')}-hint")).to_contain_text("chosen by you")
    page.get_by_role("button", name="Save the plan").click()

    expect(page.get_by_text("Imported the plan: 2 recommendations.")).to_be_visible()
    for number, title in (
        ("2a", "Link with colleges"),
        ("2b", "Check attendance every month"),
        ("1a", "Audit assessments"),
    ):
        expect(page.get_by_role("row").filter(has_text=title).get_by_role("cell").first).to_have_text(number)
    check_accessibility(page, "report with the imported plan")
    page.get_by_role("link", name="Audit assessments").click()
    expect(
        page.get_by_text(
            f"Practice Manager (imported from improvement plan.xlsx, row 7), {updated:%-d %B %Y}", exact=False
        )
    ).to_be_visible()
    expect(page.get_by_text("completed, awaiting board sign-off")).to_be_visible()
    check_accessibility(page, "imported step")

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Role)) == 2  # no role made silently
    colleges = db.session.scalar(select(Action).where(Action.title == "Link with colleges"))
    assert colleges.flag is Flag.BLOCKED and colleges.recommendation.number == "2"
    audit = db.session.scalar(select(Action).where(Action.title == "Audit assessments"))
    assert audit.status is Status.COMPLETED and audit.updates[0].author_id is None


def test_a_manager_merges_two_roles_and_reminders_follow(app, live_server, page, smtp_server):
    today = clock.today()
    organisation = make_organisation("Harford YOS")
    manager = make_user(organisation, AccessLevel.MANAGER, email="manager@harford.example")
    make_role(organisation, "Chair of the YOS Management Board", holder="chair@harford.example")
    source = make_role(organisation, "Board Chair")  # left by a plan import; nobody holds it
    make_action(
        organisation,
        owners=[source],
        due_on=today + timedelta(days=7),
        text="Make sure the board hears from every partner",
    )
    db.session.commit()

    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/{organisation.slug}/roles")
    page.get_by_role("link", name="Merge Board Chair into another role").click()
    expect(page).to_have_title(re.compile("^Merge Board Chair "))  # the next page has loaded before axe runs
    check_accessibility(page, "merge a role")
    page.get_by_label("Merge it into").select_option(label="Chair of the YOS Management Board")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Merge Board Chair into Chair of the YOS Management Board?")
    ).to_be_visible()
    check_accessibility(page, "confirm the merge")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 1100, "height": 900})
    page.get_by_role("button", name="Merge the roles").click()

    expect(
        page.get_by_text("Merged Board Chair into Chair of the YOS Management Board: 1 action moved.")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="chair@harford.example")
    expect(row).to_contain_text("Board Chair")  # its name is kept as another name
    check_accessibility(page, "roles after the merge")
    page.goto(f"{live_server}/organisations/{organisation.slug}/audit")
    expect(page.get_by_text("merged the role “Board Chair” into “Chair of the YOS Management Board”")).to_be_visible()

    result = send_reminders(today, actor="test")
    db.session.commit()
    assert result.sent >= 1
    recipients = [address for addresses, _ in smtp_server.messages for address in addresses]
    assert "chair@harford.example" in recipients
    bodies = " ".join(message.get_body(("plain",)).get_content() for _, message in smtp_server.messages)
    assert "Make sure the board hears from every partner" in bodies
