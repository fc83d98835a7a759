"""Plan steps under a recommendation, an action's owner roles, handing actions from one role to
another, and a recommendation's progress across its steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tracker.clock import long_date
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionOwner,
    Recommendation,
    Role,
    Status,
    User,
)
from tracker.models.action import next_step_number
from tracker.services import audit
from tracker.services.actions.deadline_changes import recommendation_due_on
from tracker.services.actions.versions import InvalidUpdate, claim

# --- Plan steps and owners ---------------------------------------------------------------


def add_plan_step(
    recommendation: Recommendation, *, title: str, owners: list[Role], lead: Role | None, due_on: date, created_by: User
) -> Action:
    """A further action under a recommendation (a step of the improvement plan)."""
    title = title.strip()
    if not title:
        raise InvalidUpdate("Describe the step.")
    if not owners:
        raise InvalidUpdate("Choose at least one owner for the step.")
    limit = recommendation_due_on(recommendation)
    if due_on > limit:
        raise InvalidUpdate(f"A step's deadline cannot be later than its recommendation's ({long_date(limit)}).")
    organisation_id = recommendation.report.organisation_id
    if any(role.organisation_id != organisation_id for role in owners):
        raise InvalidUpdate("Owners must be roles of this organisation.")
    step = Action(
        organisation_id=organisation_id,
        recommendation=recommendation,
        title=title,
        step_number=next_step_number(recommendation),
        original_due_on=due_on,
        due_on=due_on,
        created_by=created_by,
    )
    lead = lead if lead in owners else owners[0]
    for role in sorted(owners, key=lambda role: role is not lead):
        step.owners.append(ActionOwner(role=role, is_lead=role is lead))
    db.session.add(step)
    db.session.flush()
    audit.record(
        "action.step_added",
        step,
        actor=created_by,
        organisation_id=organisation_id,
        after={
            "recommendation_id": recommendation.id,
            "title": title,
            "due_on": due_on.isoformat(),
            "owners": [role.name for role in owners],
            "lead": lead.name,
        },
    )
    return step


def set_owners(action: Action, *, owners: list[Role], lead: Role | None, by: User, expected_version: int) -> None:
    """Replace an action's owner roles; one of them is the lead."""
    if not owners:
        raise InvalidUpdate("Choose at least one owner.")
    if any(role.organisation_id != action.organisation_id for role in owners):
        raise InvalidUpdate("Owners must be roles of this organisation.")
    lead = lead if lead in owners else owners[0]
    before = {
        "owners": [role.name for role in action.owner_roles],
        "lead": action.lead_role.name if action.lead_role else None,
    }
    claim(action, expected_version)
    action.owners.clear()
    db.session.flush()
    for role in sorted(owners, key=lambda role: role is not lead):
        action.owners.append(ActionOwner(role=role, is_lead=role is lead))
    db.session.flush()
    audit.record(
        "action.owners_changed",
        action,
        actor=by,
        organisation_id=action.organisation_id,
        before=before,
        after={"owners": [role.name for role in owners], "lead": lead.name},
    )


def reassign_actions(actions: list[Action], *, from_role: Role, to_role: Role, by: User) -> int:
    """Move the chosen actions from one owner role to another (e.g. when work is re-divided)."""
    if from_role.id == to_role.id:
        raise InvalidUpdate("Choose a different role to move the actions to.")
    if from_role.organisation_id != to_role.organisation_id:
        raise InvalidUpdate("Both roles must belong to the same organisation.")
    moved = 0
    for action in actions:
        owner = next((owner for owner in action.owners if owner.role_id == from_role.id), None)
        if owner is None or action.organisation_id != from_role.organisation_id:
            continue
        already = next((other for other in action.owners if other.role_id == to_role.id), None)
        was_lead = owner.is_lead
        action.owners.remove(owner)
        db.session.flush()
        if already is None:
            action.owners.append(ActionOwner(role=to_role, is_lead=was_lead))
        elif was_lead:
            already.is_lead = True
        claim(action, action.version)
        moved += 1
        audit.record(
            "action.reassigned",
            action,
            actor=by,
            organisation_id=action.organisation_id,
            before={"owner": from_role.name},
            after={"owner": to_role.name},
        )
    return moved


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def recommendation_progress(recommendation: Recommendation) -> Progress:
    """How far a recommendation has got: its actions done (completed or verified) out of all
    that still count (withdrawn steps do not)."""
    counted = [action for action in recommendation.actions if action.status is not Status.WITHDRAWN]
    done = sum(action.status in Status.DONE for action in counted)
    return Progress(done, len(counted))


def actions_by_ids(organisation_id: int, action_ids: list[int]) -> list[Action]:
    if not action_ids:
        return []
    return list(
        db.session.scalars(select(Action).where(Action.organisation_id == organisation_id, Action.id.in_(action_ids)))
    )
