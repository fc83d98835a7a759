"""Merging one role into another: two names for one position ("Board Chair" beside "Chair of
the YOS Management Board", often left by an import) become one role, and everything follows.

The merged role's actions, its name and aliases (as aliases, so reports and plans that write
it that way still find it), and its holder, deputy and board-chair mark where the target has
none, all move to the target; the merged role is then deleted. Reminders, the calendar feed
and every page follow at once, because they read the owners' roles. The caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, ActionOwner, Role, RoleAlias, utc_now
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor


@dataclass(frozen=True)
class MergePlan:
    """What merging `source` into `target` will do, for the confirmation page and the record."""

    source: Role
    target: Role
    actions: int  # actions the source owns
    shared: int  # of those, actions the target owns already
    new_aliases: list[str]
    holder_moves: bool
    deputy_moves: bool
    board_chair_moves: bool


def _check(source: Role, target: Role) -> None:
    if source.organisation_id != target.organisation_id:
        raise ServiceError("A role can only be merged into a role of the same organisation.")
    if source.id == target.id:
        raise ServiceError("Choose a different role: a role cannot be merged into itself.")


def merge_plan(source: Role, target: Role) -> MergePlan:
    """What `merge_roles` would do; raises ServiceError when the merge is not allowed."""
    _check(source, target)
    owned = db.session.scalars(select(ActionOwner).filter_by(role_id=source.id)).all()
    target_actions = set(db.session.scalars(select(ActionOwner.action_id).filter_by(role_id=target.id)))
    known = {name.casefold() for name in target.names}
    aliases = [name for name in dict.fromkeys(source.names) if name.casefold() not in known]
    return MergePlan(
        source=source,
        target=target,
        actions=len(owned),
        shared=sum(1 for owner in owned if owner.action_id in target_actions),
        new_aliases=aliases,
        holder_moves=target.holder is None and source.holder is not None,
        deputy_moves=target.deputy is None
        and source.deputy is not None
        and (target.holder or source.holder) != source.deputy,
        board_chair_moves=source.is_board_chair and not target.is_board_chair,
    )


def merge_roles(source: Role, target: Role, *, actor: Actor) -> MergePlan:
    """Merge `source` into `target` (see the module's docstring) and delete `source`."""
    plan = merge_plan(source, target)
    before = {
        "role": source.name,
        "holder": source.holder.email if source.holder else None,
        "deputy": source.deputy.email if source.deputy else None,
        "aliases": [alias.name for alias in source.aliases],
        "actions": plan.actions,
    }
    for owner in db.session.scalars(select(ActionOwner).filter_by(role_id=source.id)).all():
        action: Action = owner.action
        existing = next((other for other in action.owners if other.role_id == target.id), None)
        was_lead = owner.is_lead
        action.owners.remove(owner)
        db.session.flush()
        if existing is None:
            action.owners.append(ActionOwner(role=target, is_lead=was_lead))
        elif was_lead:
            existing.is_lead = True
        action.version += 1
    for name in plan.new_aliases:
        target.aliases.append(RoleAlias(name=name[:200]))
    now = utc_now()
    for tenure in list(source.tenures):
        if tenure.ended_at is None and not plan.holder_moves:
            tenure.ended_at = now  # the holder of the merged role no longer holds anything by it
        source.tenures.remove(tenure)
        target.tenures.append(tenure)
    if plan.holder_moves:
        target.holder = source.holder
    if plan.deputy_moves:
        target.deputy = source.deputy
    if plan.board_chair_moves:
        source.is_board_chair = False
        db.session.flush()  # at most one board chair per organisation, at every moment
        target.is_board_chair = True
    db.session.delete(source)
    db.session.flush()
    audit.record(
        "role.merged",
        target,
        actor=actor,
        organisation_id=target.organisation_id,
        before=before,
        after={
            "into": target.name,
            "actions_moved": plan.actions,
            "new_aliases": plan.new_aliases,
            "holder": target.holder.email if target.holder else None,
            "deputy": target.deputy.email if target.deputy else None,
            "board_chair": target.is_board_chair,
        },
    )
    return plan
