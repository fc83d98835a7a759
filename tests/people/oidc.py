"""A real OpenID Connect provider on loopback (oidc-provider-mock), and a helper that signs in
through it the way a browser would: start at the tracker, choose the account at the provider,
come back with the provider's answer."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests

PEOPLE = {
    "alice": {"email": "alice.smith@council.example", "email_verified": True, "name": "Alice Smith"},
    "bob": {"email": "bob.jones@gmail.example", "email_verified": True, "name": "Bob Jones"},
    "carol": {"email": "carol.white@council.example", "email_verified": False, "name": "Carol White"},
    "dave": {"email": "dave.brown@council.example", "email_verified": True, "name": "Dave Brown"},
}


@contextmanager
def oidc_provider(app):
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=sub, claims=claims) for sub, claims in PEOPLE.items()]
    keys = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_PROVIDER_NAME")
    previous = {key: app.config[key] for key in keys}
    with run_server_in_thread(user_claims=users, require_nonce=True) as server:
        app.config.update(
            OIDC_ISSUER=f"http://localhost:{server.server_port}",
            OIDC_CLIENT_ID="tracker",
            OIDC_CLIENT_SECRET="tracker-secret",
            OIDC_PROVIDER_NAME="Council",
        )
        try:
            yield app.config["OIDC_ISSUER"]
        finally:
            app.config.update(previous)
            app.extensions.pop("tracker_oidc_clients", None)


def start(client, csrf_token: str) -> str:
    """Press "Sign in with ... account": returns the provider's authorisation URL."""
    response = client.post("/sign-in/sso", data={"csrf_token": csrf_token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def choose_account(authorize_url: str, sub: str, **change_query) -> str:
    """At the provider, choose the account `sub`; returns the tracker callback path and query."""
    if change_query:
        parts = urlsplit(authorize_url)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()} | change_query
        authorize_url = urlunsplit(parts._replace(query=urlencode(query)))
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"
