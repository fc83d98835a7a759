"""Single sign-on: start at the provider, come back, and be signed in (or told why not)."""

from __future__ import annotations

import time

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from ..extensions import db
from ..permissions import public
from ..services.people import sso
from .auth import safe_next, start_session

bp = Blueprint("sso", __name__, url_prefix="/sign-in/sso")


@bp.post("")
@public
def start():
    """A POST (with the CSRF token), so no other site can start a sign-in in someone's browser."""
    if not sso.enabled():
        abort(404)
    session["sso_next"] = safe_next(request.args.get("next"))
    session["sso_started_at"] = time.time()
    try:
        return sso.client().authorize_redirect(url_for("sso.callback", _external=True))
    except Exception as error:  # the provider could not be reached or answered nonsense
        return render_template(
            "auth/sso_refused.html",
            problem=(
                f"The single sign-on service could not be reached ({type(error).__name__}). Try again in a few minutes."
            ),
        ), 502


@bp.get("/callback")
@public
def callback():
    if not sso.enabled():
        abort(404)
    next_url = session.pop("sso_next", None)
    try:
        user = sso.finish_sign_in(session.pop("sso_started_at", None))
    except sso.SignInRefused as refusal:
        db.session.rollback()
        return render_template("auth/sso_refused.html", problem=str(refusal)), 403
    db.session.commit()
    start_session(user)
    return redirect(next_url or url_for("dashboard.index"))
