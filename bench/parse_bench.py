"""Time report import: read_report on every shared report, on the whole corpus of real
reports, and on generated 100- and 300-page PDFs.

Run from the repository root:

    .venv/bin/python bench/parse_bench.py [--runs N]

Prints Markdown tables of times in milliseconds and writes them into the "## Report parsing"
section of BENCHMARKS.md (only that section; its "### " subsections are hand-written notes
and are kept as they are). Targets on the project's 2-core machine:
each shared .txt report well under 100 ms; the 100-page PDF under 3 s; the slowest corpus
report under 2 s. For the corpus each report is read ``--corpus-runs`` times and the
fastest time kept, because the machine is shared and a single reading measures the
neighbours as much as the parser. The pdfminer.six column times that library's plain text
extraction of the same PDF, which is the measurement behind choosing pypdf (see
tracker/importing/pdf_text.py).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_REPORTS = REPO_ROOT / ".." / "shared" / "reports"
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "tests" / "importing"), str(REPO_ROOT / "bench")]

from corpus_rates import found_rate_section  # noqa: E402
from report_builders import Block, layout_report  # noqa: E402
from sections import load_average, write_sections  # noqa: E402

from tracker.importing import ReportReadError, read_report  # noqa: E402

TXT_TARGET_MS = 100
BIG_PDF_TARGET_MS = 3000
CORPUS_SLOWEST_TARGET_MS = 2000
GENERATED_PAGES = 100
LONG_GENERATED_PAGES = 300
CORPUS = SHARED_REPORTS / "corpus"
SECTION = "## Report parsing"

_WORDS = [
    "assessment",
    "planning",
    "partners",
    "children",
    "young",
    "people",
    "board",
    "management",
    "oversight",
    "risk",
    "harm",
    "safety",
    "victims",
    "education",
    "health",
    "police",
    "court",
    "reviews",
    "interventions",
    "quality",
    "staff",
    "supervision",
    "desistance",
    "information",
    "sharing",
    "cases",
    "practice",
    "evidence",
    "outcomes",
    "services",
    "local",
    "authority",
    "plans",
    "records",
]


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls, after one warm-up call (imports, caches)."""
    action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def generated_report(pages: int = GENERATED_PAGES) -> bytes:
    """A report of about ``pages`` pages with its recommendations about 60% of the way in."""
    generator = random.Random(2024)

    def paragraph() -> Block:
        words = [generator.choice(_WORDS) for _ in range(generator.randint(60, 110))]
        return Block("paragraph", " ".join(words).capitalize() + ".")

    body_paragraphs = pages * 6
    recommendations = [
        Block("heading", "Recommendations"),
        Block(
            "paragraph",
            "Post-inspection improvement work should focus on achieving these outcomes within 12 months following publication of this report:",
        ),
        Block("paragraph", "The Chair of the YOS Management Board should ensure that:"),
        *[Block("item", " ".join(generator.choice(_WORDS) for _ in range(40)), f"{number}.") for number in range(1, 9)],
    ]
    blocks = [Block("heading", "Inspection of youth offending services in Benchton")]
    for index in range(body_paragraphs):
        if index == int(body_paragraphs * 0.6):
            blocks.extend(recommendations)
        if index % 12 == 0:
            blocks.append(Block("heading", f"Section {index // 12 + 1}"))
        blocks.append(paragraph())
    return layout_report(blocks)


def pdfminer_ms(data: bytes, runs: int) -> float:
    from pdfminer.high_level import extract_text

    return median_ms(lambda: extract_text(io.BytesIO(data)), runs)


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def fastest_ms(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


def corpus_summary(runs: int) -> tuple[list[str], bool]:
    """Median, 95th percentile and slowest time per corpus report, and how many gave items."""
    paths = sorted(CORPUS.glob("*.pdf"))
    timings: list[tuple[float, str]] = []
    with_items = 0
    for path in paths:
        data = path.read_bytes()

        def read(data: bytes = data, name: str = path.name) -> int:
            try:
                return len(read_report(data, name).recommendations)
            except ReportReadError:
                return 0

        with_items += read() > 0
        timings.append((fastest_ms(read, runs), path.name))
    timings.sort()
    values = [milliseconds for milliseconds, _ in timings]
    percentile_95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    slowest_ms, slowest_name = timings[-1]
    ok = slowest_ms < CORPUS_SLOWEST_TARGET_MS
    lines = [
        f"Corpus: {len(paths)} real reports (`{CORPUS.name}/`), fastest of {runs} runs each:",
        "",
        "| Reports | Gave recommendations | Median (ms) | 95th percentile (ms) | Slowest (ms) | Target |",
        "|---:|---:|---:|---:|---:|---|",
        f"| {len(paths)} | {with_items} ({100 * with_items / len(paths):.0f}%) | {statistics.median(values):,.0f} "
        f"| {percentile_95:,.0f} | {slowest_ms:,.0f} ({slowest_name}) | slowest under {CORPUS_SLOWEST_TARGET_MS:,} ms: "
        f"{'yes' if ok else 'no'} |",
        "",
        "The five slowest: " + ", ".join(f"{name} {ms:,.0f} ms" for ms, name in reversed(timings[-5:])) + ".",
    ]
    return lines, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per file (median is reported)")
    parser.add_argument("--corpus-runs", type=int, default=2, help="timed runs per corpus report (fastest is kept)")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus (quicker)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md as it is")
    arguments = parser.parse_args()
    started_at, load_before = datetime.now(UTC), load_average()

    rows: list[tuple[str, str, float, float | None, str]] = []
    failures = 0
    if SHARED_REPORTS.exists():
        paths = sorted(SHARED_REPORTS.glob("*.txt")) + sorted((SHARED_REPORTS / "pdf").glob("*.pdf"))
        for path in paths:
            data = path.read_bytes()
            milliseconds = median_ms(lambda data=data, name=path.name: read_report(data, name), arguments.runs)
            is_pdf = path.suffix == ".pdf"
            ok = is_pdf or milliseconds < TXT_TARGET_MS
            target = f"{page_count(data)} pages" if is_pdf else f"under {TXT_TARGET_MS} ms: {'yes' if ok else 'no'}"
            failures += not ok
            miner = pdfminer_ms(data, arguments.runs) if is_pdf else None
            recommendations = len(read_report(data, path.name).recommendations)
            kind = "shared PDF" if is_pdf else "shared report"
            rows.append((f"{kind} {path.name}", f"{recommendations}", milliseconds, miner, target))
    else:
        print(f"(shared reports not found at {SHARED_REPORTS.resolve()}; timing the generated PDF only)\n")

    big = generated_report()
    milliseconds = median_ms(lambda: read_report(big, "generated.pdf"), max(1, arguments.runs // 2))
    ok = milliseconds < BIG_PDF_TARGET_MS
    failures += not ok
    recommendations = len(read_report(big, "generated.pdf").recommendations)
    rows.append(
        (
            f"generated PDF, {page_count(big)} pages ({len(big) // 1024} KB)",
            f"{recommendations}",
            milliseconds,
            pdfminer_ms(big, 1),
            f"under {BIG_PDF_TARGET_MS:,} ms: {'yes' if ok else 'no'}",
        )
    )

    long_report = generated_report(LONG_GENERATED_PAGES)
    milliseconds = median_ms(lambda: read_report(long_report, "generated-long.pdf"), 1)
    recommendations = len(read_report(long_report, "generated-long.pdf").recommendations)
    rows.append(
        (
            f"generated PDF, {page_count(long_report)} pages ({len(long_report) // 1024} KB; the "
            f"{LONG_GENERATED_PAGES}-page generator)",
            f"{recommendations}",
            milliseconds,
            None,
            "",
        )
    )
    corpus_lines: list[str] = []
    if CORPUS.is_dir() and not arguments.no_corpus:
        corpus_lines, corpus_ok = corpus_summary(arguments.corpus_runs)
        failures += not corpus_ok

    if not arguments.no_corpus:
        rate_lines = found_rate_section(SHARED_REPORTS, REPO_ROOT / "tests" / "importing", arguments.corpus_runs)
        corpus_lines += ["", *rate_lines] if rate_lines and corpus_lines else rate_lines
    finished_at, load_after = datetime.now(UTC), load_average()
    lines = [
        f"Measured {started_at:%Y-%m-%d %H:%M}–{finished_at:%H:%M} UTC by `bench/parse_bench.py --runs "
        f"{arguments.runs} --corpus-runs {arguments.corpus_runs}` (part of `make bench`) on the same machine. "
        f"Load average (1, 5, 15 min) before: {load_before}; after: {load_after}. Other jobs may share the "
        "2 cores, so the figures are upper bounds.",
        "",
        f"`read_report`, median of {arguments.runs} runs (the generated PDFs: {max(1, arguments.runs // 2)} and 1 "
        "runs). The pdfminer.six column times that library's plain text extraction of the same PDF, the "
        "measurement behind choosing pypdf (see tracker/importing/pdf_text.py).",
        "",
        "| Input | Recommendations | `read_report` (ms) | pdfminer.six text only (ms) | Target |",
        "|---|---:|---:|---:|---|",
    ]
    for name, found, ms, miner, target in rows:
        miner_text = f"{miner:,.0f}" if miner is not None else "–"
        lines.append(f"| {name} | {found} | {ms:,.1f} | {miner_text} | {target} |")
    if corpus_lines:
        lines += ["", *corpus_lines]
    print("\n".join(lines))
    if not arguments.no_write:
        write_sections({SECTION: "\n".join(lines)})
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
