"""Where each reviewed item came from: the passages of the report's text shown beside the items."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.importing import ParsedReport

CONTEXT_BEFORE = 1500
CONTEXT_AFTER = 400
WHOLE_TEXT_LIMIT = 300_000  # when no section was found, the manager picks items from the whole text


@dataclass(frozen=True)
class Passage:
    """One parsed recommendation's place in the report, and why its owner and deadline were chosen."""

    text: str
    page: int | None
    heading: str | None
    group: str | None
    owner_reason: str
    deadline_reason: str


@dataclass(frozen=True)
class SourceText:
    """The report's text shown beside the items, cut into segments; a segment that is an item's
    passage carries that parsed item's index, so the screen can mark and scroll to it."""

    segments: tuple[tuple[str, int | None], ...]
    passages: dict[int, Passage]
    cut: bool  # the text shown is only part of the report's text


def source_passages(parsed: ParsedReport) -> SourceText:
    text = parsed.text
    passages: dict[int, Passage] = {}
    spans: list[tuple[int, int, int]] = []
    for index, item in enumerate(parsed.recommendations):
        source_start, source_end = item.source_start, item.source_end
        if source_start is not None and source_end is not None and source_start < source_end:
            passage = text[source_start:source_end]
            spans.append((source_start, source_end, index))
        else:
            passage = item.text
        passages[index] = Passage(
            passage.strip(), item.source_page, item.source_heading, item.group, item.owner_reason, item.deadline_reason
        )
    if not spans:
        limit = WHOLE_TEXT_LIMIT if not parsed.recommendations else 20_000
        return SourceText(((text[:limit], None),), passages, len(text) > limit)
    spans.sort()
    start = max(0, spans[0][0] - CONTEXT_BEFORE)
    end = min(len(text), max(span[1] for span in spans) + CONTEXT_AFTER)
    segments: list[tuple[str, int | None]] = []
    position = start
    for span_start, span_end, index in spans:
        if span_start < position:
            continue  # overlapping spans: the first one keeps the text
        if span_start > position:
            segments.append((text[position:span_start], None))
        segments.append((text[span_start:span_end], index))
        position = span_end
    if position < end:
        segments.append((text[position:end], None))
    return SourceText(tuple(segments), passages, start > 0 or end < len(text))
