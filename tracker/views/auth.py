from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..extensions import db
from ..forms.auth import SetPasswordForm, SignInForm
from ..permissions import public, signed_in
from ..services import accounts, throttling

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only ever redirect to a path on this site after signing in."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("dashboard.index")


def _start_session(user) -> None:
    session.clear()  # a fresh session on sign-in: nothing from before carries over
    login_user(user)
    session.permanent = True


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = SignInForm()
    if form.validate_on_submit():
        throttle = throttling.check(form.email.data, request.remote_addr)
        if throttle.blocked:
            minutes = max(1, round(throttle.retry_after.total_seconds() / 60))
            form.email.errors.append(f"Too many failed attempts to sign in. Try again in {minutes} minutes.")
            return render_template("auth/sign_in.html", form=form), 429
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
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
    _start_session(user)
    flash("You are signed in. Choose a password so you can sign in again.", "success")
    return redirect(url_for("auth.account"))


@bp.post("/sign-out")
@signed_in
def sign_out():
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    form = SetPasswordForm()
    if form.validate_on_submit():
        accounts.change_password(current_user, form.password.data)
        db.session.commit()
        _start_session(current_user._get_current_object())
        flash("Your password has been saved.", "success")
        return redirect(url_for("dashboard.index"))
    return render_template("auth/account.html", form=form)
