""" "Asked before": how well and how fast new recommendations are matched to earlier ones.

Run from the repository root:

    .venv/bin/python bench/repeats_bench.py [--runs N]

Quality: precision and recall of the top suggestion, at the threshold the app uses and around
it, on the true repeat pairs judged by hand in real reports (tests/services/asked_before_pairs.json,
via tracker/services/asked_before/measure.py). When scikit-learn can be imported (it is not a
dependency of the app), TF-IDF with cosine similarity is measured on the same pairs, for
comparison; otherwise the comparison recorded in docs/asked-before.md stands.

Speed: 40 new items against 2,000 earlier recommendations, median of N runs: the matching alone
(pure), and as the review screen does it, loading the earlier recommendations of an
organisation with 50 reports from a migrated SQLite database. Target: under 1 s.
Adds or replaces its own section in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "bench")]

from sections import load_average, write_sections  # noqa: E402

from tracker.services.asked_before.matching import THRESHOLD, best_matches, prepare  # noqa: E402
from tracker.services.asked_before.measure import PAIRS_FILE, load_cases, measure, rapidfuzz_top  # noqa: E402

SECTION = "## Asked before: matching recommendations"
NEW_ITEMS, EARLIER = 40, 2000
TARGET_SECONDS = 1.0


def texts(cases) -> tuple[list[str], list[str]]:
    """40 real items, and 2,000 earlier ones: every real recommendation, then the same with a
    report number added until there are 2,000 (so no two are the same text)."""
    real = sorted({text for case in cases for _, _, text in case.earlier} | {case.text for case in cases})
    earlier = [
        text if round_ == 0 else f"{text} (report {round_})"
        for round_ in range(EARLIER // len(real) + 1)
        for text in real
    ][:EARLIER]
    return [case.text for case in cases[:NEW_ITEMS]], earlier


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds on the clock, median of the runs
    cpu: float  # seconds of this process's CPU time, median of the runs

    def __str__(self) -> str:
        return f"{self.wall:.3f} s ({self.cpu:.3f} s of CPU)"


def _median(function, runs: int) -> Timing:
    """The wall clock and the process's CPU time: on a machine shared with other work (load
    above the number of cores) the wall clock counts time spent waiting for a core, and the
    CPU time is what the same run takes on a quiet machine."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def match_all(new: list[str], earlier: list[str]) -> None:
    prepared = prepare(earlier)
    for text in new:
        best_matches(text, earlier, prepared=prepared)


def review_screen_seconds(new: list[str], earlier: list[str], runs: int) -> Timing:
    """The review screen's suggestions (services/asked_before_review.for_items) for 40 items,
    with 2,000 earlier recommendations in 50 reports of one organisation."""
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.extensions import db
    from tracker.models import Organisation, Recommendation, Report
    from tracker.services.asked_before.review import for_items

    with tempfile.TemporaryDirectory() as folder:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.db", UPLOAD_DIR=folder)
        with app.app_context():
            upgrade()
            organisation = Organisation(slug="northshire", name="Northshire YJS")
            db.session.add(organisation)
            per_report = len(earlier) // 50
            for number in range(50):
                report = Report(
                    organisation=organisation,
                    title=f"Inspection {number}",
                    ratings={},
                    publication_date=date(2000 + number // 4, 1 + number % 12, 1),
                    extracted_text="",
                )
                for position, text in enumerate(earlier[number * per_report : (number + 1) * per_report], start=1):
                    report.recommendations.append(
                        Recommendation(
                            position=position, number=str(position), text=text, owner_phrases=[], owner_source="none"
                        )
                    )
                db.session.add(report)
            db.session.commit()
            seconds = _median(
                lambda: (for_items(organisation, new, date(2026, 1, 1), {}), db.session.expire_all()), runs
            )
            db.session.remove()
    return seconds


def tfidf_rows(cases) -> list[tuple[str, float, object]]:
    """TF-IDF with cosine similarity on the same pairs, if scikit-learn is installed."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import cosine_similarity
    except ImportError:
        return []
    from tracker.services.asked_before.matching import meaningful_words

    corpus = sorted({text for case in cases for _, _, text in case.earlier} | {case.text for case in cases})
    rows = []
    for name, options, threshold in (
        ("TF-IDF words, cosine", {}, 0.25),
        ("TF-IDF character 3-5-grams, cosine", {"analyzer": "char_wb", "ngram_range": (3, 5)}, 0.35),
    ):
        vectoriser = TfidfVectorizer(preprocessor=meaningful_words, sublinear_tf=True, **options).fit(corpus)

        def top(text, earlier, vectoriser=vectoriser, threshold=threshold):
            scores = cosine_similarity(vectoriser.transform([text]), vectoriser.transform(earlier))[0]
            best = int(scores.argmax())
            return (best, float(scores[best])) if scores[best] >= threshold else None

        rows.append((name, threshold, measure(cases, top, threshold)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    load_before = load_average()
    cases = load_cases()
    chosen = measure(cases, rapidfuzz_top(THRESHOLD))
    sweep = [measure(cases, rapidfuzz_top(threshold), threshold) for threshold in (0.50, 0.53, 0.56, 0.58, 0.60)]
    new, earlier = texts(cases)
    pure = _median(lambda: match_all(new, earlier), arguments.runs)
    screen = review_screen_seconds(new, earlier, arguments.runs)
    print(
        f"Top suggestion at {THRESHOLD}: precision {chosen.precision:.2f}, recall {chosen.recall:.2f} "
        f"({chosen.cases} items, {chosen.repeats} true repeats); {NEW_ITEMS} items against {EARLIER:,}: "
        f"matching {pure}, as the review screen does it {screen} (target under {TARGET_SECONDS:.0f} s of CPU)"
    )
    reports = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))["reports"]
    councils = len({report["organisation"] for report in reports})
    quality = "\n".join(
        f"| rapidfuzz (token set x token sort){' (the app)' if result.threshold == THRESHOLD else ''} | "
        f"{result.threshold:.2f} | {result.precision:.2f} | {result.recall:.2f} | {result.true_positives} | "
        f"{result.false_positives} |"
        for result in sweep
    )
    compared = tfidf_rows(cases)
    quality += "".join(
        f"\n| scikit-learn {name} | {threshold:.2f} | {result.precision:.2f} | {result.recall:.2f} | "
        f"{result.true_positives} | {result.false_positives} |"
        for name, threshold, result in compared
    )
    note = (
        ""
        if compared
        else "\n\nscikit-learn is not installed here, so TF-IDF is not re-measured; "
        "docs/asked-before.md records the comparison that chose rapidfuzz."
    )
    met = max(pure.cpu, screen.cpu) < TARGET_SECONDS
    verdict = "yes" if met else "no"
    cores = os.cpu_count()
    write_sections(
        {
            SECTION: f"""`bench/repeats_bench.py`: how well the top suggestion finds true repeats, and how fast.
Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average before: {load_before}, after: {load_average()}.

Quality, on the {chosen.cases} recommendations of the later reports of {councils} councils inspected more
than once (items judged unsure left out), {chosen.repeats} of them true repeats judged by hand
(tests/services/asked_before_pairs.json). A suggestion is right when it is one of the earlier items
that asked the same thing; the wrong earlier item, or any suggestion for an item not asked before,
is a false positive.

| Matching | Threshold | Precision | Recall | Right | Wrong |
|---|---:|---:|---:|---:|---:|
{quality}{note}

Speed, median of {arguments.runs} runs: {NEW_ITEMS} new items against {EARLIER:,} earlier recommendations, on
{cores} cores. The wall clock counts the time spent waiting for a core when the load is above the number of
cores; the CPU time is what the run takes on a quiet machine.

| Measurement | Wall clock (s) | CPU (s) |
|---|---:|---:|
| Matching alone (`repeat_matching.best_matches`) | {pure.wall:.3f} | {pure.cpu:.3f} |
| As the review screen does it, 50 reports loaded from SQLite (`asked_before_review.for_items`) \
| {screen.wall:.3f} | {screen.cpu:.3f} |

Target: under {TARGET_SECONDS:.0f} s of CPU: {verdict}."""
        }
    )
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
