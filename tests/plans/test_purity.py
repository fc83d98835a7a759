"""The plan reader is pure: no Flask, no database, nothing from the rest of the app."""

import ast
from pathlib import Path

import tracker.plans

PACKAGE = Path(tracker.plans.__file__).resolve().parent
FORBIDDEN = {"flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug", "psycopg", "requests"}


def test_the_plans_package_uses_no_web_or_database_libraries():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                # relative imports stay inside the package: "from .dates import" has level 1
                assert node.level in (0, 1), f"{path.name} imports from outside tracker/plans"
                modules = [node.module or ""] if node.level == 0 else []
            else:
                continue
            for module in modules:
                assert module.split(".")[0] not in FORBIDDEN, f"{path.name} imports {module}"
                assert not module.startswith("tracker") or module.startswith("tracker.plans"), path.name


def test_the_plan_readers_own_words_are_the_trackers_statuses_flags_and_date_format():
    """The package may not import the models or the clock, so its copies of their words are
    checked here: a status or flag renamed in `Status`/`Flag`, or a date format changed in
    `tracker.clock`, fails this test rather than drifting apart."""
    from datetime import date

    from tracker.clock import long_date
    from tracker.models import Flag, Status
    from tracker.plans import statuses
    from tracker.plans.dates import read_date

    assert {statuses.NOT_STARTED, statuses.IN_PROGRESS, statuses.COMPLETED, statuses.VERIFIED} == (
        set(Status) - {Status.WITHDRAWN}
    )
    assert {statuses.AT_RISK, statuses.BLOCKED} == set(Flag)
    assert {status for status, _ in statuses.WORDS.values()} <= set(Status)
    far = read_date("1 March 1901", date(2026, 3, 1))
    assert far.problem.startswith(long_date(date(1901, 3, 1)) + " ")
