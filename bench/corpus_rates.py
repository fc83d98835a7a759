"""Found-rate and speed of the importer on each corpus that has written answers.

For every answered report: how many of the answered recommendations came out (same number,
text starting and ending as the answer says), how many reports read exactly as answered
(items, owners and texts), whether reports with no list were refused, and how long each
read took (fastest of ``runs``). Used by bench/parse_bench.py for its BENCHMARKS.md section.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from tracker.importing import ReportReadError, read_report


def _read(path: Path) -> Any:
    try:
        return read_report(path.read_bytes(), path.name)
    except ReportReadError:
        return None


def _found(report: Any, wanted: dict[str, Any]) -> bool:
    for item in report.recommendations if report else ():
        if (
            item.number == wanted["number"]
            and item.text.startswith(wanted["text_starts"])
            and item.text.endswith(wanted["text_ends"])
        ):
            return True
    return False


def _exact(report: Any, answers: list[dict[str, Any]]) -> bool:
    if report is None:
        return not answers
    items = report.recommendations
    return len(items) == len(answers) and all(
        item.number == wanted["number"]
        and list(item.owners) == wanted["owners"]
        and item.text.startswith(wanted["text_starts"])
        and item.text.endswith(wanted["text_ends"])
        for item, wanted in zip(items, answers, strict=True)
    )


def corpus_rate_lines(name: str, folder: Path, expected_file: Path, runs: int) -> list[str]:
    """One Markdown table row (with header) for one corpus."""
    reports = json.loads(expected_file.read_text(encoding="utf-8"))["reports"]
    answered = found = exact = refusals = refused_right = 0
    timings: list[float] = []
    for expected in reports:
        path = folder / expected["file"]
        best = float("inf")
        for _ in range(runs):
            started = time.perf_counter()
            report = _read(path)
            best = min(best, (time.perf_counter() - started) * 1000)
        timings.append(best)
        answers = expected["recommendations"]
        answered += len(answers)
        found += sum(1 for wanted in answers if _found(report, wanted))
        exact += _exact(report, answers)
        if not answers:
            refusals += 1
            refused_right += report is None
    rate = f"{found}/{answered} ({100 * found / answered:.0f}%)" if answered else "–"
    return [
        f"| {name} | {len(reports)} | {rate} | {exact}/{len(reports)} | {refused_right}/{refusals} "
        f"| {statistics.median(timings):,.1f} | {max(timings):,.1f} |"
    ]


def found_rate_section(shared_reports: Path, tests_folder: Path, runs: int) -> list[str]:
    """The table for every corpus whose folder and answers are present."""
    corpora = [
        ("Ofsted corpus (`corpus/`)", shared_reports / "corpus", tests_folder / "corpus_expected.json"),
        (
            "Other inspectorates (`corpus-other/`)",
            shared_reports / "corpus-other",
            tests_folder / "corpus_other_expected.json",
        ),
    ]
    rows = [
        line
        for name, folder, answers in corpora
        if folder.is_dir() and answers.is_file()
        for line in corpus_rate_lines(name, folder, answers, runs)
    ]
    if not rows:
        return []
    return [
        "Found-rate against the written answers (tests/importing/corpus_expected.json and corpus_other_expected.json); "
        "an answered recommendation is found when an item has its number and its text starts and ends as answered. "
        f"Speed is the fastest of {runs} runs per report.",
        "",
        "| Corpus | Reports | Recommendations found | Reports read exactly | No-list reports refused"
        " | Median (ms) | Slowest (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
