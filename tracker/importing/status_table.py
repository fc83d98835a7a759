"""Status tables of recommendations, flattened into text by a web page or a paste.

Annual reports and trackers list earlier recommendations with their progress: a header
naming the columns ("Recommendation Status Rationale"), then one row per line, "1 COPFS
should ... Reporter. In progress Action taken and ...". Only the recommendation is wanted:
the row is cut where a sentence ends and a status value ("In progress", "Completed")
starts the next column, and it reads on as the numbered item "1. COPFS should ...".
"""

from __future__ import annotations

import re

from .lines import TextLine

# The column names in the header: a recommendation column and a status column.
STATUS_HEADER = re.compile(r"^(?:no\.?\s+|number\s+)?recommendations?\s+(?:\w+\s+){0,2}?status\b(?:\s+\w+){0,3}$", re.IGNORECASE)
# The values a status column takes in trackers of recommendations.
_STATUS = (
    r"(?:in\s+progress|not\s+(?:yet\s+)?(?:started|achieved|met)|partially\s+(?:achieved|met|complete(?:d)?)|"
    r"complete(?:d)?|achieved|open|closed|ongoing|superseded|outstanding|met)"
)
_ROW = re.compile(r"^(?P<number>\d{1,3})\s+(?P<text>[A-Za-z].+)$")
_STATUS_AFTER_SENTENCE = re.compile(rf"(?<=[.;])\s+{_STATUS}\b(?=\s+[A-Z]|\s*$)", re.IGNORECASE)
MAX_ROWS = 60


def status_rows_as_items(lines: list[TextLine]) -> list[TextLine]:
    """The lines with each row under a status header read as "N. recommendation"."""
    header = next((index for index, line in enumerate(lines) if STATUS_HEADER.match(line.text)), None)
    if header is None:
        return lines
    read = list(lines)
    for index in range(header + 1, min(header + 1 + MAX_ROWS, len(lines))):
        line = lines[index]
        row = _ROW.match(line.text)
        if row is None:
            continue
        text = row.group("text")
        if status := _STATUS_AFTER_SENTENCE.search(text):
            text = text[: status.start()]
        read[index] = TextLine(text=f"{row.group('number')}. {text}", start=line.start, end=line.end)
    return read
