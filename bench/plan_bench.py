"""Time the preview of a 2,000-row action plan (.xlsx), as the plan import's "Check the plan"
page and `flask tracker import-plan --dry-run` compute it.

Run from the repository root:

    .venv/bin/python bench/plan_bench.py [--runs N]

Two measurements, median of N runs: reading the plan alone (tracker.plans.read_plan: the
workbook, header row, columns, dates, statuses and row problems), and the whole preview
(tracker.services.imports.plan_import.preview_plan: the same plus matching owners to the roles of an
organisation that has 30 of them, in a migrated SQLite database). Target: the preview under
2 s on the project's 2-core machine. Adds or replaces its own section in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "bench")]

from sections import load_average, write_sections  # noqa: E402

from tests.plans.builders import rows_workbook  # noqa: E402
from tracker.plans import read_plan  # noqa: E402

ROWS = 2000
TARGET_SECONDS = 2.0
TODAY = date(2026, 3, 20)
SECTION = "## Importing an existing plan"
OWNERS = [f"Lead officer {number}" for number in range(30)]


def plan_workbook(rows: int = ROWS) -> bytes:
    """A title block, then 2,000 rows: 400 recommendations of five steps, with mixed date forms."""
    dates = ["31/03/2026", "30 June 2026", "Sep-26", "Q3 2026/27", date(2026, 12, 31)]
    rags = ["G", "Amber", "R", "Complete", "On track"]
    lines = [
        ["Northshire YJS improvement plan"],
        [],
        [
            "Rec No.",
            "Recommendation",
            "Action",
            "Lead officer",
            "Target date",
            "RAG",
            "Progress update",
            "Date of update",
        ],
    ]
    for index in range(rows):
        number = index // 5 + 1
        lines.append(
            [
                str(number) if index % 5 == 0 else None,
                f"Recommendation {number}: improve the quality of work with children" if index % 5 == 0 else None,
                f"Step {index % 5 + 1} of recommendation {number}: audit, train and report",
                OWNERS[index % len(OWNERS)],
                dates[index % 5],
                rags[index % 5],
                "Progress this quarter was steady; the audit tool is in use." if index % 2 else None,
                "01/03/2026" if index % 2 else None,
            ]
        )
    return rows_workbook(lines)


def _median(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _preview_seconds(data: bytes, runs: int) -> float:
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.extensions import db
    from tracker.services.imports.plan_import import preview_plan
    from tracker.services.people.organisations import create_organisation, find_or_create_role

    with tempfile.TemporaryDirectory() as folder:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.db", UPLOAD_DIR=folder)
        with app.app_context():
            upgrade()
            organisation = create_organisation("northshire", "Northshire YJS", actor="benchmark")
            for owner in OWNERS:
                find_or_create_role(organisation, owner, actor="benchmark")
            db.session.commit()
            seconds = _median(lambda: preview_plan(organisation, data, "plan.xlsx", TODAY), runs)
            db.session.remove()
    return seconds


def write_section(read_seconds: float, preview_seconds: float, rows: int, load_before: str) -> None:
    """Replace this script's section of BENCHMARKS.md only; the other scripts write the rest."""
    verdict = "yes" if preview_seconds < TARGET_SECONDS else "no"
    write_sections(
        {
            SECTION: f"""`bench/plan_bench.py`: the preview of a {rows:,}-row plan (.xlsx with a title block,
400 recommendations of five steps, UK dates in five forms, RAG words, updates on every other row), median of the runs.
Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average before: {load_before}, after: {load_average()}.

| Measurement | Seconds |
|---|---:|
| Reading the plan (`tracker.plans.read_plan`) | {read_seconds:.2f} |
| The whole preview, owners matched to 30 roles (`preview_plan`, SQLite) | {preview_seconds:.2f} |

Target: the preview under {TARGET_SECONDS:.0f} s: {verdict}."""
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=ROWS)
    arguments = parser.parse_args()
    load_before = load_average()
    data = plan_workbook(arguments.rows)
    plan = read_plan(data, TODAY)
    assert len(plan.rows) == arguments.rows and not plan.refused_rows, "the benchmark plan should read cleanly"
    read_seconds = _median(lambda: read_plan(data, TODAY), arguments.runs)
    preview_seconds = _preview_seconds(data, arguments.runs)
    print(
        f"Reading a {arguments.rows:,}-row plan: {read_seconds:.2f} s; whole preview: {preview_seconds:.2f} s "
        f"(target under {TARGET_SECONDS:.0f} s)"
    )
    write_section(read_seconds, preview_seconds, arguments.rows, load_before)
    if preview_seconds >= TARGET_SECONDS:
        sys.exit(1)


if __name__ == "__main__":
    main()
