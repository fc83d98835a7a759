"""Text that stops in the middle of an item.

Pasted and web texts often end part-way through the last recommendation ("... and
consider whether additional independe"). What is complete is kept as it is; the last
item is kept with the words that are there and marked as possibly cut off, so the
review screen asks the manager to finish it from the report. Nothing is invented.
"""

from __future__ import annotations

import dataclasses

from .models import ParsedRecommendation

CUT_OFF_WARNING = "the text stops inside this item, so it may be cut off; complete it from the report"
_CLOSING = (".", "!", "?", ";", ":", ")", '"', "'", "”", "’")


def mark_cut_off(recommendations: list[ParsedRecommendation], text: str) -> list[ParsedRecommendation]:
    """Mark the last item when the text ends inside it.

    The last item is cut off when nothing but blank space follows it and it lacks the
    closing punctuation that the items before it have (a single item needs its own).
    """
    if not recommendations:
        return recommendations
    last = recommendations[-1]
    if last.source_end is None or text[last.source_end :].strip():
        return recommendations
    earlier = recommendations[:-1]
    punctuated = sum(1 for item in earlier if item.text.rstrip().endswith(_CLOSING))
    if last.text.rstrip().endswith(_CLOSING) or (earlier and punctuated * 2 <= len(earlier)):
        return recommendations
    return earlier + [dataclasses.replace(last, warnings=last.warnings + (CUT_OFF_WARNING,))]
