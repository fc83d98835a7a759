"""The action workflow: progress updates, flags, evidence, sign-off, withdrawal, deadline changes,
plan steps and owners. (RAG and overdue are derived in services/rag.py, never stored.)

Every change to an action goes through `versions.claim`, so two people acting at once can never
both succeed against the same version. The names below are the workflow's public face: pages,
the API, commands and other services call them from here.
"""

from tracker.services.actions.deadline_changes import (
    decide_deadline_change,
    recommendation_due_on,
    request_deadline_change,
)
from tracker.services.actions.steps import (
    Progress,
    actions_by_ids,
    add_plan_step,
    reassign_actions,
    recommendation_progress,
    set_owners,
)
from tracker.services.actions.updates import (
    KEEP,
    MAX_LINKS,
    NEXT_STATUSES,
    edit_update,
    post_update,
    record_decision,
    verify_action,
    withdraw_action,
)
from tracker.services.actions.versions import InvalidUpdate, StaleVersion, claim, describe_newer_change, snapshot

__all__ = [
    "KEEP",
    "MAX_LINKS",
    "NEXT_STATUSES",
    "InvalidUpdate",
    "Progress",
    "StaleVersion",
    "actions_by_ids",
    "add_plan_step",
    "claim",
    "decide_deadline_change",
    "describe_newer_change",
    "edit_update",
    "post_update",
    "reassign_actions",
    "recommendation_due_on",
    "recommendation_progress",
    "record_decision",
    "request_deadline_change",
    "set_owners",
    "snapshot",
    "verify_action",
    "withdraw_action",
]
