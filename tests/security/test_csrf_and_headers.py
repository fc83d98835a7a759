"""CSRF on every state-changing route, and the headers every page carries."""

import pytest

from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel

# Routes that change state without a browser session, so a forged cross-site form cannot ride on it.
CSRF_EXEMPT_PREFIXES = ("/api/v1/",)


def _state_changing_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"} and not rule.rule.startswith(CSRF_EXEMPT_PREFIXES):
            yield rule


def _fill(rule) -> str:
    url = rule.rule
    for argument in rule.arguments:
        url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "x")
    return url


def test_there_are_state_changing_routes_to_check(app):
    assert len(list(_state_changing_rules(app))) >= 10


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(app, client_request):
    admin = make_user(make_organisation(slug="x"), AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(admin)
    accepted = []
    for rule in _state_changing_rules(app):
        response = client_request.client.post(_fill(rule), data={"note": "forged"})
        if response.status_code != 400 or "Your form has expired" not in response.get_data(as_text=True):
            accepted.append(f"{rule.rule}: {response.status_code}")
    assert accepted == []


def test_a_token_from_another_session_is_refused(app, client_request):
    admin = make_user(make_organisation(slug="x"), AccessLevel.ADMIN)
    db.session.commit()
    attacker = app.test_client()
    stolen = (
        attacker.get("/sign-in")
        .get_data(as_text=True)
        .split('name="csrf_token" type="hidden" value="')[1]
        .split('"')[0]
    )
    client_request.login(admin)
    response = client_request.client.post("/sign-out", data={"csrf_token": stolen})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/sign-in", "/healthz", "/accessibility", "/no-such-page"])
def test_security_headers_on_every_kind_of_response(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_only_inline_script_carries_this_responses_nonce(client):
    from bs4 import BeautifulSoup

    first, second = client.get("/sign-in"), client.get("/sign-in")
    nonce = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert nonce not in second.headers["Content-Security-Policy"]
    scripts = BeautifulSoup(first.get_data(as_text=True), "html.parser").select("script")
    inline = [script for script in scripts if not script.get("src")]
    assert inline and all(script["nonce"] == nonce for script in inline)
    assert not BeautifulSoup(first.get_data(as_text=True), "html.parser").select("[style], [onclick], [onload]")


def test_production_cookies_are_secure_and_hsts_is_sent(another_app):
    app = another_app("production", SECRET_KEY="a" * 40)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/sign-in", base_url="https://tracker.example")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_production_refuses_the_development_secret_key(another_app):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        another_app("production")
