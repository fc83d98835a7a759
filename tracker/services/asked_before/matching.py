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
    [
        "a",
        "all",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "have",
        "how",
        "in",
        "including",
        "is",
        "it",
        "of",
        "on",
        "or",
        "should",
        "so",
        "that",
        "the",
        "their",
        "they",
        "this",
        "those",
        "to",
        "when",
        "which",
        "with",
        "ensure",
    ]
)
# Framework references and paragraph numbers in brackets: "(outcome 3, national framework)".
_REFERENCES = re.compile(r"\((?:principle|outcome|enabler|paragraphs?)\b[^)]*\)", re.IGNORECASE)
_ENDINGS = ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed", "ly")


def _stem(word: str) -> str:
    """ "Plans", "planning" and "planned" compare as one word."""
    for ending in _ENDINGS:
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def meaningful_words(text: str) -> str:
    """The words that carry a recommendation's meaning, lower case, endings trimmed, in
    alphabetical order (the order never changes a score: both scores compare words in any order,
    and with the words already sorted `token_sort_ratio` is a plain `ratio`, five times faster)."""
    cleaned = utils.default_process(_REFERENCES.sub(" ", text or ""))
    return " ".join(sorted(_stem(word) for word in cleaned.split() if word not in _STOP_WORDS))


def score(first: str, second: str) -> float:
    """How close two wordings are, from 0 (nothing shared) to 1 (the same words)."""
    first, second = meaningful_words(first), meaningful_words(second)
    if not first or not second:
        return 0.0
    return _combined(fuzz.token_set_ratio(first, second), fuzz.ratio(first, second))


def _combined(token_set: float, token_sort: float) -> float:
    return round(math.sqrt(token_set * token_sort) / 100, 3)


@dataclass(frozen=True)
class Match:
    index: int  # position in the earlier texts given
    score: float


def best_matches(
    text: str,
    earlier: Sequence[str],
    *,
    threshold: float = THRESHOLD,
    limit: int = MAX_MATCHES,
    prepared: Sequence[str] | None = None,
) -> list[Match]:
    """The earlier texts closest to `text`, best first, from `threshold` up (at most `limit`).

    `prepared` is `earlier` already passed through `meaningful_words`, so matching many new
    items against the same earlier ones reduces each earlier text once."""
    words = meaningful_words(text)
    if not words or not earlier:
        return []
    choices = list(prepared) if prepared is not None else prepare(earlier)
    # The mean reaches the threshold only where the word-order score reaches threshold squared:
    # one fast pass finds those, one more scores their shared words, both in rapidfuzz's C++.
    in_order = {
        index: value
        for _, value, index in process.extract(
            words, choices, scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=100 * threshold**2
        )
    }
    if not in_order:
        return []
    shared = process.extract(
        words, choices, scorer=fuzz.token_set_ratio, processor=None, limit=None, score_cutoff=100 * threshold**2
    )
    found = [Match(index, _combined(value, in_order[index])) for _, value, index in shared if index in in_order]
    found = [match for match in found if match.score >= threshold]
    found.sort(key=lambda match: (-match.score, match.index))
    return found[:limit]


def prepare(texts: Sequence[str]) -> list[str]:
    return [meaningful_words(text) for text in texts]
