"""The filtered action list as a whole: exported to CSV and Excel, and changed in bulk.

A bulk status change is one `post_update` per action, so each still needs what a single
change needs (evidence and a note to complete, an allowed next status, an unchanged version).
It is all or nothing: if any action refuses, nothing is saved and each refusal is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tracker.exports import Sheet, csv_bytes, xlsx_bytes
from tracker.extensions import db
from tracker.models import Action, Status, User
from tracker.services import ServiceError
from tracker.services.actions import post_update
from tracker.services.board.pack import owners_text
from tracker.services.queries import SORTS, ActionFilters, actions_for_list, filter_actions
from tracker.services.rag import days_overdue, rag_for

EXPORT_LIMIT = 20_000
BULK_LIMIT = 200
COLUMNS = (
    "Action ID",
    "Recommendation",
    "Report",
    "Text",
    "Plan step",
    "Owners",
    "Original deadline",
    "Deadline",
    "Status",
    "Flag",
    "RAG",
    "RAG reason",
    "Days overdue",
    "Last update",
)


def filtered_actions(
    organisation_ids: list[int], filters: ActionFilters, today: date, limit: int = EXPORT_LIMIT, sort: str = "deadline"
) -> list[Action]:
    """Every action the list shows for `filters`, in the list's order."""
    statement = filter_actions(select(Action.id), filters, today).where(Action.organisation_id.in_(organisation_ids))
    order = SORTS.get(sort, SORTS["deadline"])[1]
    ids = list(db.session.scalars(statement.order_by(*order).limit(limit)))
    return actions_for_list(ids)


def _values(action: Action, today: date) -> list:
    rag = rag_for(action, today)
    name = action.recommendation.full_name
    return [
        action.id,
        name[:1].upper() + name[1:],
        action.recommendation.report.title,
        action.recommendation.text,
        action.title or "",
        owners_text(action),
        action.original_due_on,
        action.due_on,
        action.status.label,
        f"{action.flag.label}: {action.flag_reason}" if action.flag else "",
        rag.colour.capitalize(),
        rag.reason,
        days_overdue(action, today),
        action.last_update_at.date() if action.last_update_at else None,
    ]


def export_csv(actions: list[Action], today: date) -> bytes:
    return csv_bytes(COLUMNS, (_values(action, today) for action in actions))


def export_xlsx(actions: list[Action], today: date) -> bytes:
    return xlsx_bytes(
        [
            Sheet(
                "Actions", COLUMNS, (_values(action, today) for action in actions), {2: 36, 3: 36, 4: 60, 6: 36, 12: 30}
            )
        ]
    )


# --- Bulk status change ------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    changed: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # action id -> why it refused


def bulk_status(
    actions: list[Action], *, author: User, new_status: Status, note: str, links: list[str], versions: dict[int, int]
) -> BulkOutcome:
    """Give every selected action the new status, each through the single-action rules."""
    if not actions:
        raise ServiceError("Select at least one action.")
    if len(actions) > BULK_LIMIT:
        raise ServiceError(f"Select {BULK_LIMIT} actions or fewer at a time.")
    if new_status in Status.FINISHED:
        raise ServiceError("Signing off and withdrawing are board decisions, made one action at a time.")
    outcome = BulkOutcome()
    for action in actions:
        if action.status is new_status:
            outcome.errors[action.id] = f"It is already {new_status.label.lower()}."
            continue
        try:
            post_update(
                action,
                author=author,
                note=note,
                new_status=new_status,
                links=links,
                expected_version=versions.get(action.id, action.version),
            )
        except ServiceError as error:
            outcome.errors[action.id] = str(error)
        else:
            outcome.changed += 1
    return outcome
