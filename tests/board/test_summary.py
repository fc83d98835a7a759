"""The board's numbers: computed once in SQL, and the same as the rules applied action by action."""

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_report, make_user
from tracker.extensions import db
from tracker.models import Action, Flag, Status
from tracker.services.actions import post_update
from tracker.services.board.pack import board_pack
from tracker.services.board.summary import board_summary, progress_days, progress_over_time
from tracker.services.rag import rag_colour_sql, rag_for

TODAY = date(2026, 3, 10)
EVIDENCE = ["https://intranet.example.org/evidence.pdf"]


def _every_kind_of_action(organisation):
    """Each status with and without each flag, due at each edge of the RAG and deadline rules."""
    report = make_report(organisation)
    offsets = (-400, -1, 0, 1, 30, 31, 89, 90, 91, 365)
    actions = []
    for status in Status:
        for flag in (None, Flag.AT_RISK, Flag.BLOCKED):
            for offset in offsets:
                action = make_action(organisation, report=report, status=status, due_on=TODAY + timedelta(days=offset))
                action.flag, action.flag_reason = flag, "no health partner" if flag else None
                actions.append(action)
    db.session.flush()
    return actions


def test_the_sql_rag_colour_is_rag_for_for_every_kind_of_action(app):
    organisation = make_organisation()
    actions = {action.id: action for action in _every_kind_of_action(organisation)}
    in_sql = dict(
        db.session.execute(select(Action.id, rag_colour_sql(TODAY)).where(Action.id.in_(actions))).tuples().all()
    )
    assert {id_: rag_for(action, TODAY).colour for id_, action in actions.items()} == in_sql


def test_the_summary_counts_agree_with_the_pack_rows_action_by_action(app, travel):
    travel(TODAY.isoformat())
    organisation = make_organisation()
    actions = _every_kind_of_action(organisation)
    make_action(make_organisation(), due_on=TODAY)  # another organisation's: never counted
    summary = board_summary(organisation, TODAY)
    rows = board_pack(organisation, TODAY).rows
    assert summary.total == len(rows) == len(actions)
    assert summary.by_status == {status: Counter(row.status for row in rows)[status] for status in Status}
    assert summary.by_rag == {
        colour: Counter(row.rag.colour for row in rows)[colour] for colour in ("red", "amber", "green", "grey")
    }
    assert summary.overdue == sum(1 for row in rows if row.days_overdue) == 2 * 3 * 2  # 2 open statuses, 3 flags
    for days in (30, 90):
        assert summary.due_within[days] == sum(
            1 for row in rows if not row.status.is_closed and 0 <= (row.due_on - TODAY).days <= days
        )
    (report,) = summary.reports
    assert report.total == len(actions) and report.overdue == summary.overdue
    assert report.done == summary.by_status[Status.COMPLETED] + summary.by_status[Status.VERIFIED]


def test_progress_over_time_is_rebuilt_from_updates_and_ends_at_todays_counts(app, travel):
    travel("2025-11-15")
    organisation = make_organisation()
    first = make_action(organisation, due_on=date(2026, 6, 1))
    second = make_action(organisation, due_on=date(2026, 6, 1))
    author = make_user(organisation)
    travel("2025-12-10")
    post_update(first, author=author, note="Started", new_status=Status.IN_PROGRESS, expected_version=1)
    travel("2026-01-20")
    post_update(first, author=author, note="Done", new_status=Status.COMPLETED, links=EVIDENCE, expected_version=2)
    make_action(organisation, due_on=date(2026, 6, 1))
    travel("2026-02-02")
    post_update(second, author=author, note="Started", new_status=Status.IN_PROGRESS, expected_version=1)
    # Imported already completed, with no update at all: it counts as completed from its creation.
    make_action(organisation, status=Status.COMPLETED, due_on=date(2026, 6, 1))
    db.session.commit()

    points = progress_over_time(organisation, date(2026, 2, 14))
    by_day = {point.day: {status: count for status, count in point.by_status.items() if count} for point in points}
    assert list(by_day) == [date(2025, 11, 30), date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 14)]
    assert by_day[date(2025, 11, 30)] == {Status.NOT_STARTED: 2}
    assert by_day[date(2025, 12, 31)] == {Status.NOT_STARTED: 1, Status.IN_PROGRESS: 1}
    assert by_day[date(2026, 1, 31)] == {Status.NOT_STARTED: 2, Status.COMPLETED: 1}
    assert by_day[date(2026, 2, 14)] == {Status.NOT_STARTED: 1, Status.IN_PROGRESS: 1, Status.COMPLETED: 2}
    assert points[-1].by_status == board_summary(organisation, date(2026, 2, 14)).by_status


def test_progress_days_are_month_ends_then_today():
    assert progress_days(date(2026, 3, 10), months=4) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 10),
    ]


def test_the_dashboard_shows_the_counts_with_links_to_the_filtered_list(client_request, board_organisation, travel):
    board = board_organisation
    travel("2026-02-15")  # recommendation 2 is two weeks overdue; 3 is due in 14 days
    post_update(
        board.actions["1"], author=board.member, note="Started", new_status=Status.IN_PROGRESS, expected_version=1
    )
    db.session.commit()
    client_request.login(board.member)
    page = client_request.get("board.dashboard", slug=board.organisation.slug)
    assert page.select_one("title").text.startswith("Board dashboard – Eastbrook YOS")
    counts = {cell["data-count"]: int(cell.text) for cell in page.select("td[data-count]")}
    assert counts["status:in_progress"] == 1 and counts["status:not_started"] == 3 and counts["total"] == 4
    assert counts["overdue"] == 1 and counts["due_within:30"] == 1 and counts["due_within:90"] == 1
    assert counts["rag:red"] == 1
    overdue_link = page.select_one("td[data-count=overdue]").find_parent("tr").select_one("a")["href"]
    assert overdue_link == client_request.url("actions.index", slug="eastbrook", overdue=1)
    red_link = page.select_one("td[data-count='rag:red']").find_parent("tr").select_one("a")["href"]
    assert red_link == client_request.url("actions.index", slug="eastbrook", rag="red")
    report_row = page.select_one(f"tr[data-report='{board.report.id}']")
    assert report_row.select_one("svg.app-bar") is not None
    assert report_row.select_one("[data-count$=':done']").text.strip() == "0 of 4 (0%)"
    chart = page.select_one("svg.app-chart__svg")
    assert chart["role"] == "img" and chart.select_one("title").text
    assert page.select_one("#progress-over-time-table") is not None  # the chart's figures as a table
    assert not page.select("[style]") and not page.select("script:not([src]):not([nonce])")  # strict CSP
    # The list the links lead to agrees with the count.
    listed = client_request.get("actions.index", slug="eastbrook", overdue=1)
    assert str(board.actions["2"].id) in " ".join(a["href"] for a in listed.select("a[href*='/actions/']"))


def test_the_filtered_list_link_falls_back_to_its_path_when_the_list_is_not_registered(app):
    from tracker.views import board as board_views

    organisation = make_organisation(slug="fallback")
    with app.test_request_context():
        assert board_views.actions_list_url(organisation, rag="red") == "/organisations/fallback/actions?rag=red"
        original = app.view_functions.pop("actions.index")
        rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint == "actions.index"]
        try:
            for rule in rules:
                rule.endpoint = "actions.index-hidden"
            app.url_map._remap = True
            assert (
                board_views.actions_list_url(organisation, due_within=30, report=4)
                == "/organisations/fallback/actions?due_within=30&report=4"
            )
        finally:
            for rule in rules:
                rule.endpoint = "actions.index"
            app.url_map._remap = True
            app.view_functions["actions.index"] = original
