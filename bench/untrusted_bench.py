"""What reading an upload in a child process costs (tracker/untrusted.py), per file.

Run from the repository root:

    .venv/bin/python bench/untrusted_bench.py [--runs N] [--no-write]

For each file: the reader in the calling process, the same reader behind the boundary (a child
from the fork server, with its limits), and the child's own cost: the same file sent to a child
whose reader does nothing (start, limits, the archive check, sending the file across and an
answer back). The difference of the first two columns says the same, but for a read of a second
or more it is lost in the machine's noise. Median of N runs after one warm-up, which also
starts the fork server. A last table compares the ways of starting a child with a reader
that does nothing: "forkserver" (what the app uses), "spawn" (a new interpreter that imports
the readers every time) and "fork" (measured only: forking a threaded web worker can copy a
held lock into the child). Target: the child's cost under 150 ms per file on the project's
2-core machine. Adds or replaces its own section in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_REPORTS = REPO_ROOT / ".." / "shared" / "reports"
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "bench")]

from sections import load_average, write_sections  # noqa: E402

from tests import hostile_files  # noqa: E402
from tracker import importing, plans, untrusted  # noqa: E402
from tracker.untrusted import Limits, run_reader  # noqa: E402

TARGET_MS = 150
SECTION = "## Reading uploads in a child process"


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        with contextlib.suppress(importing.ReportReadError, plans.PlanReadError):
            action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def quietly(function: Callable, *args) -> Callable[[], object]:
    def call() -> object:
        try:
            return function(*args)
        except (importing.ReportReadError, plans.PlanReadError):
            return None

    return call


def inputs() -> list[tuple[str, Callable, Callable, tuple]]:
    """(label, the reader inline, the reader behind the boundary, its arguments)."""
    found = []
    for path in sorted(SHARED_REPORTS.glob("*.txt"))[:1] + sorted((SHARED_REPORTS / "pdf").glob("*.pdf"))[:1]:
        found.append(
            (
                f"{path.name} ({path.stat().st_size // 1024} KB)",
                importing.read_report,
                untrusted.read_report,
                (path.read_bytes(), path.name),
            )
        )
    plan = hostile_files.plan_xlsx(rows=40)
    found.append(
        (f"a 40-row plan .xlsx ({len(plan) // 1024} KB)", plans.read_workbook, untrusted.read_workbook, (plan, None))
    )
    bomb = hostile_files.content_bomb_pdf()
    found.append(
        (
            f"hostile: one-page PDF inflating to 10 MB ({len(bomb) // 1024} KB)",
            importing.read_report,
            untrusted.read_report,
            (bomb, "bomb.pdf"),
        )
    )
    return found


def start_methods(runs: int) -> list[tuple[str, float]]:
    """A reader that does nothing, behind the boundary, with each way of starting a child."""
    limits = Limits.from_config({})
    measured = []
    for method in ("forkserver", "spawn", "fork"):
        untrusted._context = multiprocessing.get_context(method)
        if method == "forkserver":
            untrusted._context.set_forkserver_preload(untrusted._PRELOAD)
        measured.append(
            (method, median_ms(lambda: run_reader(len, b"", name="x", refusal=ValueError, limits=limits), runs))
        )
    untrusted._context = None
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave BENCHMARKS.md alone.")
    arguments = parser.parse_args()
    started_at, load_before = datetime.now(UTC), load_average()
    rows, worst = [], 0.0
    limits = Limits.from_config({})
    for label, inline, boundary, args in inputs():
        alone = median_ms(quietly(inline, *args), arguments.runs)
        behind = median_ms(quietly(boundary, *args), arguments.runs)
        cost = median_ms(
            lambda args=args: run_reader(len, args[0], name="x", refusal=ValueError, limits=limits), arguments.runs
        )
        worst = max(worst, cost)
        rows.append(f"| {label} | {alone:,.1f} | {behind:,.1f} | {cost:,.1f} |")
    methods = start_methods(arguments.runs)
    finished_at = datetime.now(UTC)
    verdict = "within" if worst < TARGET_MS else "MISSED"
    lines = [
        f"Measured {started_at:%Y-%m-%d %H:%M}–{finished_at:%H:%M} UTC by `bench/untrusted_bench.py --runs "
        f"{arguments.runs}` (part of `make bench`). Load average (1, 5, 15 min) before: {load_before}; after: "
        f"{load_average()}. Other jobs may share the 2 cores, so the figures are upper bounds.",
        "",
        f"Every uploaded report or plan is read in a child process with CPU, memory and time limits. Median of "
        f"{arguments.runs} runs. The child's cost is a child given the same file with a reader that does nothing; "
        f"target under "
        f"{TARGET_MS} ms per file: **{verdict}** (largest {worst:,.1f} ms).",
        "",
        "| File | Read in the process (ms) | Read in a child (ms) | The child's cost (ms) |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        "A reader that does nothing, by the way the child is started (the app uses the fork server):",
        "",
        "| Start method | Per file (ms) |",
        "|---|---:|",
        *[f"| {method} | {ms:,.1f} |" for method, ms in methods],
    ]
    print("\n".join(lines))
    if not arguments.no_write:
        write_sections({SECTION: "\n".join(lines)})
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
