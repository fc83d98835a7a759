"""The version claim: every change to an action is a single conditional UPDATE that bumps the
action's version only if it still has the version the person saw. Two people acting at once can
never both succeed against the same version: the second is refused and told what changed, never
merged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update as sql_update

from tracker.extensions import db
from tracker.models import (
    Action,
)
from tracker.services import ServiceError
from tracker.services.dml import rowcount


class InvalidUpdate(ServiceError):
    """A change the workflow does not allow; the message says why."""


class StaleVersion(ServiceError):
    """The action changed after the form was loaded; the newer change is described."""


# --- The version claim -------------------------------------------------------------------


def claim(action: Action, expected_version: int, **values: Any) -> None:
    """Apply `values` and bump the version, only if nobody changed the action since."""
    claimed = db.session.execute(
        sql_update(Action)
        .where(Action.id == action.id, Action.version == expected_version)
        .values(version=Action.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(action)
    if rowcount(claimed) != 1:
        raise StaleVersion(describe_newer_change(action))


def describe_newer_change(action: Action) -> str:
    latest = action.updates[0] if action.updates else None
    message = "This action was changed by someone else after you opened it, so your change was not saved."
    if latest is not None:
        message += (
            f" Latest: {latest.author_name} set it to {latest.status_after.label.lower()}"
            + (f" with the note \u201c{latest.note[:200]}\u201d" if latest.note else "")
            + "."
        )
    return message + " Check the history, then try again."


def snapshot(action: Action) -> dict[str, Any]:
    return {
        "status": action.status.value,
        "flag": action.flag.value if action.flag else None,
        "flag_reason": action.flag_reason,
        "due_on": action.due_on.isoformat(),
        "version": action.version,
    }
