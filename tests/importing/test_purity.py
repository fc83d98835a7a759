"""The parser is a pure function: no Flask, no database, nothing from the rest of the app."""

from __future__ import annotations

import ast
from pathlib import Path

import tracker.importing
from tracker.importing import ParsedReport, parse_report

PACKAGE = Path(tracker.importing.__file__).resolve().parent
FORBIDDEN = {"flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug", "psycopg", "requests"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_importing_package_uses_no_web_or_database_libraries() -> None:
    for path in PACKAGE.glob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top not in FORBIDDEN, f"{path.name} imports {module}"
            assert top != "tracker" or module.startswith("tracker.importing"), f"{path.name} imports {module}"


def test_json_shape_is_exactly_the_parse_command_output() -> None:
    report = parse_report("Recommendations\n\nThe YOS should:\n\n1. make sure that plans are reviewed regularly\n")
    shape = report.to_json_dict()

    assert list(shape) == [
        "service",
        "inspectorate",
        "inspection_type",
        "publication_date",
        "date_precision",
        "overall_rating",
        "ratings",
        "deadline_rule",
        "recommendations",
        "warnings",
    ]
    assert list(shape["recommendations"][0]) == ["number", "owners", "owner_source", "text", "deadline_rule"]
    assert shape["recommendations"][0]["owners"] == ["The YOS"]
    assert isinstance(report, ParsedReport)
