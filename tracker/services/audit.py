"""The audit trail: every change records who, when (UTC), what, and the values before and after."""

from __future__ import annotations

from typing import Any

from tracker.extensions import db
from tracker.models import AuditEvent, User

Actor = User | str  # a signed-in user, or a label such as "command line" or "scheduler"


def record(
    event: str,
    subject: Any,
    *,
    actor: Actor,
    organisation_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits with the change it describes)."""
    audit_event = AuditEvent(
        event=event,
        subject_type=type(subject).__name__,
        subject_id=getattr(subject, "id", None),
        actor_id=actor.id if isinstance(actor, User) else None,
        actor_label=actor.email if isinstance(actor, User) else actor,
        organisation_id=organisation_id,
        before=before,
        after=after,
    )
    db.session.add(audit_event)
    return audit_event
