"""One step of the import review: an edit to the items, the checks before saving, or the save.

The view reads the form into items, choices and the report's details, calls `take_step`, and
renders what the returned `ReviewOutcome` says; it decides nothing itself. Nothing is saved
unless the step is a save and every check has passed or been confirmed; a failed save rolls
back, so it leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.clock import long_date
from tracker.extensions import db
from tracker.importing import ParsedReport
from tracker.models import Organisation, Report, User
from tracker.services import ServiceError
from tracker.services.imports.review import (
    ReviewChoices,
    ReviewProblem,
    apply_operation,
    due_on,
    near_roles,
    suggest_role,
)
from tracker.services.imports.saving import DuplicateReport, import_report
from tracker.services.imports.staging import ImportItem, StagedUpload

SAVES = frozenset({"confirm", "confirm-anyway"})


@dataclass
class ReviewOutcome:
    """What the review page shows after a step. `report` is set only when the import was saved."""

    items: list[ImportItem]
    edited: bool = False  # the items changed: the form must show the new list
    status: int = 200
    problems: list[Problem] = field(default_factory=list)  # each shown on its item's field
    past_deadlines: bool = False
    problem: str | None = None  # a problem with the whole page
    field_error: tuple[str, str] | None = None  # (form field, message) for a choice above the items
    report: Report | None = None
    duplicate: Report | None = None  # the same file was imported before (`problem` says so): go there


def take_step(
    organisation: Organisation,
    operation: str,
    items: list[ImportItem],
    choices: ReviewChoices,
    *,
    roles: Sequence[Any],
    today: date,
    checking: bool,
    reviewed: ParsedReport,
    staged: StagedUpload,
    published: date | None,
    actor: User,
    after_save: Callable[[Report], None] = lambda report: None,
) -> ReviewOutcome:
    """Apply `operation` ("refresh", an edit such as "split-2", "confirm" or "confirm-anyway").

    An edit returns the new items; while the checks are on screen (`checking`) they are worked
    out again, so "Save anyway" always stands beside the current ones. A save first checks: a
    blocking problem, or one the manager has not confirmed, returns the problems instead.
    `after_save` records what was chosen beside the save (asked-before decisions) in the same
    transaction. The caller commits when `report` is set.
    """
    outcome = ReviewOutcome(items)
    if operation == "refresh":
        return outcome
    try:
        if operation not in SAVES:
            outcome.items = items = apply_operation(items, operation, choices, roles, today)
            outcome.edited = True
            if not checking:
                return outcome
        if problems := blocking_problems(items):
            outcome.status, outcome.problems = 400, problems
            return outcome
        to_confirm = problems_to_confirm(items, choices, roles, today)
        if operation not in SAVES or (to_confirm and operation != "confirm-anyway"):
            outcome.problems = to_confirm
            outcome.past_deadlines = any(problem.field == "due_on" for problem in to_confirm)
            return outcome
        report = import_report(
            organisation,
            reviewed,
            source=staged.data,
            filename=staged.filename,
            published=published,
            items=items,
            actor=actor,
        )
        after_save(report)
        outcome.report = report
    except DuplicateReport as error:
        message = str(error)  # before the rollback expires the report
        db.session.rollback()
        outcome.duplicate, outcome.problem = error.report, message
    except ReviewProblem as error:
        outcome.status = 400
        if error.field is None:
            outcome.problem = str(error)
        else:
            outcome.field_error = (error.field, str(error))
            outcome.past_deadlines = error.field == "count_from"
    except ServiceError as error:
        db.session.rollback()
        outcome.status, outcome.problem = 400, str(error)
    return outcome


@dataclass(frozen=True)
class Problem:
    """Something to fix or confirm before saving, linked to the field it is about."""

    position: int  # the item's index in the list
    field: str  # the sub-form field: "text", "number", "owners" or "due_on"
    message: str


def blocking_problems(items: Sequence[ImportItem]) -> list[Problem]:
    problems = []
    if not items:
        raise ServiceError("Keep at least one recommendation, or cancel the import.")
    for position, item in enumerate(items):
        if not item.text.strip():
            problems.append(Problem(position, "text", f"Item {position + 1} has no text. Enter it or delete the item."))
    return problems


def problems_to_confirm(
    items: Sequence[ImportItem], choices: ReviewChoices, roles: Sequence[Any], today: date
) -> list[Problem]:
    """What the manager must see before saving: items with no owner, owner names that look like
    an existing role (saving would make a second one), owner names that are none of the roles of
    an organisation that has some (saving anyway is the manager's choice to create them), and
    deadlines that have already passed."""
    problems = []
    near = near_roles(items, roles)
    roles = list(roles)
    told: set[str] = set()
    for position, item in enumerate(items):
        if not item.owners:
            problems.append(
                Problem(
                    position,
                    "owners",
                    f"Item {position + 1} has no owner. Enter one, or save it without an owner and give it one later.",
                )
            )
        for phrase in item.owners:
            if phrase in near:
                problems.append(
                    Problem(
                        position,
                        "owners",
                        f"Item {position + 1}: “{phrase}” looks like your "
                        f"role “{near[phrase]}”. Use that role, or save to "
                        "create a new role.",
                    )
                )
            elif roles and phrase not in told and suggest_role(phrase, roles) is None:
                # With no roles yet (a first import) every owner is new and nothing can be duplicated.
                told.add(phrase)
                problems.append(
                    Problem(
                        position,
                        "owners",
                        f"Item {position + 1}: “{phrase}” is none of your roles. "
                        "Change it to one of your roles, or choose Save anyway "
                        f"to create the new role “{phrase}”.",
                    )
                )
        deadline = due_on(item, choices)
        if deadline is not None and deadline < today:
            problems.append(
                Problem(
                    position, "due_on", f"Item {position + 1}'s deadline, {long_date(deadline)}, has already passed."
                )
            )
    return problems
