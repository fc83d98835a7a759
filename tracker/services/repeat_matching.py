"""How close a new recommendation's wording is to earlier ones: pure, no database.

The scoring is rapidfuzz's: the geometric mean of `token_set_ratio` (shared words, whatever
else either text says) and `token_sort_ratio` (the whole wording, in any order), on texts
reduced to their meaningful words. Chosen by measuring against scikit-learn's TF-IDF with
cosine similarity on true repeat pairs judged by hand in real reports
(tests/services/asked_before_pairs.json; `make bench` prints the figures): at the
threshold below both find about the same share of repeats with about the same precision, and
rapidfuzz needs no numpy or scipy and matches 40 items against 2,000 in a few milliseconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

# The top suggestion is shown only from this score up (see docs/asked-before.md for the measurement).
THRESHOLD = 0.56
MAX_MATCHES = 3

# Words every recommendation uses, which say nothing about what it asks.
_STOP_WORDS = frozenset(
    "a all an and are as at be by for from have how in including is it of on or should so that the their "
    "they this those to when which with ensure".split())
# Framework references and paragraph numbers in brackets: "(outcome 3, national framework)".
_REFERENCES = re.compile(r"\((?:principle|outcome|enabler|paragraphs?)\b[^)]*\)", re.IGNORECASE)
_ENDINGS = ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed", "ly")


def _stem(word: str) -> str:
    """"Plans", "planning" and "planned" compare as one word."""
    for ending in _ENDINGS:
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def meaningful_words(text: str) -> str:
    """The words that carry a recommendation's meaning, lower case, endings trimmed."""
    cleaned = utils.default_process(_REFERENCES.sub(" ", text or ""))
    return " ".join(_stem(word) for word in cleaned.split() if word not in _STOP_WORDS)


def score(first: str, second: str) -> float:
    """How close two wordings are, from 0 (nothing shared) to 1 (the same words)."""
    return _score(meaningful_words(first), meaningful_words(second))


def _score(first: str, second: str) -> float:
    if not first or not second:
        return 0.0
    return round(math.sqrt(fuzz.token_set_ratio(first, second) * fuzz.token_sort_ratio(first, second)) / 100, 3)


@dataclass(frozen=True)
class Match:
    index: int  # position in the earlier texts given
    score: float


def best_matches(text: str, earlier: Sequence[str], *, threshold: float = THRESHOLD, limit: int = MAX_MATCHES,
                 prepared: Sequence[str] | None = None) -> list[Match]:
    """The earlier texts closest to `text`, best first, from `threshold` up (at most `limit`).

    `prepared` is `earlier` already passed through `meaningful_words`, so matching many new
    items against the same earlier ones reduces each earlier text once."""
    words = meaningful_words(text)
    if not words or not earlier:
        return []
    choices = list(prepared) if prepared is not None else [meaningful_words(item) for item in earlier]
    # The mean reaches the threshold only when one of its two scores does, so two passes in
    # rapidfuzz's C++ rule out most texts before anything is scored in Python.
    shortlist = {index for scorer in (fuzz.token_set_ratio, fuzz.token_sort_ratio)
                 for _, _, index in process.extract(words, choices, scorer=scorer, limit=None,
                                                    score_cutoff=threshold * 100)}
    found = [Match(index, _score(words, choices[index])) for index in shortlist]
    found = [match for match in found if match.score >= threshold]
    found.sort(key=lambda match: (-match.score, match.index))
    return found[:limit]


def prepare(texts: Sequence[str]) -> list[str]:
    return [meaningful_words(text) for text in texts]
