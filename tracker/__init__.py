"""The inspection recommendation tracker: a Flask application."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, g, render_template
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import CONFIGS

from .extensions import cache, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides: object) -> Flask:
    """Build the app: configuration, extensions, templates, blueprints, errors, commands.

    `overrides` replace settings after the configuration is loaded (tests use them).
    """
    app = Flask(__name__, instance_path=str(ROOT / "instance"), template_folder=None)
    load_config(app, config_name or os.environ.get("TRACKER_CONFIG", "development"), overrides)
    register_extensions(app)
    configure_templates(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    return app


def load_config(app: Flask, config_name: str, overrides: dict[str, object]) -> None:
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    if config_name == "production" and app.config["SECRET_KEY"].startswith("development-only"):
        raise RuntimeError("Set SECRET_KEY: production will not run with the development key.")
    Path(app.instance_path).mkdir(exist_ok=True)


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  registers every table with the metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = app.config["SESSION_PROTECTION"]

    @login_manager.user_loader
    def load_user(session_id: str):
        from .models import User

        user_id, _, session_token = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not secrets.compare_digest(user.session_token, session_token):
            return None
        return user


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys unless asked, per connection. Write-ahead logging lets pages
    read while the scheduler writes, and makes each commit cheaper (NORMAL is safe with WAL)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class TestableStrictUndefined(ChainableUndefined):
    """Strict where it matters: printing a missing value is an error.

    GOV.UK Frontend's macros test optional parameters (`{% if params.classes %}`), so a missing
    value may be tested, defaulted or chained; only rendering one raises, as StrictUndefined would.
    """

    __str__ = ChainableUndefined._fail_with_undefined_error
    __html__ = ChainableUndefined._fail_with_undefined_error


def configure_templates(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from . import template_filters

    app.jinja_env.undefined = TestableStrictUndefined
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    WTFormsHelpers(app)
    template_filters.register(app)


def register_blueprints(app: Flask) -> None:
    from .views import (
        actions, api, auth, board, calendar, dashboard, health, notifications, organisations, pages, partner, reports,
        themes,
    )

    for blueprint in (auth.bp, dashboard.bp, organisations.bp, reports.bp, actions.bp, partner.bp, api.bp,
                      notifications.bp, board.bp, themes.bp, calendar.bp, health.bp, pages.bp):
        app.register_blueprint(blueprint)
    register_board_blueprints(app)


def register_board_blueprints(app: Flask) -> None:
    """Board decisions, report corrections after import, and the oversight comparison."""
    from .views import action_lists, decisions, oversight, report_admin, theme_tags

    for blueprint in (decisions.bp, report_admin.bp, action_lists.bp, oversight.bp, theme_tags.bp):
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def render_error(status: int, template: str):
        def handler(error):
            return render_template(f"errors/{template}.html", error=error), status
        return handler

    for status in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(status, render_error(status, str(status)))
    app.register_error_handler(CSRFError, render_error(400, "csrf"))


def register_security_headers(app: Flask) -> None:
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    @app.before_request
    def make_csp_nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.before_request
    def refuse_nul_characters() -> None:
        """No one types a NUL character; PostgreSQL cannot store one. Refuse it up front
        rather than fail later with a server error."""
        from flask import abort, request

        values = [request.path, *request.args.values()]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values.extend(request.form.values())
        if any("\x00" in value for value in values):
            abort(400, "Text cannot contain NUL characters.")

    @app.after_request
    def add_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
            "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def register_commands(app: Flask) -> None:
    from .cli import tracker

    app.cli.add_command(tracker)
