"""The inspection recommendation tracker: a Flask application."""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import CONFIGS

from . import security
from .extensions import cache, csrf, db, login_manager, migrate
from .inputs import IdConverter, whole_number

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides: object) -> Flask:
    """Build the app: configuration, extensions, templates, blueprints, errors, commands.

    `overrides` replace settings after the configuration is loaded (tests use them).
    """
    app = Flask(__name__, instance_path=str(ROOT / "instance"), template_folder=None)
    app.url_map.converters["int"] = IdConverter  # before any route is added
    load_config(app, config_name or os.environ.get("TRACKER_CONFIG", "development"), overrides)
    register_extensions(app)
    register_session_listeners()
    configure_templates(app)
    register_blueprints(app)
    register_error_handlers(app)
    security.init_app(app)
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
    from .services import files

    files.check_config(app)
    from .services import outbox

    outbox.init_app(app)  # emails a person must act on today leave straight after the commit
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
        number = whole_number(user_id)
        if number is None:
            return None
        user = db.session.get(User, number)
        if user is None or not secrets.compare_digest(user.session_token, session_token):
            return None
        return user


def register_session_listeners() -> None:
    """What every ORM session does besides what it is asked, for any app, job or command: leave
    out withdrawn imports (models/visibility.py), then count changes for the page cache
    (data_versions.py). Global to SQLAlchemy's Session, and registered once however many apps
    are made."""
    from . import data_versions
    from .models import visibility

    visibility.listen()
    data_versions.listen()


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


def _package_dir(name: str) -> str:
    return str(Path(importlib.util.find_spec(name).origin).parent)


# Templates that test optional top-level names by design (GOV.UK Frontend's page template asks
# `{% if htmlClasses %}`); Jinja's own frames are skipped to find the template asking.
_LENIENT_TEMPLATES = tuple(_package_dir(name) for name in ("govuk_frontend_jinja", "govuk_frontend_wtf"))
_JINJA = _package_dir("jinja2")


def _asked_by_our_template() -> bool:
    frame = sys._getframe(1)
    while frame is not None and (frame.f_code.co_filename == __file__ or frame.f_code.co_filename.startswith(_JINJA)):
        frame = frame.f_back
    return frame is None or not frame.f_code.co_filename.startswith(_LENIENT_TEMPLATES)


class TestableStrictUndefined(ChainableUndefined):
    """Strict where it matters, as GOV.UK Notify's NotifyJinjaUndefined is.

    Printing a missing value is an error. In this project's templates so is testing or looping
    over a missing *name* (`{% if organisaton %}`, `{% for action in actons %}`) or a missing
    attribute of an object (`{% if action.stauts %}`): those are misspellings. A missing key of a
    mapping may be tested, defaulted or chained, because that is how optional parameters are
    passed to macros (`{% if params.classes %}`); GOV.UK Frontend's own templates keep Jinja's
    usual leniency.
    """

    __slots__ = ()
    __str__ = ChainableUndefined._fail_with_undefined_error
    __html__ = ChainableUndefined._fail_with_undefined_error

    def _check(self) -> None:
        if not isinstance(self._undefined_obj, Mapping) and _asked_by_our_template():
            self._fail_with_undefined_error()

    def __bool__(self) -> bool:
        self._check()
        return False

    def __iter__(self):
        self._check()
        return iter(())

    def __len__(self) -> int:
        self._check()
        return 0


def configure_templates(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from . import template_filters

    app.jinja_env.undefined = TestableStrictUndefined
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    template_filters.register(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area (tracker/views/), each route declaring who may use it."""
    from .views import (
        action_lists,
        actions,
        api,
        asked_before,
        auth,
        board,
        calendar,
        dashboard,
        decisions,
        health,
        notifications,
        organisations,
        oversight,
        pages,
        partner,
        partner_links,
        people,
        personal_data,
        plans,
        report_admin,
        reports,
        sso,
        system_admin,
        theme_tags,
        themes,
    )

    for view in (
        auth,
        dashboard,
        organisations,
        reports,
        actions,
        partner,
        api,
        notifications,
        board,
        themes,
        calendar,
        health,
        pages,
        plans,
        people,
        sso,
        partner_links,
        decisions,
        report_admin,
        action_lists,
        oversight,
        theme_tags,
        personal_data,
        system_admin,
        asked_before,
    ):
        app.register_blueprint(view.bp)


def register_error_handlers(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def render_error(status: int, template: str):
        def handler(error):
            if request.path.startswith("/api/"):  # API clients read JSON, whatever went wrong
                description = getattr(error, "description", None)
                message = (
                    description
                    if status != 500 and isinstance(description, str)
                    else {413: "The request is too large.", 500: "Something went wrong on our side."}.get(
                        status, "Refused."
                    )
                )
                response = jsonify(error=template.replace(" ", "_"), message=message)
                response.status_code = status
                return response
            return render_template(f"errors/{template}.html", error=error), status

        return handler

    for status in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(status, render_error(status, str(status)))
    app.register_error_handler(CSRFError, render_error(400, "csrf"))


def register_commands(app: Flask) -> None:
    from .cli import tracker

    app.cli.add_command(tracker)
