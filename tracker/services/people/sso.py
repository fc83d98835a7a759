"""Single sign-on with OpenID Connect (Microsoft Entra ID, Google Workspace, ...), through Authlib.

Signing in never gives access by itself. The provider's answer is accepted only when:
- the state matches the sign-in this browser started (Authlib keeps it in the session, once:
  a replayed answer finds none), within STATE_MINUTES;
- the ID token is signed by the issuer, is for this client, has not expired, and carries the
  nonce this sign-in sent;
- the email address is verified (`email_verified`, or Entra ID's `xms_edov`);
- its domain belongs to an organisation (each domain to one at most, set by a system
  administrator: services/people/sso_domains.py), and the person was invited to that organisation;
- the provider's subject for that person is the one seen on their first sign-in.
Anything else is refused with a reason, and nothing is changed. A sign-in that is accepted
also uses up any invitation link still open for the person (see `finish_sign_in`).
"""

from __future__ import annotations

import time

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import JoseError
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Membership, User, utc_now
from tracker.services import ServiceError, audit
from tracker.services.people.email_addresses import InvalidEmail, normalise_email
from tracker.services.people.invitations import use_up_open_invitation
from tracker.services.people.organisations import user_by_email
from tracker.services.people.sso_domains import organisation_for_domain

STATE_MINUTES = 10
SCOPES = "openid email profile"
NOT_STARTED_HERE = (
    "This sign-in answer does not match a sign-in started in this browser, or it was already used. "
    "Start again from the sign-in page."
)


class SignInRefused(ServiceError):
    pass


def enabled() -> bool:
    config = current_app.config
    return bool(config["OIDC_ISSUER"] and config["OIDC_CLIENT_ID"])


def client():
    """The Authlib client for the configured issuer (one per app and issuer: it keeps the
    provider's metadata and signing keys once fetched)."""
    config = current_app.config
    clients = current_app.extensions.setdefault("tracker_oidc_clients", {})
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"])
    if key not in clients:
        oauth = OAuth()
        # current_app is a LocalProxy, which Flask types as the app itself (no _get_current_object)
        oauth.init_app(current_app._get_current_object())  # type: ignore[attr-defined]
        clients[key] = oauth.register(
            "oidc",
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{config['OIDC_ISSUER']}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPES, "timeout": config["MAIL_TIMEOUT"]},
        )
    return clients[key]


def finish_sign_in(started_at: float | None) -> User:
    """Check the provider's answer to this request and return the invited user it names.

    `started_at` is when this browser started the sign-in (kept in its session).
    """
    if not isinstance(started_at, (int, float)):
        raise SignInRefused(NOT_STARTED_HERE)
    if time.time() - started_at > STATE_MINUTES * 60:
        raise SignInRefused(
            f"This sign-in has expired: finish signing in within {STATE_MINUTES} minutes of starting. "
            "Start again from the sign-in page."
        )
    try:
        token = client().authorize_access_token(leeway=60)
    except MismatchingStateError:
        raise SignInRefused(NOT_STARTED_HERE) from None
    except OAuthError as error:
        raise SignInRefused(
            f"The sign-in service refused: {error.description or error.error}. Start again from the sign-in page."
        ) from None
    except JoseError as error:
        raise SignInRefused(
            "The sign-in answer could not be trusted "
            f"({getattr(error, 'error', type(error).__name__)}): it may have expired or "
            "been meant for another sign-in. Start again from the sign-in page."
        ) from None
    claims = token.get("userinfo") or {}
    if not claims:
        raise SignInRefused("The sign-in service sent no ID token. Start again from the sign-in page.")
    if claims.get("email_verified") is not True and claims.get("xms_edov") is not True:
        raise SignInRefused(
            "Your account's email address is not verified, so it cannot be used to sign in here. "
            "Ask your IT team to verify it, or sign in another way."
        )
    try:
        email = normalise_email(str(claims.get("email") or ""))
    except InvalidEmail:
        raise SignInRefused(
            "Your account did not give a usable email address, so it cannot be used to sign in here."
        ) from None
    domain = email.rpartition("@")[2]
    accepting = organisation_for_domain(domain)
    if accepting is None:
        raise SignInRefused(f"Accounts from {domain} cannot sign in here. Ask your administrator which account to use.")
    user = user_by_email(email)
    member = (
        user is not None
        and db.session.scalar(
            select(Membership.id).where(Membership.user_id == user.id, Membership.organisation_id == accepting.id)
        )
        is not None
    )
    if user is None or not member or not user.active:
        raise SignInRefused(f"{email} has not been invited to use the tracker. Ask your administrator to invite you.")
    subject = f"{current_app.config['OIDC_ISSUER']}|{claims.get('sub')}"
    if user.sso_subject is not None and user.sso_subject != subject:
        raise SignInRefused(
            "This email address is linked to a different single sign-on account. Ask your administrator."
        )
    holder = db.session.scalar(select(User.id).where(User.sso_subject == subject))
    if holder is not None and holder != user.id:
        raise SignInRefused("This single sign-on account is linked to another person here. Ask your administrator.")
    first = user.sso_subject is None
    user.sso_subject = subject
    # The emailed invitation link stops working once the person has signed in this way, so it
    # cannot be used later by whoever else reads that email.
    invitation_used_up = use_up_open_invitation(user, signed_in_before=user.last_signed_in_at)
    user.last_signed_in_at = utc_now()
    audit.record(
        "user.signed_in_with_sso",
        user,
        actor=user,
        organisation_id=None,
        after={"subject": subject, "first_time": first, "invitation_used_up": invitation_used_up},
    )
    return user
