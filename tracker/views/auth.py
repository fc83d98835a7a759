"""Signing in and out, choosing a password from an emailed link, the account page and API tokens.

One app-wide rule lives here too, because it is about sessions: `SESSION_PROTECTION = "strong"`
holds for permanent sessions as well: Flask-Login only marks a permanent session "not fresh" when
the browser's fingerprint changes, so the session is dropped here instead. (Signed-in pages are
sent with `Cache-Control: no-store` by tracker/security.py, with the other headers.)
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_login.utils import _create_identifier

from ..extensions import db
from ..forms.auth import ApiTokenForm, ChoosePasswordForm, ForgotPasswordForm, SetPasswordForm, SignInForm
from ..models import ApiToken
from ..permissions import public, signed_in
from ..services import ServiceError, outbox
from ..services.people import accounts, invitations, throttling

bp = Blueprint("auth", __name__)

FRESH_SIGN_IN_SECONDS = 10 * 60  # how recent a sign-in stands in for the current password


@bp.before_app_request
def hold_session_protection() -> None:
    strong = current_app.config["SESSION_PROTECTION"] == "strong"
    if strong and "_user_id" in session and session.get("_id") != _create_identifier():
        session.clear()


def safe_next(target: str | None) -> str:
    """Only ever redirect to a path on this site after signing in."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for("dashboard.index")


def start_session(user) -> None:
    session.clear()  # a fresh session on sign-in: nothing from before carries over
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = int(time.time())


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = SignInForm()
    if not current_app.config["PASSWORD_SIGN_IN"]:
        if request.method == "POST":
            form.email.errors = ["Sign in with single sign-on: password sign-in is turned off for this service"]
        return render_template("auth/sign_in.html", form=form), 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        # Failures slow the next attempts down; they never refuse the right password.
        throttling.pause(throttling.sign_in_delay(form.email.data, request.remote_addr))
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            start_session(user)
            return redirect(safe_next(request.args.get("next")))
        throttling.record_failure(form.email.data, request.remote_addr)
        db.session.commit()
        form.password.errors.append("The email address or password is not right")
    return render_template("auth/sign_in.html", form=form), 400 if form.errors else 200


@bp.get("/sign-in/<token>")
@public
def sign_in_with_link(token: str):
    user = accounts.user_for_sign_in_link(token, max_age_hours=current_app.config["SIGN_IN_LINK_HOURS"])
    if user is None:
        return render_template("auth/link_expired.html"), 400
    db.session.commit()
    start_session(user)
    flash("You are signed in. Choose a password so you can sign in again.", "success")
    return redirect(url_for("auth.account"))


@bp.post("/sign-out")
@signed_in
def sign_out():
    accounts.sign_out_everywhere(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


def _fresh_sign_in() -> bool:
    return int(time.time()) - int(session.get("signed_in_at", 0)) <= FRESH_SIGN_IN_SECONDS


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    user = current_user._get_current_object()
    form = SetPasswordForm()
    # Someone with a password confirms it; someone without one (signed in by a link or single
    # sign-on) must have signed in within the last few minutes.
    needs_current = user.password_hash is not None
    if form.validate_on_submit():
        if needs_current and not user.check_password(form.current_password.data or ""):
            form.current_password.errors.append(
                "Enter your current password"
                if not form.current_password.data
                else "Your current password is not right"
            )
        elif not needs_current and not _fresh_sign_in():
            form.current_password.errors.append("Sign out and sign in again, then change your password")
        else:
            accounts.change_password(user, form.password.data)
            db.session.commit()
            start_session(user)
            flash("Your password has been saved.", "success")
            return redirect(url_for("dashboard.index"))
    return render_template(
        "auth/account.html",
        form=form,
        needs_current=needs_current,
        tokens=accounts.api_tokens_of(user),
        token_form=ApiTokenForm(),
    ), 400 if form.errors else 200


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password():
    if not current_app.config["PASSWORD_SIGN_IN"]:
        abort(404)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        throttled, notification_id = invitations.request_reset(form.email.data, request.remote_addr)
        if throttled:
            form.email.errors.append("Too many requests for this address. Wait 15 minutes and try again.")
            return render_template("auth/forgot_password.html", form=form), 429
        db.session.commit()
        # Sent once the page has gone: a known address answers as fast as an unknown one.
        return outbox.send_after_response(
            make_response(render_template("auth/reset_sent.html", email=form.email.data)), [notification_id]
        )
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


def _choose_password(token: str, purpose: str, template: str):
    try:
        user = invitations.user_for_link(token, purpose)
    except invitations.LinkProblem as problem:
        return render_template("auth/link_problem.html", problem=str(problem)), 400
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        invitations.use_link(user, form.password.data, purpose)
        db.session.commit()
        start_session(user)
        flash("Your password has been saved and you are signed in.", "success")
        return redirect(url_for("dashboard.index"))
    return render_template(template, form=form, user=user), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    return _choose_password(token, invitations.PASSWORD_RESET, "auth/reset_password.html")


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    return _choose_password(token, invitations.INVITATION, "auth/accept_invitation.html")


@bp.post("/account/tokens")
@signed_in
def create_token():
    form = ApiTokenForm()
    user = current_user._get_current_object()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(f"The token was not created: {error}", "error")
        return redirect(url_for("auth.account") + "#tokens")
    try:
        token = accounts.create_api_token(user, name=form.name.data, actor=user, days=int(form.days.data))
    except (ServiceError, ValueError) as error:
        flash(f"The token was not created: {error}", "error")
        return redirect(url_for("auth.account") + "#tokens")
    db.session.commit()
    return render_template("auth/token_created.html", token=token, name=form.name.data)


@bp.post("/account/tokens/<int:token_id>/revoke")
@signed_in
def revoke_token(token_id: int):
    api_token = db.session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != current_user.id:
        abort(404)
    accounts.revoke_api_token(api_token, actor=current_user._get_current_object())
    db.session.commit()
    flash(f"The token “{api_token.name}” no longer works.", "success")
    return redirect(url_for("auth.account") + "#tokens")
