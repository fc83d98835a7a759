"""Rows of a sheet, read through a column mapping, into recommendations and the steps under them.

Each row gets its own problems (it cannot be saved as it stands) and notes (how something
unusual was read). A row whose recommendation cells are empty belongs to the recommendation
above it, which is how merged recommendation cells and "one recommendation, several steps"
layouts both read."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from .columns import KINDS, Column, find_header_row, guess_columns
from .dates import read_date
from .errors import PlanReadError
from .sheets import Value, Workbook, read_workbook
from .statuses import NOT_STARTED, read_flag, read_status

MAX_TEXT = 5000
LEADING_NUMBER = re.compile(r"^\s*((?:\d{1,3}(?:\.\d{1,3})*[a-z]?)|(?:[ivx]{1,6}))[.):]?\s+(?=\S)", re.IGNORECASE)
HOLDER_IN_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")
NO_OWNER = {"no owner assigned", "tbc", "n/a", "na", "none", "-"}


class PlanMappingError(PlanReadError):
    """The chosen column mapping cannot be used (the manager changes it on the mapping screen)."""

    layout: Plan | None = None


@dataclass
class PlanRow:
    line: int  # the row number the sheet shows, from 1
    number: str
    recommendation: str
    step: str | None  # None: the recommendation's own row
    owners: tuple[str, ...] = ()
    deadline: date | None = None
    original_deadline: date | None = None
    status: str = NOT_STARTED
    flag: str | None = None
    update: str | None = None
    update_on: date | None = None
    update_author: str | None = None  # who wrote the update, when the sheet says
    cells: dict[str, str] = field(default_factory=dict)  # the cells as text, by kind, for the fix form
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def signature(self) -> tuple:
        return (self.number, self.recommendation, self.step, self.owners, self.deadline, self.status, self.flag)


@dataclass
class PlanRecommendation:
    number: str
    text: str
    own_row: PlanRow | None = None
    steps: list[PlanRow] = field(default_factory=list)

    @property
    def rows(self) -> list[PlanRow]:
        return [*([self.own_row] if self.own_row else []), *self.steps]


@dataclass
class Plan:
    kind: str
    sheet_names: list[str]
    sheet_name: str
    header_line: int
    columns: list[Column]
    recommendations: list[PlanRecommendation]
    rows: list[PlanRow]

    @property
    def refused_rows(self) -> list[PlanRow]:
        return [row for row in self.rows if row.refused]

    def fingerprint(self) -> str:
        """The same plan however it was saved (another format, columns moved): its rows' meaning."""
        text = repr(sorted(repr(row.signature()) for row in self.rows))
        return hashlib.sha256(text.encode()).hexdigest()


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _owners(text: str) -> tuple[str, ...]:
    owners = []
    for part in re.split(r"[;\n]+", text):
        # The board pack and plan export write "Role (holder's name)"; the role is what is owned.
        name = HOLDER_IN_BRACKETS.sub("", part).strip(" ,.") or part.strip(" ,.")
        if name and name.lower() not in NO_OWNER and name not in owners:
            owners.append(name)
    return tuple(owners)


def _check_mapping(columns: list[Column]) -> dict[str, int]:
    by_kind: dict[str, int] = {}
    for column in columns:
        if column.kind not in KINDS:
            raise PlanMappingError(f"Column \u201c{column.heading}\u201d has an unknown choice.")
        if column.kind == "ignore":
            continue
        if column.kind in by_kind:
            raise PlanMappingError(
                f"Two columns are set to \u201c{KINDS[column.kind]}\u201d. Choose one of them, "
                "and set the other to \u201cDo not import\u201d."
            )
        by_kind[column.kind] = column.index
    if "recommendation" not in by_kind and "step" not in by_kind:
        raise PlanMappingError("Choose the column that holds the recommendations (or the actions).")
    return by_kind


def _read_row(line: int, cells: dict[str, Value], today: date, has_status: bool) -> PlanRow:
    number, text = _text(cells.get("number")), _text(cells.get("recommendation"))
    row = PlanRow(
        line=line,
        number=number,
        recommendation=text,
        step=_text(cells.get("step")) or None,
        cells={kind: _text(value) for kind, value in cells.items()},
    )
    row.owners = _owners(_text(cells.get("owner")))
    for kind, attribute in (("deadline", "deadline"), ("original_deadline", "original_deadline")):
        reading = read_date(cells.get(kind), today)
        setattr(row, attribute, reading.value)
        row.problems += [f"{KINDS[kind]}: {reading.problem}"] if reading.problem else []
        row.notes += [reading.note] if reading.note else []
    source = "status" if has_status and cells.get("status") is not None else "rag"
    status = read_status(cells.get(source))
    if status.problem:
        row.problems.append(f"{KINDS[source]}: {status.problem}")
    row.status, row.flag = status.status or NOT_STARTED, status.flag
    if source == "status" and cells.get("flag") is not None:
        flag = read_flag(cells.get("flag"))
        row.flag = flag.flag or row.flag
        row.problems += [flag.problem] if flag.problem else []
    update, evidence = _text(cells.get("update")), _text(cells.get("evidence"))
    row.update = "\n\n".join(part for part in (update, f"Evidence: {evidence}" if evidence else "") if part) or None
    row.update_author = _text(cells.get("update_author"))[:200] or None
    if row.update:
        reading = read_date(cells.get("update_date"), today, not_after_today=True)
        row.update_on = reading.value
        row.problems += [f"{KINDS['update_date']}: {reading.problem}"] if reading.problem else []
        if reading.value is None and not reading.problem:
            row.notes.append("The update has no date: it will be dated the day of the import.")
    if any(len(value) > MAX_TEXT for value in row.cells.values()):
        row.problems.append(f"A cell is longer than {MAX_TEXT:,} characters.")
    return row


def read_plan(
    data: bytes,
    today: date,
    *,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    fixes: dict[tuple[int, str], str] | None = None,
) -> Plan:
    """Read a plan: the sheet (by name, or the one named like a plan), its header row, its columns
    (guessed, or `mapping`: column index -> kind) and its rows, with `fixes` ((row line, kind) ->
    text the manager typed) in place of the sheet's cells. Raises PlanReadError when unusable."""
    return plan_from_workbook(read_workbook(data, sheet), today, mapping=mapping, fixes=fixes)


def plan_from_workbook(
    workbook: Workbook,
    today: date,
    *,
    mapping: dict[int, str] | None = None,
    fixes: dict[tuple[int, str], str] | None = None,
) -> Plan:
    """:func:`read_plan` from a sheet already read (the app reads it once, in a child process)."""
    rows = workbook.sheet.rows
    if not rows:
        raise PlanReadError(f"The sheet \u201c{workbook.sheet.name}\u201d is empty. Choose the sheet with the plan.")
    header_index = find_header_row(rows)
    columns = guess_columns(rows, header_index, today)
    if mapping:
        columns = [
            Column(column.index, column.heading, mapping.get(column.index, column.kind), "Chosen by you.")
            if column.index in mapping
            else column
            for column in columns
        ]
    plan = Plan(workbook.kind, workbook.sheet_names, workbook.sheet.name, header_index + 1, columns, [], [])
    try:
        by_kind = _check_mapping(columns)
    except PlanMappingError as error:
        error.layout = plan  # the sheet and its columns, for the mapping screen to show again
        raise
    fixes = fixes or {}
    recommendations: dict[str, PlanRecommendation] = {}
    seen: dict[tuple, int] = {}
    current: PlanRecommendation | None = None
    for index in range(header_index + 1, len(rows)):
        line, values = index + 1, rows[index]
        fixed: set[str] = set()
        cells: dict[str, Value] = {
            kind: values[column] if column < len(values) else None for kind, column in by_kind.items()
        }
        for (fix_line, kind), text in fixes.items():
            if fix_line == line and kind in by_kind and text.strip() != _text(cells[kind]):
                cells[kind] = text.strip() or None
                fixed.add(kind)
        if all(value is None for value in cells.values()) and not fixed:
            continue
        row = _read_row(line, cells, today, "status" in by_kind)
        row.notes += [f"{KINDS[kind]} changed by you." for kind in sorted(fixed)]
        row.problems += [
            f"{KINDS[kind]}: the cell is a formula that Excel has not calculated. Open the file in "
            "Excel and save it, or type the value here."
            for kind, column in by_kind.items()
            if (index, column) in workbook.sheet.uncalculated and kind not in fixed
        ]
        if "recommendation" not in by_kind and "number" not in by_kind:
            row.recommendation, row.step = row.step or "", None  # a plain list: each is its own recommendation
        if not row.number and not row.recommendation:
            if current is None:
                row.problems.append("No recommendation is given on this row or above it.")
                row.number = row.recommendation = ""
            else:
                row.number, row.recommendation = current.number, current.text
        elif not row.recommendation:
            if current is not None and row.number == current.number:
                row.recommendation = current.text
            elif row.number.lower().rstrip(".") in recommendations:
                row.recommendation = recommendations[row.number.lower().rstrip(".")].text
            elif "recommendation" in by_kind:
                row.problems.append(f"Recommendation {row.number} has no text.")
        elif not row.number:
            if not (match := LEADING_NUMBER.match(row.recommendation)) or "number" in by_kind:
                known = next((item for item in recommendations.values() if item.text == row.recommendation), None)
                row.number = known.number if known else str(len(recommendations) + 1)
                if known is None:
                    row.notes.append(f"The sheet gives no number: numbered {row.number}.")
            else:
                row.number, row.recommendation = match[1], row.recommendation[match.end() :].strip()
        key = row.number.lower().rstrip(".")
        item = recommendations.get(key)
        if item is None and row.number:
            item = recommendations[key] = PlanRecommendation(row.number, row.recommendation)
            plan.recommendations.append(item)
        elif item is not None and item.text != row.recommendation:
            row.problems.append(
                f"Recommendation {row.number} has different text on row {item.rows[0].line}. "
                "Make them the same, or give this one its own number."
            )
        if item is not None:
            current = item
        if (first := seen.get(row.signature())) is not None:
            row.problems.append(f"This row repeats row {first}. Delete one of them, or skip this row.")
        else:
            seen[row.signature()] = line
            if item is not None and row.step is None and item.own_row is not None:
                row.problems.append(
                    f"Recommendation {row.number} already has a row without a step "
                    f"(row {item.own_row.line}). Give this row a step, or delete it."
                )
        if item is not None and not any("repeats row" in problem for problem in row.problems):
            if row.step is None and item.own_row is None:
                item.own_row = row
            elif row.step is not None:
                item.steps.append(row)
        plan.rows.append(row)
    if not plan.rows:
        raise PlanReadError("The sheet has a header row but no rows of the plan below it.")
    return plan
