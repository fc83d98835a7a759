"""How well the matching finds true repeats: precision and recall of the top suggestion.

Reads the hand-judged pairs (tests/services/asked_before_pairs.json: each report's
recommendations, the later items that repeat earlier ones, and the items left out as unsure)
and asks the matching, for every item of a report with earlier reports of the same
organisation, for its top suggestion among all of them. Pure: no database. Used by the
tests (floors) and by `make bench` (the figures)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.services.asked_before.matching import THRESHOLD, best_matches, prepare

PAIRS_FILE = Path(__file__).resolve().parents[3] / "tests" / "services" / "asked_before_pairs.json"


@dataclass(frozen=True)
class Case:
    text: str
    earlier: tuple[tuple[str, int, str], ...]  # (file, index, text) of every earlier item
    truth: frozenset[tuple[str, int]]  # the earlier items that asked the same; empty when none did


@dataclass(frozen=True)
class Measurement:
    threshold: float
    cases: int
    repeats: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float:
        suggested = self.true_positives + self.false_positives
        return self.true_positives / suggested if suggested else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.repeats if self.repeats else 1.0


def load_cases(path: Path = PAIRS_FILE) -> list[Case]:
    data = json.loads(path.read_text(encoding="utf-8"))
    truth = {tuple(pair["later"]): frozenset(tuple(item) for item in pair["earlier"]) for pair in data["pairs"]}
    unsure = {tuple(item["later"]) for item in data["unsure"]}
    reports = data["reports"]
    cases = []
    for report in reports:
        earlier = tuple(
            (other["file"], index, text)
            for other in reports
            if other["organisation"] == report["organisation"] and other["published"] < report["published"]
            for index, text in enumerate(other["recommendations"])
        )
        if not earlier:
            continue
        for index, text in enumerate(report["recommendations"]):
            if (report["file"], index) not in unsure:
                cases.append(Case(text, earlier, truth.get((report["file"], index), frozenset())))
    return cases


TopMatch = Callable[[str, Sequence[str]], tuple[int, float] | None]


def rapidfuzz_top(threshold: float) -> TopMatch:
    def top(text: str, earlier: Sequence[str]) -> tuple[int, float] | None:
        found = best_matches(text, earlier, threshold=threshold, limit=1, prepared=prepare(earlier))
        return (found[0].index, found[0].score) if found else None

    return top


def measure(cases: Sequence[Case], top: TopMatch, threshold: float = THRESHOLD) -> Measurement:
    """A suggestion is right when it is one of the earlier items that asked the same thing; a
    suggestion for an item nobody asked before, or the wrong earlier item, is a false positive."""
    right = wrong = 0
    for case in cases:
        found = top(case.text, [text for _, _, text in case.earlier])
        if found is None:
            continue
        file, index, _ = case.earlier[found[0]]
        if (file, index) in case.truth:
            right += 1
        else:
            wrong += 1
    return Measurement(threshold, len(cases), sum(1 for case in cases if case.truth), right, wrong)
