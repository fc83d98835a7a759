"""Links that let partners without accounts (police, health, education members of a board)
post an update on one action from their reminder email, without signing in.

A link is signed and names one PartnerLink row. It works only while the row is neither
revoked nor expired, the action is still open, and the contact still holds (or deputises
for) one of the action's owner roles, so a change of holder ends it at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, Contact, PartnerLink, User, utc_now
from tracker.services import ServiceError, audit


class PartnerLinkInvalid(ServiceError):
    pass


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="partner-link")


def holds_action(contact: Contact, action: Action) -> bool:
    return any(contact.id in (role.holder_id, role.deputy_id) for role in action.owner_roles)


def create_link(
    action: Action, contact: Contact, *, now: datetime | None = None, actor: User | str = "reminders"
) -> PartnerLink:
    now = now or utc_now()
    link = PartnerLink(
        action=action,
        contact=contact,
        nonce=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["PARTNER_LINK_DAYS"]),
    )
    db.session.add(link)
    db.session.flush()
    audit.record(
        "partner_link.created",
        link,
        actor=actor,
        organisation_id=action.organisation_id,
        after={"action_id": action.id, "contact": contact.email, "expires_at": link.expires_at.isoformat()},
    )
    return link


def url_for_link(link: PartnerLink) -> str:
    token = _serializer().dumps(link.nonce)
    return f"{current_app.config['BASE_URL']}/partner/actions/{link.action_id}/{token}"


def partner_link_for(action: Action, contact: Contact) -> str | None:
    """The link to put in a reminder to `contact`, or None if they have an account (they sign in).

    A link that is still valid for at least a week is reused rather than minting one per email.
    """
    if contact.user_id is not None or not holds_action(contact, action):
        return None
    now = utc_now()
    link = db.session.scalar(
        select(PartnerLink)
        .where(
            PartnerLink.action_id == action.id,
            PartnerLink.contact_id == contact.id,
            PartnerLink.revoked_at.is_(None),
            PartnerLink.expires_at > now + timedelta(days=7),
        )
        .order_by(PartnerLink.expires_at.desc())
        .limit(1)
    ) or create_link(action, contact, now=now)
    return url_for_link(link)


def resolve(action_id: int, token: str) -> PartnerLink:
    """The link behind `token`, if it may still be used for action `action_id`."""
    expired_message = "This link has expired or been withdrawn. Ask the YOS manager to send you a new one."
    try:
        nonce = _serializer().loads(token)
    except BadSignature:
        raise PartnerLinkInvalid("This link is not valid. Check you copied the whole link from the email.") from None
    link = db.session.scalar(select(PartnerLink).filter_by(nonce=str(nonce)))
    if link is None:
        raise PartnerLinkInvalid("This link is not valid. Check you copied the whole link from the email.")
    if link.action_id != action_id:
        raise PartnerLinkInvalid("This link is for a different action. Use the link from the email about this action.")
    if link.revoked_at is not None or link.expires_at <= utc_now():
        raise PartnerLinkInvalid(expired_message)
    if link.action.status.is_closed:
        raise PartnerLinkInvalid(f"This action is {link.action.status.label.lower()}, so it no longer needs updates.")
    if not holds_action(link.contact, link.action):
        raise PartnerLinkInvalid("You no longer hold a role that owns this action, so this link has stopped working.")
    return link


def record_use(link: PartnerLink, what: str) -> None:
    """Every use of a partner link is audited, whether it only opened the page or posted."""
    link.last_used_at = utc_now()
    audit.record(
        "partner_link.used",
        link,
        actor=f"partner link: {link.contact.email}",
        organisation_id=link.action.organisation_id,
        after={"action_id": link.action_id, "use": what},
    )


def revoke(link: PartnerLink, *, by: User) -> None:
    if link.revoked_at is None:
        link.revoked_at = utc_now()
        audit.record(
            "partner_link.revoked",
            link,
            actor=by,
            organisation_id=link.action.organisation_id,
            after={"action_id": link.action_id, "contact": link.contact.email},
        )


def active_links(action: Action) -> list[PartnerLink]:
    return list(
        db.session.scalars(
            select(PartnerLink)
            .where(
                PartnerLink.action_id == action.id, PartnerLink.revoked_at.is_(None), PartnerLink.expires_at > utc_now()
            )
            .order_by(PartnerLink.id)
        )
    )


# --- Sent by a manager from the action page ---------------------------------------------------


def contacts_without_accounts(action: Action) -> list[Contact]:
    """Who may be sent a link for this action: holders and deputies of its owner roles who
    have no account (people with an account sign in instead)."""
    contacts: list[Contact] = []
    for role in action.owner_roles:
        for contact in (role.holder, role.deputy):
            if contact is not None and contact.user_id is None and contact not in contacts:
                contacts.append(contact)
    return contacts


def send_link(action: Action, contact_id: int, *, by: User) -> tuple[PartnerLink, int | None]:
    """A new link for `contact_id`, emailed to them. The caller commits, then sends the email."""
    contact = next((contact for contact in contacts_without_accounts(action) if contact.id == contact_id), None)
    if contact is None:
        raise PartnerLinkInvalid("Choose someone who holds one of this action's roles and has no account")
    if action.status.is_closed:
        raise PartnerLinkInvalid(f"This action is {action.status.label.lower()}, so it no longer needs updates")
    link = create_link(action, contact, actor=by)
    return link, _queue_link_email(link, by=by)


def resend(link: PartnerLink, *, by: User) -> int | None:
    if link.revoked_at is not None or link.expires_at <= utc_now() or not holds_action(link.contact, link.action):
        raise PartnerLinkInvalid("This link no longer works: send a new one instead")
    return _queue_link_email(link, by=by)


def _queue_link_email(link: PartnerLink, *, by: User) -> int | None:
    from tracker.services import outbox

    action = link.action
    recommendation = action.recommendation
    report = recommendation.report
    organisation = action.organisation
    audit.record(
        "partner_link.sent",
        link,
        actor=by,
        organisation_id=organisation.id,
        after={"action_id": action.id, "contact": link.contact.email},
    )
    return outbox.queue_email(
        key=f"partner-link:{link.id}:{secrets.token_hex(8)}",
        kind="partner_link",
        recipient=link.contact.email,
        organisation_id=organisation.id,
        template="partner_link",
        subject=f"{organisation.name}: please update recommendation {recommendation.number}",
        name=link.contact.name,
        organisation_name=organisation.name,
        report_title=report.title,
        recommendation_number=recommendation.number,
        recommendation_text=recommendation.text,
        action=action,
        sent_by=by.name,
        link=url_for_link(link),
        expires_at=link.expires_at,
    )
