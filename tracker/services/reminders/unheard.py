"""Actions nobody will hear about: open actions whose owner roles nobody holds.

Reminders follow the person holding a role (or, when nobody holds it, the deputy). An open
action none of whose owner roles has a holder or a deputy with an email address will never
remind anyone: it is flagged wherever it appears (the action tables, the action list's
filter, the dashboard, the board pack's exceptions, the oversight comparison), and the
organisation's admins and managers are told once per set of such actions (services/handoffs.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from tracker.extensions import db
from tracker.models import Action, ActionOwner, Contact, Organisation, Recommendation, Role, Status

FILTER_LABEL = "Nobody will be reminded"


def reachable(contact: Contact | None) -> bool:
    return contact is not None and bool((contact.email or "").strip())


def is_unheard(action: Action) -> bool:
    """True for an open action that no holder or deputy of its owner roles will hear about."""
    if action.status not in Status.OPEN:
        return False
    return not any(reachable(role.holder) or reachable(role.deputy) for role in action.owner_roles)


def unheard_condition():
    """The SQL form of `is_unheard`, for filters and counts."""
    holder, deputy = aliased(Contact), aliased(Contact)
    # The roles someone hears from are few (one organisation has a handful); asking for them first
    # keeps the check to one probe of action_owners per action instead of joining every owner row.
    heard_roles = (
        select(Role.id)
        .outerjoin(holder, holder.id == Role.holder_id)
        .outerjoin(deputy, deputy.id == Role.deputy_id)
        .where(or_(func.trim(func.coalesce(holder.email, "")) != "", func.trim(func.coalesce(deputy.email, "")) != ""))
    )
    someone = select(ActionOwner.action_id).where(
        ActionOwner.action_id == Action.id, ActionOwner.role_id.in_(heard_roles)
    )
    return and_(Action.status.in_(Status.OPEN), ~exists(someone))


def unheard_actions(organisation_ids: list[int] | None = None) -> list[Action]:
    """Open actions nobody will hear about, in these organisations (None: every organisation)."""
    statement = select(Action).where(unheard_condition())
    if organisation_ids is not None:
        statement = statement.where(Action.organisation_id.in_(organisation_ids))
    return list(
        db.session.scalars(
            statement.options(
                selectinload(Action.owners)
                .selectinload(ActionOwner.role)
                .options(selectinload(Role.holder), selectinload(Role.deputy)),
                selectinload(Action.recommendation).selectinload(Recommendation.report),
                selectinload(Action.organisation),
            ).order_by(Action.organisation_id, Action.due_on, Action.id)
        )
    )


def unheard_count(organisation_ids: list[int] | None) -> int:
    statement = select(func.count()).select_from(Action).where(unheard_condition())
    if organisation_ids is not None:
        statement = statement.where(Action.organisation_id.in_(organisation_ids))
    return db.session.scalar(statement) or 0


def unheard_counts_by_organisation(organisation_ids: list[int] | None) -> dict[int, int]:
    """Open actions nobody will hear about, counted per organisation (None: every organisation)."""
    statement = select(Action.organisation_id, func.count()).where(unheard_condition()).group_by(Action.organisation_id)
    if organisation_ids is not None:
        statement = statement.where(Action.organisation_id.in_(organisation_ids))
    return {organisation_id: count for organisation_id, count in db.session.execute(statement)}


@dataclass(frozen=True)
class UnheardSet:
    """One organisation's actions nobody will hear about, and the roles to give holders."""

    organisation: Organisation
    actions: list[Action]

    @property
    def roles(self) -> list[str]:
        return sorted({role.name for action in self.actions for role in action.owner_roles})

    @property
    def fingerprint(self) -> str:
        """Names this set of actions: a new set (one more action, say) is told again, the same set never."""
        ids = ",".join(str(action.id) for action in sorted(self.actions, key=lambda action: action.id))
        return hashlib.sha256(ids.encode()).hexdigest()[:16]

    def describe(self) -> str:
        count = len(self.actions)
        roles = self.roles
        held_by = "; ".join(roles) if roles else "no owner role"
        return (
            f"{self.organisation.name}: {count} open action{'s' if count != 1 else ''} will remind nobody "
            f"(owner roles held by nobody: {held_by})"
        )


def unheard_sets(organisation_ids: list[int] | None = None) -> list[UnheardSet]:
    by_organisation: dict[int, list[Action]] = {}
    for action in unheard_actions(organisation_ids):
        by_organisation.setdefault(action.organisation_id, []).append(action)
    return [UnheardSet(actions[0].organisation, actions) for actions in by_organisation.values()]
