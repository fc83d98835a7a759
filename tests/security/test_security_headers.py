"""tracker/security.py: the policy built from its parts, the sign-on provider's origin added as
a form target (never by editing the header's text), no-store for signed-in pages only, and one
registration however many apps are made."""

from __future__ import annotations

from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel
from tracker.security import content_security_policy


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split("; "))}


def test_the_policy_is_built_directive_by_directive():
    directives = _directives(content_security_policy("abc", ("https://login.example.org",)))
    assert directives["script-src"] == ["'self'", "'nonce-abc'"]
    assert directives["form-action"] == ["'self'", "https://login.example.org"]
    assert directives["frame-ancestors"] == directives["object-src"] == directives["base-uri"] == ["'none'"]
    assert _directives(content_security_policy("abc"))["form-action"] == ["'self'"]


def test_the_sign_on_providers_origin_is_a_form_target_only_when_configured(app, client, monkeypatch):
    assert _directives(client.get("/sign-in").headers["Content-Security-Policy"])["form-action"] == ["'self'"]
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "https://login.example.org/realms/staff")
    response = client.get("/sign-in")
    assert _directives(response.headers["Content-Security-Policy"])["form-action"] == [
        "'self'",
        "https://login.example.org",
    ]
    static = client.get("/static/favicon.svg")
    assert _directives(static.headers["Content-Security-Policy"])["form-action"] == ["'self'"]


def test_signed_in_pages_are_not_stored_and_static_files_may_be(app, client_request):
    manager = make_user(make_organisation(slug="x"), AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(manager)
    response = client_request.client.get("/")
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache"
    static = client_request.client.get("/static/favicon.svg")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_each_app_registers_the_headers_once(another_app):
    app = another_app()
    assert [hook.__name__ for hook in app.after_request_funcs[None]].count("add_headers") == 1
    assert [hook.__name__ for hook in app.before_request_funcs[None]].count("make_csp_nonce") == 1
