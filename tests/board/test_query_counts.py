"""Board pages cost the same number of queries for 4 actions as for 40 (and 100,000)."""

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Status
from tracker.services.actions import post_update


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _grow(organisation, author, roles, reports: int, per_report: int) -> None:
    for report_number in range(reports):
        report = make_report(organisation, f"Report {report_number}", date(2024 + report_number, 1, 1))
        for index in range(per_report):
            action = make_action(
                organisation,
                report=report,
                owners=[roles[index % len(roles)]],
                due_on=date(2026, 1, 1) + timedelta(days=40 * index),
            )
            post_update(action, author=author, note="Progress", new_status=Status.IN_PROGRESS, expected_version=1)
    db.session.commit()


def test_board_pages_and_packs_use_a_fixed_number_of_queries(client_request, app, travel):
    travel("2026-03-01")
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    roles = [make_role(organisation, f"Role {number}", holder=f"holder{number}@example.org") for number in range(3)]
    _grow(organisation, manager, roles, reports=1, per_report=2)
    client_request.login(manager)
    pages = [
        ("board.dashboard", {"slug": organisation.slug}),
        ("board.next_meeting", {"slug": organisation.slug}),
        ("themes.index", {}),
        ("themes.show", {"theme_slug": "other"}),
        *(("board.pack", {"slug": organisation.slug, "file_format": f}) for f in ("pdf", "xlsx", "csv")),
    ]

    def measure() -> dict[str, int]:
        counts = {}
        for endpoint, values in pages:
            url = client_request.url(endpoint, **values)
            with counting_queries() as statements:
                assert client_request.client.get(url).status_code == 200
            counts[f"{endpoint} {values.get('file_format', '')}"] = len(statements)
        return counts

    few = measure()
    _grow(organisation, manager, roles, reports=3, per_report=12)
    assert measure() == few
