"""Subject access: everything the tracker holds about one person, as one JSON-ready value.

From the command line (`flask tracker person-data EMAIL`) it covers every organisation. From
an organisation's People page it covers only that organisation: its memberships, roles,
updates, decisions, emails and audit events, and the account's name and email, but not the
sign-in records (which belong to no organisation) nor anything from another organisation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, cast, func, or_, select, true

from tracker import clock
from tracker.extensions import db
from tracker.models import (
    Action,
    ApiToken,
    AuditEvent,
    Contact,
    DeadlineChange,
    Evidence,
    Membership,
    Notification,
    Organisation,
    Role,
    RoleTenure,
    Update,
    User,
)
from tracker.models.board import CalendarFeed
from tracker.services import audit_sentences

SECRET_KINDS = ("invitation", "password_reset", "partner_link")  # their text carries a sign-in link


def _value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(**values: Any) -> dict[str, Any]:
    return {key: _value(value) for key, value in values.items()}


def person_data(user: User, organisation: Organisation | None = None) -> dict[str, Any]:
    """Everything held about `user` (within `organisation` when given), ready for `json.dumps`."""
    email = user.email.strip().lower()
    in_scope = (lambda column: column == organisation.id) if organisation else (lambda column: true())
    contact_ids = list(
        db.session.scalars(
            select(Contact.id).where(
                (Contact.user_id == user.id) | (func.lower(Contact.email) == email), in_scope(Contact.organisation_id)
            )
        )
    )
    data: dict[str, Any] = {
        "produced_at": _value(datetime.now(clock.local_zone())),
        "scope": f"organisation {organisation.slug}" if organisation else "every organisation",
        "account": _account(user, full=organisation is None),
        "memberships": [
            _row(organisation=m.organisation.slug, access=m.access_level.value, since=m.created_at)
            for m in user.memberships
            if organisation is None or m.organisation_id == organisation.id
        ],
        "roles_held": _roles(contact_ids),
        "updates_written": _updates(user, contact_ids, in_scope),
        "decisions": _decisions(user, in_scope),
        "evidence_uploaded": _evidence(user, contact_ids, in_scope),
        "emails_sent_to_them": _emails(email, in_scope),
        "audit_events_about_them": _audit_events(user, email, in_scope),
    }
    return data


def _account(user: User, *, full: bool) -> dict[str, Any]:
    account = _row(id=user.id, name=user.name, email=user.email, created_at=user.created_at)
    if not full:
        return account
    account.update(
        _row(
            active=user.active,
            last_signed_in_at=user.last_signed_in_at,
            has_password=user.password_hash is not None,
            single_sign_on_linked=user.sso_subject is not None,
            api_tokens=[
                _row(
                    name=token.name,
                    created_at=token.created_at,
                    last_used_at=token.last_used_at,
                    expires_at=token.expires_at,
                    revoked_at=token.revoked_at,
                )
                for token in db.session.scalars(select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.id))
            ],
            calendar_feeds=[
                _row(created_at=feed.created_at, revoked_at=feed.revoked_at)
                for feed in db.session.scalars(select(CalendarFeed).filter_by(user_id=user.id))
            ],
        )
    )
    return account


def _roles(contact_ids: list[int]) -> list[dict[str, Any]]:
    """Held roles with their dates (role_tenures, recorded at every change of holder), roles
    held without a recorded start, then roles they deputise for (deputies have no dates)."""
    held = [
        _row(
            role=tenure.role.name,
            organisation=tenure.role.organisation.slug,
            as_="holder",
            started_at=tenure.started_at,
            ended_at=tenure.ended_at,
        )
        for tenure in db.session.scalars(
            select(RoleTenure).where(RoleTenure.contact_id.in_(contact_ids)).order_by(RoleTenure.started_at)
        )
    ]
    recorded = set(db.session.scalars(select(RoleTenure.role_id).where(RoleTenure.contact_id.in_(contact_ids))))
    # A holder set before tenures were recorded (or by a direct edit) is listed without dates.
    undated = [
        _row(role=role.name, organisation=role.organisation.slug, as_="holder", started_at=None, ended_at=None)
        for role in db.session.scalars(select(Role).where(Role.holder_id.in_(contact_ids)))
        if role.id not in recorded
    ]
    deputy = [
        _row(role=role.name, organisation=role.organisation.slug, as_="deputy", started_at=None, ended_at=None)
        for role in db.session.scalars(select(Role).where(Role.deputy_id.in_(contact_ids)))
    ]
    return [{("as" if key == "as_" else key): value for key, value in row.items()} for row in held + undated + deputy]


def _updates(user: User, contact_ids: list[int], in_scope) -> list[dict[str, Any]]:
    updates = db.session.scalars(
        select(Update)
        .join(Action, Action.id == Update.action_id)
        .where(
            or_(Update.author_id == user.id, Update.author_contact_id.in_(contact_ids)),
            in_scope(Action.organisation_id),
        )
        .order_by(Update.created_at, Update.id)
    )
    return [
        _row(
            id=item.id,
            action_id=item.action_id,
            organisation=item.action.organisation.slug,
            created_at=item.created_at,
            note=item.note,
            links=item.links,
            status_before=item.status_before.value,
            status_after=item.status_after.value,
            edited_at=item.edited_at,
            redacted_at=item.redacted_at,
        )
        for item in updates
    ]


def _decisions(user: User, in_scope) -> list[dict[str, Any]]:
    changes = db.session.scalars(
        select(DeadlineChange)
        .join(Action, Action.id == DeadlineChange.action_id)
        .where(
            or_(DeadlineChange.requested_by_id == user.id, DeadlineChange.decided_by_id == user.id),
            in_scope(Action.organisation_id),
        )
        .order_by(DeadlineChange.id)
    )
    rows = [
        _row(
            kind="deadline change",
            action_id=change.action_id,
            role="requested" if change.requested_by_id == user.id else "decided",
            requested_at=change.requested_at,
            requested_due_on=change.requested_due_on,
            reason=change.reason,
            status=change.status.value,
            decided_at=change.decided_at,
            decision_note=change.decision_note,
        )
        for change in changes
    ]
    rows += [
        _row(kind="sign-off", action_id=action.id, verified_at=action.verified_at)
        for action in db.session.scalars(
            select(Action).where(Action.verified_by_id == user.id, in_scope(Action.organisation_id))
        )
    ]
    return rows


def _evidence(user: User, contact_ids: list[int], in_scope) -> list[dict[str, Any]]:
    files = db.session.scalars(
        select(Evidence)
        .join(Update, Update.id == Evidence.update_id)
        .join(Action, Action.id == Evidence.action_id)
        .where(
            or_(Update.author_id == user.id, Update.author_contact_id.in_(contact_ids)),
            in_scope(Action.organisation_id),
        )
        .order_by(Evidence.id)
    )
    return [
        _row(
            id=item.id,
            action_id=item.action_id,
            filename=item.filename,
            media_type=item.media_type,
            size_bytes=item.size_bytes,
            uploaded_at=item.uploaded_at,
            removed_at=item.removed_at,
        )
        for item in files
    ]


def _emails(email: str, in_scope) -> list[dict[str, Any]]:
    emails = db.session.scalars(
        select(Notification)
        .where(func.lower(Notification.recipient) == email, in_scope(Notification.organisation_id))
        .order_by(Notification.created_at, Notification.id)
    )
    return [
        _row(
            subject=item.subject,
            kind=item.kind,
            status=item.status.value,
            queued_at=item.created_at,
            sent_at=item.sent_at,
            body=("(not included: it carried a sign-in link)" if item.kind in SECRET_KINDS else item.body_text),
        )
        for item in emails
    ]


def _audit_events(user: User, email: str, in_scope) -> list[dict[str, Any]]:
    """Events they did, events about their account, and events whose values name them."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                func.lower(AuditEvent.actor_label) == email,
                (AuditEvent.subject_type == "User") & (AuditEvent.subject_id == user.id),
                func.lower(cast(AuditEvent.before, Text)).contains(email, autoescape=True),
                func.lower(cast(AuditEvent.after, Text)).contains(email, autoescape=True),
            ),
            in_scope(AuditEvent.organisation_id),
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    zone = clock.local_zone()
    return [
        {"sentence": audit_sentences.sentence(event, zone), **audit_sentences.raw_record(event)} for event in events
    ]


def membership_exists(user: User, organisation: Organisation) -> bool:
    return (
        db.session.scalar(select(Membership.id).filter_by(user_id=user.id, organisation_id=organisation.id)) is not None
    )
