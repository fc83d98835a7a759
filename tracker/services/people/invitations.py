"""One-time links emailed to a person: an invitation to set a password, and a password reset.

A link is signed (so it cannot be forged), dated (so it expires) and carries the user's
`session_token` at the time it was made. Using a link, or anything else that signs the user
out everywhere, changes that token, so each link works once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Notification, Organisation, User, utc_now
from tracker.services import ServiceError, audit, outbox
from tracker.services.people import throttling
from tracker.services.people.organisations import user_by_email

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"


class LinkProblem(ServiceError):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _max_age(purpose: str) -> int:
    if purpose == INVITATION:
        return current_app.config["INVITATION_DAYS"] * 86400
    return current_app.config["PASSWORD_RESET_MINUTES"] * 60


def make_link(user: User, purpose: str) -> str:
    token = _serializer(purpose).dumps({"user": user.id, "session": user.session_token})
    path = "invitations" if purpose == INVITATION else "reset-password"
    return f"{current_app.config['BASE_URL']}/{path}/{token}"


def user_for_link(token: str, purpose: str) -> User:
    """The user a link is for, if it may still be used; LinkProblem saying why not otherwise.

    Nothing changes here: the link is used up by `use_link`, when the password is saved.
    """
    again = (
        "Ask your administrator to invite you again."
        if purpose == INVITATION
        else "You can ask for a new link on the sign-in page."
    )
    try:
        payload = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except SignatureExpired:
        raise LinkProblem(f"This link has expired. {again}") from None
    except BadSignature:
        raise LinkProblem(f"This link is not valid. Check you copied the whole link from the email. {again}") from None
    user = (
        db.session.get(User, payload.get("user"))
        if isinstance(payload, dict) and isinstance(payload.get("user"), int)
        else None
    )
    if user is None or not user.active:
        raise LinkProblem(f"This link is not valid. {again}")
    if not secrets.compare_digest(user.session_token, str(payload.get("session"))):
        raise LinkProblem(f"This link has already been used. {again}")
    return user


def use_link(user: User, password: str, purpose: str) -> None:
    """Save the password and use the link up; every other session of the user ends too."""
    user.set_password(password)
    user.session_token = secrets.token_hex(16)
    event = "user.invitation_accepted" if purpose == INVITATION else "user.password_reset"
    audit.record(event, user, actor=user, organisation_id=None)


def use_up_open_invitation(user: User, *, signed_in_before: datetime | None) -> bool:
    """Another way of signing in (single sign-on) was just used: make any invitation link still
    open for this person unusable. Returns whether there was one.

    A link is made only for someone with no password, and it carries their session token, so a
    new token uses it up (and signs out their other sessions, as using the link would). Only done
    when an invitation went out since their previous sign-in and within the link's lifetime, so
    someone who always signs in this way is not signed out elsewhere every time.
    """
    if user.password_hash is not None:
        return False
    since = utc_now() - timedelta(days=current_app.config["INVITATION_DAYS"])
    if signed_in_before is not None and signed_in_before > since:
        since = signed_in_before
    sent = db.session.scalar(
        select(Notification.id)
        .where(
            Notification.kind == "invitation",
            func.lower(Notification.recipient) == user.email.lower(),
            Notification.created_at >= since,
        )
        .limit(1)
    )
    if sent is None:
        return False
    user.session_token = secrets.token_hex(16)
    return True


def queue_invitation(user: User, organisation: Organisation, *, invited_by: User, access_label: str) -> int | None:
    """Queue the invitation email (the caller commits, then sends it with `outbox.send_now`)."""
    config = current_app.config
    has_password = user.password_hash is not None
    return outbox.queue_email(
        key=f"invitation:{organisation.id}:{user.id}:{secrets.token_hex(8)}",
        kind="invitation",
        recipient=user.email,
        organisation_id=organisation.id,
        template="invitation",
        subject=f"You have been given access to {organisation.name}'s recommendation tracker",
        organisation_name=organisation.name,
        invited_by=invited_by.name,
        access_label=access_label,
        link=None if has_password else make_link(user, INVITATION),
        sign_in_url=f"{config['BASE_URL']}/sign-in",
        days=config["INVITATION_DAYS"],
        sso=bool(config["OIDC_ISSUER"]),
        password_sign_in=config["PASSWORD_SIGN_IN"],
    )


def request_reset(email: str, address: str | None) -> tuple[bool, int | None]:
    """Someone asked for a password reset link. Returns (throttled, outbox id or None).

    The person asking always sees the same answer; only a known, active user gets an email.
    Each request counts against the sign-in throttle, so the form cannot be used to flood a
    mailbox or to probe for addresses.
    """
    # Counted on the address as stored (no spaces, lower case): " Chair@x" and "chair@x\t" are one.
    key = f"reset:{' '.join(email.split()).lower()}"
    if throttling.check(key, address).blocked:
        return True, None
    throttling.record_failure(key, address)
    user = user_by_email(email)
    if user is None or not user.active or not current_app.config["PASSWORD_SIGN_IN"]:
        return False, None
    audit.record("user.password_reset_requested", user, actor=user, organisation_id=None)
    notification_id = outbox.queue_email(
        key=f"password-reset:{user.id}:{secrets.token_hex(8)}",
        kind="password_reset",
        recipient=user.email,
        organisation_id=None,
        template="password_reset",
        subject="Reset your password",
        link=make_link(user, PASSWORD_RESET),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
        name=user.name,
    )
    return False, notification_id
