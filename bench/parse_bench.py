"""Time report import: read_report on every shared report and on a generated 100-page PDF.

Run from the repository root:

    .venv/bin/python bench/parse_bench.py [--runs N]

Prints a Markdown table of median times in milliseconds. Targets on the project's 2-core
machine: each shared .txt report well under 100 ms; the 100-page PDF under 3 s. The
pdfminer.six column times that library's plain text extraction of the same PDF, which is
the measurement behind choosing pypdf (see tracker/importing/pdf_text.py).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_REPORTS = REPO_ROOT / ".." / "shared" / "reports"
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "tests" / "importing")]

from report_builders import Block, layout_report  # noqa: E402
from tracker.importing import read_report  # noqa: E402

TXT_TARGET_MS = 100
BIG_PDF_TARGET_MS = 3000
GENERATED_PAGES = 100

_WORDS = (
    "assessment planning partners children young people board management oversight risk harm safety "
    "victims education health police court reviews interventions quality staff supervision desistance "
    "information sharing cases practice evidence outcomes services local authority plans records"
).split()


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
        Block("paragraph", "Post-inspection improvement work should focus on achieving these outcomes within 12 months following publication of this report:"),
        Block("paragraph", "The Chair of the YOS Management Board should ensure that:"),
        *[
            Block("item", " ".join(generator.choice(_WORDS) for _ in range(40)), f"{number}.")
            for number in range(1, 9)
        ],
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per file (median is reported)")
    arguments = parser.parse_args()

    rows: list[tuple[str, str, float, float | None, str]] = []
    failures = 0
    if SHARED_REPORTS.exists():
        paths = sorted(SHARED_REPORTS.glob("*.txt")) + sorted((SHARED_REPORTS / "pdf").glob("*.pdf"))
        for path in paths:
            data = path.read_bytes()
            milliseconds = median_ms(lambda data=data, name=path.name: read_report(data, name), arguments.runs)
            is_pdf = path.suffix == ".pdf"
            target = "" if is_pdf else f"< {TXT_TARGET_MS}"
            ok = is_pdf or milliseconds < TXT_TARGET_MS
            failures += not ok
            miner = pdfminer_ms(data, arguments.runs) if is_pdf else None
            recommendations = len(read_report(data, path.name).recommendations)
            rows.append((path.name, f"{recommendations} recs", milliseconds, miner, f"{target} {'ok' if ok else 'SLOW'}".strip()))
    else:
        print(f"(shared reports not found at {SHARED_REPORTS.resolve()}; timing the generated PDF only)\n")

    big = generated_report()
    milliseconds = median_ms(lambda: read_report(big, "generated.pdf"), max(1, arguments.runs // 2))
    ok = milliseconds < BIG_PDF_TARGET_MS
    failures += not ok
    recommendations = len(read_report(big, "generated.pdf").recommendations)
    rows.append(
        (
            f"generated report ({page_count(big)} pages, {len(big) // 1024} KB)",
            f"{recommendations} recs",
            milliseconds,
            pdfminer_ms(big, 1),
            f"< {BIG_PDF_TARGET_MS} {'ok' if ok else 'SLOW'}",
        )
    )

    print(f"read_report, median of {arguments.runs} runs (generated PDF: {max(1, arguments.runs // 2)}), in ms\n")
    print("| file | found | read_report (pypdf) ms | pdfminer.six text only ms | target ms |")
    print("| --- | --- | ---: | ---: | --- |")
    for name, found, ms, miner, target in rows:
        miner_text = f"{miner:.0f}" if miner is not None else "–"
        print(f"| {name} | {found} | {ms:.1f} | {miner_text} | {target} |")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
