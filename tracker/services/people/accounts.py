"""Signing in: passwords, one-time sign-in links, and signing out everywhere."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.models import User, utc_now
from tracker.services import audit
from tracker.services.people.organisations import user_by_email


@cache
def _unknown_user_hash() -> str:
    """A hash to check when the email is unknown, so a wrong email takes as long as a wrong
    password and sign-in timing does not reveal who has an account."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if user is None or not user.active:
        check_password_hash(_unknown_user_hash(), password)
        return None
    if not user.check_password(password):
        audit.record("user.sign_in_failed", user, actor=user.email, organisation_id=None)
        return None
    user.last_signed_in_at = utc_now()
    audit.record("user.signed_in", user, actor=user, organisation_id=None)
    return user


def _link_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sign-in-link")


def make_sign_in_link(user: User) -> str:
    """A link that signs the user in once. Using it (or any sign-in change) voids it."""
    token = _link_serializer().dumps({"user": user.id, "session": user.session_token})
    return f"{current_app.config['BASE_URL']}/sign-in/{token}"


def user_for_sign_in_link(token: str, *, max_age_hours: int) -> User | None:
    try:
        payload = _link_serializer().loads(token, max_age=max_age_hours * 3600)
    except BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user = db.session.get(User, payload.get("user")) if isinstance(payload.get("user"), int) else None
    if user is None or not user.active or not secrets.compare_digest(user.session_token, str(payload.get("session"))):
        return None
    user.session_token = secrets.token_hex(16)  # single use
    audit.record("user.signed_in_with_link", user, actor=user, organisation_id=None)
    return user


def change_password(user: User, password: str) -> None:
    """Set a new password and sign the user out of every other session."""
    user.set_password(password)
    user.session_token = secrets.token_hex(16)
    audit.record("user.password_changed", user, actor=user, organisation_id=None)


def sign_out_everywhere(user: User) -> None:
    """End every session the user has, in every browser: the session identifier includes
    `session_token`, so a cookie copied before this no longer opens any page."""
    user.session_token = secrets.token_hex(16)
    audit.record("user.signed_out", user, actor=user, organisation_id=None)


DEFAULT_TOKEN_DAYS = 90
LONGEST_TOKEN_DAYS = 366


def create_api_token(user: User, *, name: str = "", actor: str | User, days: int = DEFAULT_TOKEN_DAYS) -> str:
    """A new bearer token for /api/v1 that expires after `days`. Only its hash is stored; this
    is the one time it is seen."""
    from tracker.models import ApiToken
    from tracker.services import ServiceError

    if not 1 <= days <= LONGEST_TOKEN_DAYS:
        raise ServiceError(f"A token lasts from 1 to {LONGEST_TOKEN_DAYS} days.")
    token = "trk_" + secrets.token_urlsafe(32)
    expires_at = utc_now() + timedelta(days=days)
    db.session.add(
        ApiToken(
            user=user,
            name=name.strip()[:200],
            expires_at=expires_at,
            token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        )
    )
    db.session.flush()
    audit.record(
        "api_token.created",
        user,
        actor=actor,
        organisation_id=None,
        after={"name": name, "expires_at": expires_at.isoformat()},
    )
    return token


def api_tokens_of(user: User) -> list:
    """The user's tokens that still work, newest first."""
    from sqlalchemy import or_, select

    from tracker.models import ApiToken

    return list(
        db.session.scalars(
            select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                ApiToken.revoked_at.is_(None),
                or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utc_now()),
            )
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_api_token(api_token, *, actor: str | User) -> None:
    if api_token.revoked_at is None:
        api_token.revoked_at = utc_now()
        audit.record(
            "api_token.revoked",
            api_token.user,
            actor=actor,
            organisation_id=None,
            after={"token_id": api_token.id, "name": api_token.name},
        )


def user_for_api_token(token: str) -> User | None:
    from sqlalchemy import select

    from tracker.models import ApiToken

    api_token = db.session.scalar(select(ApiToken).filter_by(token_sha256=hashlib.sha256(token.encode()).hexdigest()))
    if api_token is None or api_token.revoked_at is not None or not api_token.user.active:
        return None
    now = utc_now()
    if api_token.expires_at is not None and api_token.expires_at <= now:
        return None
    # Recorded at most hourly, so reading the API does not write on every request.
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(hours=1):
        api_token.last_used_at = now
    return api_token.user
