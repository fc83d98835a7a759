"""Who may see and do what: the one place that decides.

Every view is wrapped by exactly one of the decorators below, which records the rule on the
view function (`view.permission`) so a test can walk `app.url_map` and fail on any route that
declares none. Object routes load the object here and check the user's membership of *its*
organisation, so changing an id in the URL never reaches another organisation's data: an
organisation the user cannot see answers 404 (its existence is not revealed), and an action
they can see but not change answers 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select

from .extensions import db
from .models import (
    AccessLevel,
    Action,
    Contact,
    DeadlineChange,
    Evidence,
    Membership,
    Organisation,
    OversightGrant,
    Recommendation,
    Report,
    Role,
    Update,
    oversight_grant_organisations,
)
from .services.people.accounts import user_for_api_token
from .services.people.partner_links import PartnerLinkInvalid, resolve
from .services.reminders.calendar import user_for_token

View = TypeVar("View", bound=Callable[..., Any])


class Capability(enum.StrEnum):
    VIEW = "view"  # read reports, actions, history and evidence
    POST_UPDATE = "post update"  # record progress on an action
    REQUEST_DEADLINE_CHANGE = "request deadline change"
    DECIDE = "decide"  # approve deadline changes, verify actions
    WITHDRAW = "withdraw"  # record a board decision to withdraw an action
    MANAGE_ACTIONS = "manage actions"  # plan steps, owners, reassignment, partner links
    MANAGE_ROLES = "manage roles"  # role holders and deputies
    IMPORT_REPORT = "import report"  # turn a report into actions
    VIEW_AUDIT = "view audit log"
    DOWNLOAD_AUDIT_RECORD = "download the raw audit record"  # every stored value, for administrators
    VIEW_BOARD = "view board"  # board dashboard, meetings, board and evidence packs
    RECORD_MEETING = "record meeting"  # record a board meeting and its decisions
    MANAGE_NOTIFICATIONS = "manage notifications"  # reminder policy, the outbox, resending emails
    REDACT = "redact"  # remove an update's text or an evidence file, with a reason
    MANAGE_PERSONAL_DATA = "manage personal data"  # a person's data: download it, forget them; the privacy notice
    MANAGE_PEOPLE = "manage people"  # invite, change access, remove
    RETAG_THEMES = "re-tag themes"  # correct a recommendation's themes by hand


EVERY_LEVEL = frozenset(AccessLevel)
STAFF = frozenset({AccessLevel.ADMIN, AccessLevel.MANAGER})
BOARD = frozenset({AccessLevel.ADMIN, AccessLevel.BOARD})

# Which access levels hold each capability inside an organisation. Owners may act only on
# actions whose owner role they hold or deputise for (see OWNER_NEEDS_ROLE and `can`).
LEVELS_FOR: dict[Capability, frozenset[AccessLevel]] = {
    Capability.VIEW: EVERY_LEVEL,
    Capability.POST_UPDATE: STAFF | {AccessLevel.OWNER},
    Capability.REQUEST_DEADLINE_CHANGE: STAFF | {AccessLevel.OWNER},
    Capability.DECIDE: BOARD,
    Capability.WITHDRAW: STAFF | BOARD,
    Capability.MANAGE_ACTIONS: STAFF,
    Capability.MANAGE_ROLES: STAFF,
    Capability.IMPORT_REPORT: STAFF,
    Capability.VIEW_AUDIT: STAFF,
    Capability.DOWNLOAD_AUDIT_RECORD: frozenset({AccessLevel.ADMIN}),
    Capability.VIEW_BOARD: STAFF | {AccessLevel.BOARD, AccessLevel.OVERSIGHT},
    Capability.RECORD_MEETING: STAFF | {AccessLevel.BOARD},
    Capability.MANAGE_NOTIFICATIONS: STAFF,
    Capability.MANAGE_PEOPLE: frozenset({AccessLevel.ADMIN}),
    Capability.REDACT: STAFF,
    Capability.MANAGE_PERSONAL_DATA: frozenset({AccessLevel.ADMIN}),
    # Oversight only where a grant reads the organisation (access_level says OVERSIGHT there alone).
    Capability.RETAG_THEMES: STAFF | {AccessLevel.OVERSIGHT},
}
OWNER_NEEDS_ROLE = frozenset({Capability.POST_UPDATE, Capability.REQUEST_DEADLINE_CHANGE})


def _memberships() -> dict[int, AccessLevel]:
    """The signed-in user's access level per organisation id, loaded once per request."""
    if "memberships" not in g:
        rows = db.session.execute(
            select(Membership.organisation_id, Membership.access_level).where(Membership.user_id == current_user.id)
        )
        g.memberships = {organisation_id: level for organisation_id, level in rows}
    return g.memberships


def _oversight_scope() -> frozenset[int] | None:
    """What the signed-in user's active oversight grants read, loaded once per request: None
    when a grant covers every organisation, else the organisation ids they list (empty: no
    grant). Grants come from a system administrator only (services/people/oversight_grants.py)."""
    if "oversight_scope" not in g:
        listed = oversight_grant_organisations.c
        rows = db.session.execute(
            select(OversightGrant.all_organisations, listed.organisation_id)
            .outerjoin(oversight_grant_organisations, listed.grant_id == OversightGrant.id)
            .where(OversightGrant.user_id == current_user.id, OversightGrant.withdrawn_at.is_(None))
        ).all()
        every = any(all_organisations for all_organisations, _ in rows)
        g.oversight_scope = (
            None if every else frozenset(organisation_id for _, organisation_id in rows if organisation_id is not None)
        )
    return g.oversight_scope


def has_oversight() -> bool:
    """Whether the user holds an active oversight grant (of any scope)."""
    scope = _oversight_scope()
    return scope is None or bool(scope)


def oversees(organisation_id: int) -> bool:
    """Whether an oversight grant of the user's reads this organisation."""
    scope = _oversight_scope()
    return scope is None or organisation_id in scope


def access_level(organisation_id: int) -> AccessLevel | None:
    """The user's level in an organisation: their membership's, else oversight (read only) when
    a grant of theirs reads it, else None (they may not see it at all)."""
    level = _memberships().get(organisation_id)
    if level is None and oversees(organisation_id):
        return AccessLevel.OVERSIGHT
    return level


def access_fingerprint() -> tuple:
    """Everything about the signed-in user that decides what a page shows them: who they are,
    their access level in each organisation, what their oversight grants read and whether they
    are a system administrator (the page cache keys on it)."""
    scope = _oversight_scope()
    return (
        current_user.id,
        tuple(sorted((organisation_id, level.value) for organisation_id, level in _memberships().items())),
        "every organisation" if scope is None else tuple(sorted(scope)),
        bool(current_user.is_system_admin),
    )


def visible_organisation_ids() -> list[int] | None:
    """The one answer to "which organisations may this user read?": their memberships and the
    organisations their oversight grants list; None means every organisation (a grant that
    covers all). Every list, count, export, API answer and comparison is scoped by this."""
    scope = _oversight_scope()
    if scope is None:
        return None
    return sorted(set(_memberships()) | scope)


def holds_owner_role(action: Action) -> bool:
    user_id = current_user.id
    for role in action.owner_roles:
        for contact in (role.holder, role.deputy):
            if contact is not None and contact.user_id == user_id:
                return True
    return False


def can(capability: Capability, organisation_id: int, action: Action | None = None) -> bool:
    level = access_level(organisation_id)
    if level is None or level not in LEVELS_FOR[capability]:
        return False
    if capability in OWNER_NEEDS_ROLE and level is AccessLevel.OWNER:
        return action is not None and holds_owner_role(action)
    return True


def require(capability: Capability, organisation_id: int, action: Action | None = None) -> None:
    if access_level(organisation_id) is None:
        abort(404)
    if not can(capability, organisation_id, action):
        abort(403)


def _declare(view: Callable[..., Any], rule: str) -> None:
    view.permission = rule  # type: ignore[attr-defined]


def public(view: View) -> View:
    """Anyone, signed in or not (sign-in page, health check, static pages)."""
    _declare(view, "public")
    return view


def signed_in(view: View) -> View:
    """Any signed-in user; the view itself shows only what they may see."""
    wrapped = login_required(view)
    _declare(wrapped, "signed in")
    return wrapped  # type: ignore[return-value]


def system_admin_only(view: View) -> View:
    """System administrators only (oversight grants, single sign-on domains). Anyone else
    signed in is refused with 403: the page does not belong to any organisation, so there is
    nothing whose existence to hide."""

    @wraps(view)
    @login_required
    def wrapped(**kwargs: Any) -> Any:
        if not current_user.is_system_admin:
            abort(403)
        return view(**kwargs)

    _declare(wrapped, "system administrators")
    return wrapped  # type: ignore[return-value]


def for_organisation(capability: Capability) -> Callable[[View], View]:
    """For routes with `<slug>`: the view receives `organisation=` instead of `slug=`."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(slug: str, **kwargs: Any) -> Any:
            organisation = db.session.scalar(select(Organisation).filter_by(slug=slug))
            if organisation is None:
                abort(404)
            require(capability, organisation.id)
            return view(organisation=organisation, **kwargs)

        _declare(wrapped, f"organisation: {capability}")
        return wrapped  # type: ignore[return-value]

    return decorator


def _for_object(
    name: str, load: Callable[[int], Any], scope: Callable[[Any], tuple[int, Action | None]], capability: Capability
) -> Callable[[View], View]:
    """For routes with `<int:NAME_id>`: load the object, check the capability against the
    organisation it belongs to, and pass it to the view as `NAME=`."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(**kwargs: Any) -> Any:
            target = load(kwargs.pop(f"{name}_id"))
            if target is None:
                abort(404)
            organisation_id, action = scope(target)
            require(capability, organisation_id, action)
            return view(**{name: target}, **kwargs)

        _declare(wrapped, f"{name}: {capability}")
        return wrapped  # type: ignore[return-value]

    return decorator


def for_report(capability: Capability) -> Callable[[View], View]:
    return _for_object(
        "report", lambda id_: db.session.get(Report, id_), lambda report: (report.organisation_id, None), capability
    )


def for_action(capability: Capability) -> Callable[[View], View]:
    return _for_object(
        "action", lambda id_: db.session.get(Action, id_), lambda action: (action.organisation_id, action), capability
    )


def for_recommendation(capability: Capability) -> Callable[[View], View]:
    return _for_object(
        "recommendation",
        lambda id_: db.session.get(Recommendation, id_),
        lambda recommendation: (recommendation.report.organisation_id, None),
        capability,
    )


def for_update(capability: Capability) -> Callable[[View], View]:
    return _for_object(
        "update",
        lambda id_: db.session.get(Update, id_),
        lambda update: (update.action.organisation_id, update.action),
        capability,
    )


def for_evidence(capability: Capability) -> Callable[[View], View]:
    return _for_object(
        "evidence",
        lambda id_: db.session.get(Evidence, id_),
        lambda evidence: (evidence.update.action.organisation_id, evidence.update.action),
        capability,
    )


def for_deadline_change(capability: Capability) -> Callable[[View], View]:
    return _for_object(
        "change",
        lambda id_: db.session.get(DeadlineChange, id_),
        lambda change: (change.action.organisation_id, change.action),
        capability,
    )


def for_partner_link(view: View) -> View:
    """For routes with `<int:action_id>/<token>`: a partner's signed link instead of a sign-in.

    The view receives `link=` (a PartnerLink that may be used now) or `refusal=` (why not).
    """

    @wraps(view)
    def wrapped(action_id: int, token: str, **kwargs: Any) -> Any:
        try:
            return view(link=resolve(action_id, token), refusal=None, **kwargs)
        except PartnerLinkInvalid as error:
            return view(link=None, refusal=str(error), **kwargs)

    _declare(wrapped, "partner link for one action")
    return wrapped  # type: ignore[return-value]


def for_calendar_token(view: View) -> View:
    """For the calendar feed address: the token in the URL instead of a sign-in (calendar apps
    cannot sign in). The view receives `user=`. An unknown or revoked token answers 404."""

    @wraps(view)
    def wrapped(token: str, **kwargs: Any) -> Any:
        user = user_for_token(token)
        if user is None:
            abort(404)
        return view(user=user, **kwargs)

    _declare(wrapped, "calendar feed token")
    return wrapped  # type: ignore[return-value]


def api_token_required(view: View) -> View:
    """For /api/v1: a bearer token, never the browser's session cookie (so no CSRF exposure).

    The token's user becomes `current_user` for this request only; nothing is stored in the
    session.
    """

    @wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
        user = user_for_api_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if user is None:
            response = jsonify(error="unauthorised", message="Send a valid API token: Authorization: Bearer <token>")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
            return response
        g._login_user = user  # what Flask-Login's current_user reads; the session is untouched
        g.pop("memberships", None)
        g.pop("oversight_scope", None)
        return view(**kwargs)

    _declare(wrapped, "API token")
    return wrapped  # type: ignore[return-value]


def roles_held_by_current_user() -> list[int]:
    """Ids of roles the signed-in user holds or deputises for."""
    return list(
        db.session.scalars(
            select(Role.id)
            .join(Contact, (Contact.id == Role.holder_id) | (Contact.id == Role.deputy_id))
            .where(Contact.user_id == current_user.id)
        )
    )
