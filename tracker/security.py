"""What every response carries and every request is checked for, in one place: the Content
Security Policy (built from its parts, with a fresh nonce per response), the other security
headers, `Cache-Control: no-store` on anything a signed-in person sees, the proxy count, and the
refusal of NUL characters. `create_app` calls `init_app`."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request, session


def content_security_policy(nonce: str, form_targets: tuple[str, ...] = ()) -> str:
    """The policy, directive by directive. `form_targets` are the other origins a form may post
    to: the single sign-on provider, whose button is a form that redirects there."""
    directives = {
        "default-src": ("'self'",),
        "script-src": ("'self'", f"'nonce-{nonce}'"),
        "style-src": ("'self'",),
        "img-src": ("'self'", "data:"),
        "object-src": ("'none'",),
        "base-uri": ("'none'",),
        "form-action": ("'self'", *form_targets),
        "frame-ancestors": ("'none'",),
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _form_targets() -> tuple[str, ...]:
    issuer = current_app.config["OIDC_ISSUER"]
    if not issuer or request.endpoint == "static":
        return ()
    return ("{0.scheme}://{0.netloc}".format(urlsplit(issuer)),)


def _seen_signed_in() -> bool:
    """Signed-in pages, API answers and partner pages: no browser or proxy may keep them after sign-out."""
    return "_user_id" in session or request.blueprint in ("api", "partner") or g.get("_login_user") is not None


def make_csp_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


def refuse_nul_characters() -> None:
    """No one types a NUL character; PostgreSQL cannot store one. Refuse it up front rather than
    fail later with a server error."""
    values = [request.path, *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values.extend(request.form.values())
        values.extend(file.filename or "" for _, file in request.files.items(multi=True))
    if any("\x00" in value for value in values):
        abort(400, "Text cannot contain NUL characters.")


def add_headers(response):
    response.headers.setdefault(
        "Content-Security-Policy", content_security_policy(g.get("csp_nonce", ""), _form_targets())
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static" and _seen_signed_in():
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    if count := app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    app.before_request(make_csp_nonce)
    app.before_request(refuse_nul_characters)
    app.after_request(add_headers)
