"""Oversight: the comparison of organisations. Every count equals the list it links to,
whatever the filters; sortable; exportable; a fixed number of queries however many
organisations there are."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from openpyxl import load_workbook

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tests.web.test_query_counts import _count
from tracker.extensions import db
from tracker.models import AccessLevel, BoardMeeting, Flag, Status
from tracker.services.actions import post_update


def _organisation(
    name: str,
    slug: str,
    *,
    overdue: int,
    at_risk: int,
    done: int,
    later: int,
    author,
    inspectorate: str = "HM Inspectorate of Probation",
    published: date = date(2024, 6, 1),
):
    organisation = make_organisation(name, slug=slug)
    role = make_role(organisation, "YOS Head of Service", holder=f"head@{slug}.example")
    report = make_report(organisation, f"{name} inspection", published)
    report.inspectorate = inspectorate
    other = make_report(organisation, f"{name} Ofsted visit", date(2019, 3, 1))
    other.inspectorate = "Ofsted"
    for _ in range(overdue):
        make_action(organisation, report=report, owners=[role], due_on=date(2025, 6, 1))
    make_action(organisation, report=other, owners=[role], due_on=date(2020, 3, 1))  # overdue, Ofsted, 2019
    for _ in range(at_risk):
        action = make_action(organisation, report=report, owners=[role], due_on=date(2026, 12, 1))
        post_update(
            action,
            author=author,
            note="Stalled",
            new_status=Status.IN_PROGRESS,
            flag=Flag.AT_RISK,
            flag_reason="no staff",
            expected_version=1,
        )
    for _ in range(done):
        action = make_action(organisation, report=report, owners=[role], due_on=date(2026, 12, 1))
        post_update(
            action,
            author=author,
            note="Done",
            new_status=Status.COMPLETED,
            links=["https://example.org/e"],
            expected_version=1,
        )
    for _ in range(later):
        make_action(organisation, report=report, owners=[role], due_on=date(2026, 12, 1))
    return organisation


def _listed(client_request, href: str) -> int:
    page = client_request.client.get(href).get_data(as_text=True)
    found = re.search(r"(\d+) actions?(?: match|\.)", page)
    assert found, href
    return int(found.group(1))


def test_counts_equal_the_filtered_lists_they_link_to(app, client_request, travel):
    travel("2026-03-01")
    yjb = make_organisation("Youth Justice Board", slug="yjb")
    viewer = make_user(yjb, AccessLevel.OVERSIGHT, name="Olu Oversight")
    north = _organisation("Northbrook YOS", "north", overdue=3, at_risk=1, done=2, later=1, author=viewer)
    _organisation(
        "Southbrook YOS",
        "south",
        overdue=0,
        at_risk=2,
        done=0,
        later=4,
        author=viewer,
        inspectorate="HMICFRS",
        published=date(2022, 1, 1),
    )
    db.session.add(BoardMeeting(organisation=north, held_on=date(2026, 3, 20), attendees=""))
    db.session.commit()
    client_request.login(viewer)

    for args in (
        {},
        {"inspectorate": "HM Inspectorate of Probation"},
        {"from": "2020", "to": "2025"},
        {"inspectorate": "Ofsted"},
    ):
        page = client_request.get("oversight.index", **args)
        rows = {row["data-organisation"]: row for row in page.select("#comparison tbody tr")}
        assert {"north", "south", "yjb"} <= set(rows)
        checked = 0
        for row in rows.values():
            for link in row.select("a[data-count]"):
                assert int(link.text) == _listed(client_request, link["href"]), (args, link["href"])
                checked += 1
        assert checked >= 9
    page = client_request.get("oversight.index")
    north_row = page.select_one("tr[data-organisation=north]")
    cells = [cell.text.strip() for cell in north_row.select("td")]
    # 3 + 1 overdue; 1 at risk; open = 4 overdue + 1 at risk + 1 later; done 2 of 8.
    assert cells[:5] == ["6", "25%", "4", "1", "2191 days"]
    assert "2026" in cells[5] and "20 March 2026" in cells[6]
    # Filtered to the probation inspectorate, the Ofsted action leaves the counts.
    page = client_request.get("oversight.index", inspectorate="HM Inspectorate of Probation")
    assert page.select_one("tr[data-organisation=north] a[data-count=overdue]").text == "3"


def test_sortable_and_exportable(app, client_request, travel):
    travel("2026-03-01")
    yjb = make_organisation("Youth Justice Board", slug="yjb")
    viewer = make_user(yjb, AccessLevel.OVERSIGHT, name="Olu Oversight")
    _organisation("Northbrook YOS", "north", overdue=3, at_risk=0, done=0, later=0, author=viewer)
    _organisation("Southbrook YOS", "south", overdue=1, at_risk=0, done=0, later=5, author=viewer)
    db.session.commit()
    client_request.login(viewer)
    page = client_request.get("oversight.index", sort="overdue", dir="desc")
    order = [row["data-organisation"] for row in page.select("#comparison tbody tr")]
    assert order == ["north", "south", "yjb"]
    assert page.select_one("th[aria-sort=descending]").text.strip().startswith("Overdue")
    page = client_request.get("oversight.index", sort="open", dir="desc")
    assert [row["data-organisation"] for row in page.select("#comparison tbody tr")][0] == "south"
    page = client_request.get("oversight.index", sort="name", dir="asc")
    assert [row["data-organisation"] for row in page.select("#comparison tbody tr")] == ["north", "south", "yjb"]

    links = {a.text: a["href"] for a in page.select("#oversight-downloads a")}
    rows = list(csv.reader(io.StringIO(client_request.client.get(links["CSV"]).data.decode("utf-8-sig"))))
    assert rows[0][0] == "Organisation" and [row[0] for row in rows[1:]] == [
        "Northbrook YOS",
        "Southbrook YOS",
        "Youth Justice Board",
    ]
    assert rows[1][3] == "4"
    sheet = load_workbook(io.BytesIO(client_request.client.get(links["Excel"]).data))["Organisations"]
    assert sheet.max_row == 4 and sheet["D2"].value == 4


def test_the_number_of_queries_does_not_grow_with_the_organisations(app, client_request, travel, no_page_cache):
    travel("2026-03-01")
    yjb = make_organisation("Youth Justice Board", slug="yjb")
    viewer = make_user(yjb, AccessLevel.OVERSIGHT, name="Olu Oversight")
    for number in range(3):
        _organisation(f"Org {number}", f"org{number}", overdue=1, at_risk=1, done=1, later=1, author=viewer)
    db.session.commit()
    client_request.login(viewer)
    few = _count(client_request, "oversight.index")
    for number in range(3, 15):
        _organisation(f"Org {number}", f"org{number}", overdue=2, at_risk=1, done=1, later=1, author=viewer)
    db.session.commit()
    assert _count(client_request, "oversight.index") == few


def test_oversight_users_re_tag_a_recommendations_theme_and_it_is_audited(app, client_request, travel):
    from sqlalchemy import select

    from tracker.models import AuditEvent
    from tracker.models.board import RecommendationTheme
    from tracker.services.board.themes import remember_themes, theme_overview

    travel("2026-03-01")
    yjb = make_organisation("Youth Justice Board", slug="yjb")
    viewer = make_user(yjb, AccessLevel.OVERSIGHT, name="Olu Oversight")
    organisation = make_organisation("Northbrook YOS", slug="north")
    board = make_user(organisation, AccessLevel.BOARD)
    action = make_action(organisation, text="Something the keywords cannot place at all")
    recommendation = action.recommendation
    db.session.commit()
    remember_themes(None)
    db.session.commit()
    assert [row.theme for row in db.session.scalars(select(RecommendationTheme))] == ["other"]

    client_request.login(viewer)

    def themes_shown() -> list[str]:
        """The themes the themes page counts any recommendation under."""
        rows = client_request.get("themes.index").select("#themes tbody tr")
        return [row["data-theme"] for row in rows if row.select_one("[data-count=recommendations]").text != "0"]

    assert themes_shown() == themes_shown() == ["other"]  # the second visit is the kept page
    page = client_request.get("themes.search", q="keywords cannot place")
    link = page.select_one(f"tr[data-recommendation='{recommendation.id}'] a[href$='/themes']")
    assert link is not None
    page = client_request.post(
        "theme_tags.edit", {"themes": ["other", "health"]}, _expected_status=400, recommendation_id=recommendation.id
    )
    assert "choose it alone" in page.select_one(".govuk-error-summary").text
    client_request.post("theme_tags.edit", {"themes": ["health"]}, recommendation_id=recommendation.id)
    db.session.expire_all()
    assert [row.theme for row in db.session.scalars(select(RecommendationTheme))] == ["health"]
    assert themes_shown() == ["health"]  # not the page kept before the change
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "recommendation.themes_changed"))
    assert event.before == {"themes": ["other"]} and event.after == {"themes": ["health"]}
    # Kept when the themes are worked out again, and counted under the new theme.
    remember_themes(None)
    db.session.commit()
    counts = {count.theme.slug: count.recommendations for count in theme_overview(None)}
    assert counts.get("health") == 1 and not counts.get("other")
    # A board member of the organisation may not re-tag.
    client_request.login(board)
    client_request.get("theme_tags.edit", _expected_status=403, recommendation_id=recommendation.id)


def test_themes_filter_by_organisation_and_year_and_sort(app, client_request, travel):
    travel("2026-03-01")
    yjb = make_organisation("Youth Justice Board", slug="yjb")
    viewer = make_user(yjb, AccessLevel.OVERSIGHT, name="Olu Oversight")
    north = make_organisation("Northbrook YOS", slug="north")
    south = make_organisation("Southbrook YOS", slug="south")
    old = make_report(north, "North 2019", date(2019, 5, 1))
    new = make_report(north, "North 2024", date(2024, 5, 1))
    make_action(north, report=old, text="Victims are contacted promptly")
    make_action(north, report=new, text="Victims views inform the plan")
    make_action(south, report=make_report(south, "South 2024", date(2024, 2, 1)), text="Victims are heard")
    db.session.commit()
    client_request.login(viewer)

    def count(page, theme="victims"):
        return int(page.select_one(f"tr[data-theme={theme}] [data-count=recommendations]").text)

    assert count(client_request.get("themes.index")) == 3
    assert count(client_request.get("themes.index", organisation="north")) == 2
    assert count(client_request.get("themes.index", year="2024")) == 2
    assert count(client_request.get("themes.index", organisation="north", year="2019")) == 1
    page = client_request.get("themes.index", sort="recommendations")
    assert page.select("#themes tbody tr")[0]["data-theme"] == "victims"
    names = [
        row.select_one("th").text.strip()
        for row in client_request.get("themes.index", sort="name").select("#themes tbody tr")
    ]
    assert names == sorted(names)
    client_request.get("themes.index", organisation="no-such-place", year="20x9")  # ignored, not an error
