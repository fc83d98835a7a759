"""The review screen fixes of issue 21, in a real browser with axe-core, at desk (1100 px) and
phone (375 px) widths: warnings that go when answered, no invented numbers for bullets, each
item's deadline date, one "Where item N came from" after a merge, moving items up and down,
a list the parser passed over added with a button, no leading bullet saved, the name the
manager typed kept and a title made from what was found, and a compact phone layout with the
report's text before Save."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import TODAY, check_accessibility, sign_in
from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Report

PUBLISHED = TODAY - timedelta(days=10)

# No publication date and no service named: the manager supplies the date, the name gives the title.
PASTED = """Minutes of the Westshire scrutiny panel

Recommendations

Within three months:
• Agree a shared understanding of child exploitation across the partnership.
• Make sure every child's plan addresses their safety and wellbeing.
• Improve management oversight of casework in the court team.

Within six months:
• Review the education offer for children who are not in school.
• Record the views of victims in every assessment.
• Offer health assessments to every child within four weeks.
• Publish the waiting times for speech and language therapy.
• Report progress on this plan to the panel every quarter.

Areas for improvement:
1. Case managers should record the reasons for every change of plan.
2. Health workers should attend planning meetings for children in custody.
"""


def _start(app, live_server, page, tmp_path, width):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation(f"Westshire {width}")
    manager = make_user(organisation, AccessLevel.MANAGER, email=f"manager{width}@westshire.example")
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, manager)
    page.goto(f"{live_server}/organisations/{organisation.slug}/reports/paste")
    page.get_by_label("Report text").fill(PASTED)
    page.get_by_label("Name for this report (optional)").fill("Westshire panel minutes")
    page.get_by_role("button", name="Read recommendations").click()
    expect(page.get_by_role("heading", name="8 recommendations")).to_be_visible()
    return organisation


def _type_publication_date(page):
    group = page.get_by_role("group", name="Publication date")
    group.get_by_label("Day").fill(str(PUBLISHED.day))
    group.get_by_label("Month").fill(str(PUBLISHED.month))
    group.get_by_label("Year").fill(str(PUBLISHED.year))


def test_review_fixes_at_desk_width(app, live_server, page, tmp_path):
    organisation = _start(app, live_server, page, tmp_path, 1100)
    check_accessibility(page, "review fixes, desk")
    warning = page.get_by_text("No publication date found")
    expect(warning).to_be_visible()
    # Bullets are not numbered as if the report had printed numbers.
    expect(page.get_by_label("Number as printed (item 1)")).to_have_value("")
    expect(page.get_by_label("Number as printed (item 8)")).to_have_value("")

    # The date answers the warning; each item shows its own deadline date.
    _type_publication_date(page)
    page.get_by_role("button", name="Move down (item 1)").click()
    expect(page.get_by_role("heading", name="8 recommendations")).to_be_visible()
    expect(page.get_by_text("No publication date found")).to_have_count(0)
    expect(page.get_by_label("Recommendation (item 1)")).to_have_value(
        "Make sure every child's plan addresses their safety and wellbeing."
    )
    expect(page.get_by_label("Recommendation (item 2)")).to_have_value(
        "Agree a shared understanding of child exploitation across the partnership."
    )
    three = page.locator("#item-1 .app-review-deadline summary")
    six = page.locator("#item-4 .app-review-deadline summary")
    expect(three).to_contain_text(_months_after(PUBLISHED, 3).strftime("%-d %B %Y"))
    expect(six).to_contain_text(_months_after(PUBLISHED, 6).strftime("%-d %B %Y"))
    expect(page.get_by_text("none stated; the default of 12 months applies")).to_have_count(0)

    page.get_by_role("button", name="Move up (item 2)").click()
    expect(page.get_by_label("Recommendation (item 1)")).to_have_value(
        "Agree a shared understanding of child exploitation across the partnership."
    )

    # After a merge, one account of where the item came from, in parts.
    page.get_by_role("button", name="Merge with next (item 1)").click()
    page.get_by_role("button", name="Merge with next (item 1)").click()
    expect(page.get_by_role("heading", name="6 recommendations")).to_be_visible()
    expect(page.locator("#item-1 .app-review-origin")).to_have_count(1)
    expect(page.locator("#item-1 .app-review-origin summary")).to_contain_text("(3 parts)")

    # The list the parser passed over is offered, and added with one button.
    expect(page.locator("#passed-over")).to_contain_text(
        'Also looked like recommendations: 2 numbered items under "Areas for improvement"'
    )
    page.get_by_role("button", name="Add these 2 items").click()
    expect(page.get_by_role("heading", name="8 recommendations")).to_be_visible()
    expect(page.get_by_label("Number as printed (item 8)")).to_have_value("2")

    # An item typed with its bullet is saved without it.
    page.get_by_label("Text of the new item").fill("• Publish the plan on the council's website.")
    page.get_by_role("button", name="Add as an item").click()
    expect(page.get_by_label("Recommendation (item 9)")).to_have_value("Publish the plan on the council's website.")
    check_accessibility(page, "review fixes after editing, desk")
    page.get_by_role("button", name="Save report and create actions").click()
    page.get_by_role("button", name="Save anyway").first.click()
    expect(page.get_by_text("Saved: 9 recommendations")).to_be_visible()

    report = db.session.query(Report).filter_by(organisation_id=organisation.id).one()
    assert report.source_filename == "Westshire panel minutes"
    assert report.title == f"Westshire panel minutes, {PUBLISHED.strftime('%-d %B %Y')}"
    texts = [recommendation.text for recommendation in report.recommendations]
    assert texts[-1] == "Publish the plan on the council's website."
    assert not any(text.startswith("•") for text in texts)
    assert [recommendation.number for recommendation in report.recommendations][:2] == ["1", "2"]


def test_review_is_compact_on_a_phone_with_the_text_before_save(app, live_server, page, tmp_path):
    _start(app, live_server, page, tmp_path, 375)
    check_accessibility(page, "review fixes, phone")
    height = page.evaluate("document.documentElement.scrollHeight")
    # 11,857 px before issue 21 (8 warnings, one button per line, the whole report's text);
    # about 10,000 with those fixed; 9,238 with the bulk tools (1,242 px open) folded away.
    assert height < 9400, f"the review of 8 items is {height} px tall on a phone"
    bulk = page.locator("#bulk")
    expect(bulk).not_to_have_attribute("open", "")
    page.get_by_label("Select item 2").check()  # ticking an item opens the tools that act on it
    expect(bulk).to_have_attribute("open", "")
    expect(page.get_by_label("Owners for the selected items")).to_be_visible()
    expect(
        page.get_by_text("Items 1, 2, 3, 4, 5, 6, 7 and 8: no owner is named; assign one at review.")
    ).to_be_visible()
    source = page.locator("#source").bounding_box()
    save = page.get_by_role("button", name="Save report and create actions").bounding_box()
    assert source["y"] + source["height"] <= save["y"], "the report's text comes before Save"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width} px)"


def _months_after(start: date, months: int) -> date:
    from tracker.services.deadlines import deadline_for

    return deadline_for(start, month_only=False, months=months)
