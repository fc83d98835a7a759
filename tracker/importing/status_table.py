"""Status tables of recommendations, flattened into text by a web page or a paste.

Annual reports and trackers list earlier recommendations with their progress: a header
naming the columns ("Recommendation Status Rationale"), then one row per line, "1 COPFS
should ... Reporter. In progress Action taken and ...". Only the recommendation is wanted:
the row is cut where a sentence ends and a status value ("In progress", "Completed")
starts the next column, and it reads on as the numbered item "1. COPFS should ...".
When a row's other columns follow it on lines of their own ("Recommendation Position",
then "R3 - ..." and its progress), only the row's first line is the recommendation.
A tracker page may instead put each cell on a line of its own (number, status, text, body).
An action plan flattened with " / " between its cells ("Ref No / Area requiring improvement
(Recommendations) / Action required / ...") gives each row "1 / recommendation / action /
...": the cell under the header's recommendations column is the item, the rest is not.
An action plan's header may number its column names ("1. Rec. No.", "2. Recommendation",
"3. Accepted/ Rejected"); those cells name columns, so they are neither a heading nor items.
"""

from __future__ import annotations

import re

from .lines import TextLine
from .markers import match_list_marker

# The column names in the header: a recommendation column and a status column.
STATUS_HEADER = re.compile(
    r"^(?:no\.?\s+|number\s+)?recommendations?\s+(?:\w+\s+){0,2}?(?:status|position|progress)\b(?:\s+\w+){0,3}$",
    re.IGNORECASE,
)
# The values a status column takes in trackers of recommendations.
_STATUS = (
    r"(?:in\s+progress|not\s+(?:yet\s+)?(?:started|achieved|met)|partially\s+(?:achieved|met|complete(?:d)?)|"
    r"complete(?:d)?|achieved|open|closed|ongoing|superseded|outstanding|met)"
)
_LABELLED_ROW = re.compile(r"^R\d{1,2}\s*[-–:.]\s+\S")
_ROW = re.compile(r"^(?P<number>\d{1,3})\s+(?P<text>[A-Za-z].+)$")
_STATUS_AFTER_SENTENCE = re.compile(rf"(?<=[.;])\s+{_STATUS}\b(?=\s+[A-Z]|\s*$)", re.IGNORECASE)
MAX_ROWS = 60
_NUMBER_CELL = re.compile(r"^\s*\d{1,3}\s*$")
_STATUS_CELL = re.compile(rf"^\s*{_STATUS}\s*$", re.IGNORECASE)
# A body's name: a few capitalised words and no sentence ("West Mercia Police", "Chief Constable").
_BODY_CELL = re.compile(r"^\s*[A-Z][\w'’&-]*(?:\s+(?:[A-Z][\w'’&-]*|of|and|the|for)){0,7}\s*$")
MIN_TRACKER_ROWS = 2


def status_rows_as_items(lines: list[TextLine]) -> list[TextLine]:
    """The lines with each row under a status header read as "N. recommendation", and a
    tracker's cells one a line (see :func:`_tracker_cells_as_items`) as the same."""
    header = next((index for index, line in enumerate(lines) if STATUS_HEADER.match(line.text)), None)
    if header is None:
        return _tracker_cells_as_items(lines)
    read = list(lines)
    in_row = False
    for index in range(header + 1, min(header + 1 + MAX_ROWS, len(lines))):
        line = lines[index]
        if _LABELLED_ROW.match(line.text):  # "R3 - ..." reads as it is (see .section.NAMED_RECOMMENDATION)
            in_row = True
            continue
        row = _ROW.match(line.text)
        if row is None:
            in_row = in_row and not line.is_blank
            if in_row:  # the row's other columns, one a line: its position or progress
                read[index] = TextLine(text="", start=line.start, end=line.end)
            continue
        in_row = True
        text = row.group("text")
        if status := _STATUS_AFTER_SENTENCE.search(text):
            text = text[: status.start()]
        read[index] = TextLine(text=f"{row.group('number')}. {text}", start=line.start, end=line.end)
    return read


def _tracker_cells_as_items(lines: list[TextLine]) -> list[TextLine]:
    """A tracker page with each cell on a line of its own: the number, the status, the
    recommendation, then the body it is for ("West Mercia Police"). Each row reads as
    "N. recommendation [Responsible body: ...]", the form a table row takes (see
    .pdf_tables), so the body is the item's owner as a column would give it."""
    filled = [index for index, line in enumerate(lines) if not line.is_blank]
    rows = [
        position
        for position in range(len(filled) - 2)
        if _NUMBER_CELL.match(lines[filled[position]].text) and _STATUS_CELL.match(lines[filled[position + 1]].text)
    ]
    if len(rows) < MIN_TRACKER_ROWS:
        return lines
    read = list(lines)
    for row_number, position in enumerate(rows):
        following = rows[row_number + 1] if row_number + 1 < len(rows) else len(filled)
        cells = [filled[at] for at in range(position, following)]
        if len(cells) < 3:
            continue
        number, status, text, *rest = cells
        owner = ""
        if len(rest) == 1 and _BODY_CELL.match(lines[rest[0]].text):
            owner = f" [Responsible body: {lines[rest[0]].text.strip()}]"
            read[rest[0]] = TextLine(text="", start=lines[rest[0]].start, end=lines[rest[0]].end)
        for blanked in (number, status):
            read[blanked] = TextLine(text="", start=lines[blanked].start, end=lines[blanked].end)
        line = lines[text]
        read[text] = TextLine(text=f"{lines[number].text.strip()}. {line.text}{owner}", start=line.start, end=line.end)
    return read


MIN_HEADER_CELLS = 3
MAX_HEADER_CELL_WORDS = 4


def numbered_header_cells_blanked(lines: list[TextLine]) -> list[TextLine]:
    """The lines with a table header whose column names are numbered ("1. Rec. No.",
    "2. Recommendation", "3. Accepted/ Rejected", a name's second line "Action Taken/Planned"
    between them) read as blank lines. A header is three or more such short cells numbered
    1, 2, 3 ..., one of them naming the recommendation column."""
    read = list(lines)
    index = 0
    while index < len(lines):
        cells = _header_cells_from(lines, index)
        if cells:
            for cell in cells:
                read[cell] = TextLine(text="", start=lines[cell].start, end=lines[cell].end)
            index = cells[-1] + 1
        else:
            index += 1
    return read


def _header_cells_from(lines: list[TextLine], index: int) -> list[int]:
    cells: list[int] = []
    expected = 1
    cursor = index
    while cursor < len(lines):
        text = lines[cursor].text
        marker = match_list_marker(text) if text else None
        if not text:
            cursor += 1
            continue
        words = len(text.split())
        if marker is not None and marker.style == "decimal" and marker.label == str(expected):
            if words - 1 > MAX_HEADER_CELL_WORDS:
                break
            expected += 1
        elif marker is not None or not cells or words > MAX_HEADER_CELL_WORDS or text.endswith((".", ":")):
            break  # a cell name's second line ("Action Taken/Planned") carries on the header
        cells.append(cursor)
        cursor += 1
    named = [cell for cell in cells if re.search(r"\brecommendations?\b", lines[cell].text, re.IGNORECASE)]
    if expected - 1 < MIN_HEADER_CELLS or not named:
        return []
    while cells and match_list_marker(lines[cells[-1]].text) is None:
        cells.pop()  # the line after the last cell is not part of the header
    return cells


_CELL_SEPARATOR = " / "
MIN_SLASH_HEADER_CELLS = 4
_SLASH_ROW = re.compile(r"^(?P<number>\d{1,3})\s+/\s+(?P<rest>.+)$")
_RECOMMENDATIONS_COLUMN = re.compile(r"\brecommendations?\b", re.IGNORECASE)


def slash_header_column(text: str) -> int | None:
    """The position of the recommendations column in a header of " / "-separated cells."""
    cells = [cell.strip() for cell in text.rstrip("/ ").split(_CELL_SEPARATOR)]
    if len(cells) < MIN_SLASH_HEADER_CELLS:
        return None
    named = [position for position, cell in enumerate(cells) if _RECOMMENDATIONS_COLUMN.search(cell)]
    return named[0] if len(named) == 1 and named[0] > 0 else None


def slash_rows_as_items(lines: list[TextLine]) -> list[TextLine]:
    """The lines with each row of a " / " table read as "N. recommendation", and the rest of
    the row (its other cells, which may run over several lines) and the header's own
    second line as blank lines."""
    header = next((index for index, line in enumerate(lines) if slash_header_column(line.text)), None)
    if header is None:
        return lines
    column = slash_header_column(lines[header].text) or 0
    rows = [index for index in range(header + 1, len(lines)) if _SLASH_ROW.match(lines[index].text)]
    if not rows:
        return lines
    read = lines[: header + 1] + [TextLine(text="", start=line.start, end=line.end) for line in lines[header + 1 :]]
    for row_number, index in enumerate(rows):
        following = rows[row_number + 1] if row_number + 1 < len(rows) else len(lines)
        row = " ".join(line.text for line in lines[index:following] if line.text)
        cells = row.split(_CELL_SEPARATOR)
        if len(cells) <= column:
            continue
        number = cells[0].strip()
        line = lines[index]
        read[index] = TextLine(text=f"{number}. {cells[column].strip()}", start=line.start, end=line.end)
    return read
