"""The import review: editing the items between upload and save, and the checks before saving.

Every operation is a pure function on a list of :class:`ImportItem` values, so the review
screen's rules (split, merge, bulk owners and deadlines, counting deadlines from another date,
matching owner names to roles) are tested without HTTP. The view maps its form to items with
:func:`item_from_row` and back with :func:`row_for`, calls :func:`apply_operation`, and renders.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from tracker import clock
from tracker.importing import NoRecommendationsFound, ParsedReport, ReportReadError, match_owner
from tracker.importing.models import NO_DEADLINE_STATED
from tracker.importing.owners import has_role_word, normalise_owner_phrase
from tracker.inputs import whole_number
from tracker.services import ServiceError
from tracker.services.deadlines import DEFAULT_MONTHS, add_months, deadline_for
from tracker.services.imports.parsed_uploads import (
    read_report,  # read once, in a child process with hard limits, then kept
)
from tracker.services.imports.review_order import add_found_items, move_item, without_leading_bullet
from tracker.services.imports.staging import ImportItem, StagedUpload

MAX_ITEMS = 1000
MAX_MONTHS = 120
_SMALL_WORDS = frozenset({"of", "for", "and", "to", "in", "on", "at", "with"})
# A line that starts a new point: a bullet glyph (including the symbol-font U+F0A7 and U+F0B7
# that PDFs extract as they are), or a number or letter with a stop or bracket.
_BULLET = r"[-*\u2022\u25e6\u25aa\u25fc\u25a0\u2023\u00b7\u2013\uf0a7\uf0b7]"
_LINE_START = re.compile(rf"^\s*(?:{_BULLET}|\(?(?:[0-9]{{1,3}}|[a-z]|[ivx]{{1,5}})[.)])\s+", re.IGNORECASE)
_INLINE_BULLET = re.compile(rf"\s+(?={_BULLET}\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"\u201c(]?[A-Z0-9])")


class ReviewProblem(ServiceError):
    """An operation that cannot apply, with the form field it is about (so the screen marks it)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- Reading the report for review -------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSource:
    """What the review screen shows beside the items: the parsed report, and when no section
    was found, why (the screen then opens with the text alone, so the manager adds items by hand)."""

    parsed: ParsedReport
    no_section: str | None = None


def read_for_review(staged: StagedUpload) -> ReviewSource:
    """Parse the staged upload; when its text was read but no recommendations were found, still
    open the review with that text. Only a file whose text cannot be read at all is refused."""
    try:
        return ReviewSource(read_report(staged.data, staged.filename))
    except NoRecommendationsFound as error:
        text = error.text
        reason = str(error)
    if not text.strip():
        raise ReportReadError(reason)
    parsed = ParsedReport(
        service=None,
        inspectorate=None,
        inspection_type=None,
        publication_date=None,
        date_precision=None,
        overall_rating=None,
        ratings={},
        deadline_rule=NO_DEADLINE_STATED,
        deadline_months=None,
        recommendations=(),
        warnings=(),
        text=text,
    )
    return ReviewSource(parsed, no_section=reason)


# --- Between the form and the items ------------------------------------------------------------


def ascii_number(text: str | None) -> int | None:
    """An int from ASCII digits only: "²" passes ``str.isdigit`` but ``int`` refuses it."""
    return whole_number(text, maximum=999_999)


def item_from_row(row: dict[str, Any]) -> ImportItem:
    """One item from the review form's values for it (a dict of the item sub-form's data)."""
    owners = tuple(owner.strip() for owner in (row.get("owners") or "").split(";") if owner.strip())
    reported = tuple(owner for owner in (row.get("reported_owners") or "").split(";") if owner)
    origin = tuple(
        number for part in (row.get("origin") or "").split(",") if (number := ascii_number(part)) is not None
    )
    item = ImportItem(
        number=(row.get("number") or "").strip(),
        text=without_leading_bullet(row.get("text") or ""),
        owners=(),
        owner_source=row.get("owner_source") or "none",
        reported_owners=reported,
        deadline_rule=row.get("deadline_rule") or None,
        deadline_months=ascii_number(row.get("deadline_months")),
        due_on=row.get("due_on"),
        origin=origin,
        selected=bool(row.get("selected")),
    )
    return item.with_owners(owners)


def row_for(item: ImportItem) -> dict[str, Any]:
    """The review form's values for one item."""
    return {
        "number": item.number,
        "text": item.text,
        "owners": "; ".join(item.owners),
        "due_on": item.due_on,
        "owner_source": item.owner_source,
        "reported_owners": ";".join(item.reported_owners),
        "deadline_rule": item.deadline_rule or "",
        "deadline_months": "" if item.deadline_months is None else str(item.deadline_months),
        "origin": ",".join(str(number) for number in item.origin),
        "selected": item.selected,
    }


def items_from_parsed(parsed: ParsedReport) -> list[ImportItem]:
    """The parsed items for review; a bullet's position is not shown as if the report printed it."""
    return [
        replace(ImportItem.from_parsed(item), origin=(index,), number=item.number if item.printed_number else "")
        for index, item in enumerate(parsed.recommendations)
    ]


# --- Operations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewChoices:
    """What the manager chose in the review form's tools, besides the items themselves."""

    bulk_owners: str = ""
    bulk_deadline: str = "keep"  # keep | 12 | 3 | months | date
    bulk_months: int | None = None
    bulk_due_on: date | None = None
    new_item_text: str = ""
    count_from: date | None = None
    publication_date: date | None = None
    month_only: bool = False
    default_months: int | None = None
    parsed_numbers: tuple[str, ...] = ()  # the numbers the report printed, by parsed index
    passed_over: tuple[Any, ...] = ()  # ParsedSection values the parser did not add (see review_order)


def apply_operation(
    items: list[ImportItem],
    operation: str,
    choices: ReviewChoices,
    roles: Sequence[Any] = (),
    today: date | None = None,
) -> list[ImportItem]:
    """Apply one review operation ("split:3", "bulk", "add-text", ...) and return the new items.

    Raises ServiceError with a sentence for the manager when the operation cannot apply.
    """
    name, _, argument = operation.partition(":")
    if name in {"split", "split-sentences", "merge", "delete", "use-role", "move-up", "move-down"}:
        index = ascii_number(argument)
        if index is None or not 0 <= index < len(items):
            raise ServiceError("That item is no longer in the list.")
        if name in {"split", "split-sentences"}:
            return split_item(items, index, by_sentence=name == "split-sentences", numbers=choices.parsed_numbers)
        if name == "merge":
            return merge_with_next(items, index)
        if name == "delete":
            return [*items[:index], *items[index + 1 :]]
        if name in {"move-up", "move-down"}:
            return move_item(items, index, up=name == "move-up")
        return use_suggested_roles(items, roles, only=index)
    if name == "add":
        return add_item(items, "")
    if name == "add-text":
        if not choices.new_item_text.strip():
            raise ReviewProblem(
                "Select some of the report's text, or type the item's text, then add it as an item.", "new_item_text"
            )
        return add_item(items, choices.new_item_text)
    if name == "bulk":
        return apply_to_selected(items, choices)
    if name == "select":
        return [replace(item, selected=argument == "all") for item in items]
    if name == "use-roles":
        return use_suggested_roles(items, roles)
    if name == "add-found":
        return add_found_items(items, choices.passed_over, ascii_number(argument))
    if name == "count-from":
        return count_past_deadlines_from(items, choices, today or clock.today())
    raise ServiceError("Choose what to do with the items.")


def split_parts(text: str, *, by_sentence: bool) -> list[str]:
    """The pieces an item splits into: each line or bullet, or each sentence."""
    if by_sentence:
        parts = _SENTENCE_END.split(" ".join(text.split()))
    else:
        lines = [piece.strip() for line in text.splitlines() for piece in _INLINE_BULLET.split(line) if piece.strip()]
        bulleted = any(_LINE_START.match(line) for line in lines)
        parts = []
        for line in lines:
            if bulleted and parts and not _LINE_START.match(line) and _LINE_START.match(parts[-1]):
                parts[-1] = f"{parts[-1]} {line}"  # a wrapped line of the bulleted point above
            else:
                parts.append(line)
    return [without_leading_bullet(part) for part in parts if without_leading_bullet(part)]


def split_item(
    items: list[ImportItem], index: int, *, by_sentence: bool, numbers: Sequence[str] = ()
) -> list[ImportItem]:
    """Split an item at each line or bullet (or each sentence); the first piece keeps the number.

    An item merged from several parsed items that splits back into as many pieces gets their
    numbers and sources back; otherwise the pieces are numbered 4, 4b, 4c.
    """
    item = items[index]
    parts = split_parts(item.text, by_sentence=by_sentence)
    if len(parts) < 2:
        what = "sentence" if by_sentence else "line or bullet"
        raise ServiceError(
            f"Item {index + 1} has only one {what}, so there is nothing to split. "
            "Put a line break in its text where it should divide."
        )
    if len(items) + len(parts) - 1 > MAX_ITEMS:
        raise ServiceError(f"A review can hold at most {MAX_ITEMS} items.")
    pieces = [
        replace(item, text=part, number=_piece_number(item.number, position), selected=False)
        for position, part in enumerate(parts)
    ]
    if len(item.origin) == len(parts) > 1 and all(origin < len(numbers) for origin in item.origin):
        pieces = [
            replace(piece, origin=(origin,), number=piece.number if position == 0 else numbers[origin])
            for position, (piece, origin) in enumerate(zip(pieces, item.origin, strict=True))
        ]
    return [*items[:index], *pieces, *items[index + 1 :]]


def _piece_number(number: str, position: int) -> str:
    if position == 0 or not number:
        return number
    if position < 26:
        return f"{number}{chr(ord('a') + position)}"
    return f"{number}.{position + 1}"


def merge_with_next(items: list[ImportItem], index: int) -> list[ImportItem]:
    """Join an item with the next one, keeping the line break between them so it can be split again."""
    if index + 1 >= len(items):
        raise ServiceError("The last item has nothing after it to merge with.")
    item, following = items[index], items[index + 1]
    owners = tuple(dict.fromkeys([*item.owners, *following.owners]))
    merged = replace(
        item,
        text=f"{item.text.strip()}\n{following.text.strip()}",
        origin=tuple(dict.fromkeys([*item.origin, *following.origin])),
        selected=False,
    )
    return [*items[:index], merged.with_owners(owners), *items[index + 2 :]]


def add_item(items: list[ImportItem], text: str) -> list[ImportItem]:
    if len(items) >= MAX_ITEMS:
        raise ServiceError(f"A review can hold at most {MAX_ITEMS} items.")
    numbers = [ascii_number(item.number) for item in items]
    next_number = max([number for number in numbers if number is not None], default=len(items)) + 1
    return [
        *items,
        ImportItem(
            number=str(next_number),
            text=without_leading_bullet(" ".join(text.split())) if text else "",
            owners=(),
            owner_source="none",
        ),
    ]


def deadline_rule_text(months: int) -> str:
    return f"{months} month{'s' if months != 1 else ''} from publication"


def apply_to_selected(items: list[ImportItem], choices: ReviewChoices) -> list[ImportItem]:
    """Give every selected item the same owners and/or the same deadline rule or date, then clear
    the selection, so the next change starts from nothing selected."""
    if not any(item.selected for item in items):
        raise ReviewProblem("Select the items to change first: tick “Select” on each of them.", "bulk_owners")
    owners = tuple(owner.strip() for owner in choices.bulk_owners.split(";") if owner.strip())
    months = {"12": 12, "3": 3, "months": choices.bulk_months}.get(choices.bulk_deadline)
    if choices.bulk_deadline == "months" and (months is None or not 0 < months <= MAX_MONTHS):
        raise ReviewProblem(f"Enter a number of months from 1 to {MAX_MONTHS}.", "bulk_months")
    if choices.bulk_deadline == "date" and choices.bulk_due_on is None:
        raise ReviewProblem("Enter the deadline date for the selected items.", "bulk_due_on")
    if not owners and choices.bulk_deadline == "keep":
        raise ReviewProblem("Enter owners, or choose a deadline, for the selected items.", "bulk_owners")
    changed = []
    for item in items:
        if item.selected:
            if owners:
                item = item.with_owners(owners)
            if months is not None:
                item = replace(item, deadline_rule=deadline_rule_text(months), deadline_months=months, due_on=None)
            elif choices.bulk_deadline == "date":
                item = replace(item, due_on=choices.bulk_due_on)
            item = replace(item, selected=False)
        changed.append(item)
    return changed


def due_on(item: ImportItem, choices: ReviewChoices) -> date | None:
    """The deadline the item would get if saved now (None until the publication date is known)."""
    if item.due_on is not None:
        return item.due_on
    if choices.publication_date is None:
        return None
    months = item.deadline_months if item.deadline_months is not None else choices.default_months
    return deadline_for(choices.publication_date, month_only=choices.month_only, months=months)


def count_past_deadlines_from(items: list[ImportItem], choices: ReviewChoices, today: date) -> list[ImportItem]:
    """Items whose deadline has already passed get it counted from ``choices.count_from`` instead."""
    if choices.count_from is None:
        raise ReviewProblem("Enter the date to count the deadlines from.", "count_from")
    changed = []
    for item in items:
        deadline = due_on(item, choices)
        if deadline is not None and deadline < today:
            months = item.deadline_months if item.deadline_months is not None else choices.default_months
            item = replace(item, due_on=add_months(choices.count_from, DEFAULT_MONTHS if months is None else months))
        changed.append(item)
    return changed


# --- Owners and roles --------------------------------------------------------------------------


def _tokens(text: str) -> frozenset[str]:
    return frozenset(normalise_owner_phrase(text).split()) - _SMALL_WORDS


def suggest_role(phrase: str, roles: Iterable[Any]) -> tuple[Any, bool] | None:
    """The existing role an owner phrase means, and whether the match is exact.

    Exact matching (names and aliases, see :func:`match_owner`) comes first. Otherwise a role
    is offered when the phrase's words (two or more) are all in one role's name or alias
    ("Head of Service" in "YOS Head of Service"), or that name's words are all in the phrase
    ("Board Chair" in "Chair of the YOS Management Board"), or the phrase is a near spelling of one.
    Only a single candidate is offered: two would be a guess.
    """
    roles = list(roles)
    exact = match_owner(phrase, [(role, role.names) for role in roles])
    if exact is not None:
        return exact, True
    wanted = _tokens(phrase)
    if not wanted or not has_role_word(phrase):
        return None
    normalised = " ".join(sorted(wanted))
    candidates = []
    for role in roles:
        for name in role.names:
            tokens = _tokens(name)
            close = difflib.SequenceMatcher(None, normalised, " ".join(sorted(tokens))).ratio() >= 0.85
            # Either way round: "Board Chair" for "Chair of the YOS Management Board", and back.
            inside = (len(wanted) > 1 and wanted <= tokens) or (len(tokens) > 1 and tokens <= wanted)
            if tokens and (inside or close):
                candidates.append(role)
                break
    return (candidates[0], False) if len(candidates) == 1 else None


def near_roles(items: Sequence[ImportItem], roles: Sequence[Any]) -> dict[str, str]:
    """Owner phrases that are not a role yet but look like one: phrase -> the role's name."""
    found = {}
    for item in items:
        for phrase in item.owners:
            match = suggest_role(phrase, roles)
            if match is not None and not match[1]:
                found[phrase] = match[0].name
    return found


def use_suggested_roles(items: list[ImportItem], roles: Sequence[Any], only: int | None = None) -> list[ImportItem]:
    """Replace owner phrases that look like an existing role with that role's name."""
    suggestions = near_roles(items if only is None else [items[only]], roles)
    if not suggestions:
        raise ServiceError("No owner names look like one of your existing roles.")
    changed = []
    for position, item in enumerate(items):
        if only is None or position == only:
            owners = tuple(dict.fromkeys(suggestions.get(owner, owner) for owner in item.owners))
            item = item.with_owners(owners)
        changed.append(item)
    return changed
