"""Calendar feeds: a private address a calendar app reads each person's deadlines from."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..forms.board import CalendarFeedForm, RevokeCalendarFeedForm
from ..permissions import for_calendar_token, signed_in
from ..services.reminders import calendar

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _absolute(path: str) -> str:
    """Addresses that leave the browser (calendar apps) start with BASE_URL, like emails' links."""
    return current_app.config["BASE_URL"] + path


@bp.get("", endpoint="index")
@signed_in
def calendar_index():
    return render_template(
        "board/calendar.html",
        feed=calendar.active_feed(current_user),
        new_address=None,
        create_form=CalendarFeedForm(),
        revoke_form=RevokeCalendarFeedForm(),
        deadlines=calendar.deadlines_for(current_user),
    )


@bp.post("/new")
@signed_in
def create():
    form = CalendarFeedForm()
    if not form.validate_on_submit():
        abort(400)
    new = calendar.create_feed(current_user)
    db.session.commit()
    address = _absolute(url_for("calendar.feed", token=new.token))
    # The address is shown this once (only its hash is kept), so this page is not a redirect.
    response = Response(
        render_template(
            "board/calendar.html",
            feed=new.feed,
            new_address=address,
            create_form=CalendarFeedForm(formdata=None),
            revoke_form=RevokeCalendarFeedForm(formdata=None),
            deadlines=calendar.deadlines_for(current_user),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/revoke")
@signed_in
def revoke():
    form = RevokeCalendarFeedForm()
    if not form.validate_on_submit():
        abort(400)
    revoked = calendar.revoke_feed(current_user)
    db.session.commit()
    flash("Your calendar address no longer works." if revoked else "You had no calendar address.", "success")
    return redirect(url_for("calendar.index"))


@bp.get("/<token>.ics")
@for_calendar_token
def feed(user):
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "tracker"
    content = calendar.ics_for(
        user,
        calendar.deadlines_for(user),
        host=host,
        action_url=lambda action: _absolute(url_for("actions.show", action_id=action.id)),
    )
    response = Response(content, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=0"
    return response
