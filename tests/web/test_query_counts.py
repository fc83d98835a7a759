"""Pages run a fixed number of SQL statements however much data there is (no N+1)."""

from datetime import date, timedelta

from sqlalchemy import event

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Status
from tracker.services.actions import post_update


def _grow(organisation, role, author, reports: int, actions: int, updates: int) -> list:
    made = []
    for number in range(reports):
        report = make_report(organisation, title=f"Report {number}")
        for position in range(actions):
            action = make_action(
                organisation,
                report=report,
                owners=[role],
                status=Status.IN_PROGRESS,
                due_on=date(2026, 1, 1) + timedelta(days=position),
            )
            for note in range(updates):
                post_update(action, author=author, note=f"note {note}", expected_version=action.version)
            made.append(action)
    db.session.commit()
    return made


def _count(client_request, endpoint, **values) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    client_request.get(endpoint, **values)  # warm per-process caches
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client_request.get(endpoint, **values)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_queries_per_page_do_not_grow_with_the_data(client_request, app, travel, no_page_cache):
    """Counted as rendered, not as kept (tests/web/test_page_cache.py counts kept pages)."""
    travel("2026-03-01")
    organisation = make_organisation(slug="growing")
    manager = make_user(organisation, AccessLevel.MANAGER)
    role = make_role(organisation, "YOS Head of Service", holder=manager)
    first = _grow(organisation, role, manager, reports=1, actions=2, updates=1)[0]
    client_request.login(manager)
    pages = {
        "dashboard": ("dashboard.index", {}),
        "action list": ("actions.index", {"slug": "growing", "status": "in_progress"}),
        "action page": ("actions.show", {"action_id": first.id}),
        "report page": ("reports.show", {"report_id": first.recommendation.report_id}),
        "reports": ("reports.index", {"slug": "growing"}),
    }
    small = {name: _count(client_request, endpoint, **values) for name, (endpoint, values) in pages.items()}
    _grow(organisation, role, manager, reports=4, actions=12, updates=3)
    for _ in range(4):
        post_update(first, author=manager, note="more history", expected_version=first.version)
    db.session.commit()
    large = {name: _count(client_request, endpoint, **values) for name, (endpoint, values) in pages.items()}
    assert large == small
