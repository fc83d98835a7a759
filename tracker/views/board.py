"""Board review (dashboard, meetings, packs), recurring themes across reports, and calendar feeds."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from .. import clock, permissions
from ..boardpack import MEDIA_TYPES, WRITERS, evidence_pack_pdf
from ..boardpack.chart import SERIES, progress_chart
from ..extensions import db
from ..forms.board import CalendarFeedForm, MeetingForm, RecommendationSearchForm, RevokeCalendarFeedForm
from ..models import Organisation, Report
from ..permissions import Capability, for_calendar_token, for_organisation, for_report, signed_in
from ..services import ServiceError, board, calendar, themes

bp = Blueprint("board", __name__)
themes_bp = Blueprint("themes", __name__, url_prefix="/themes")
calendar_bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def actions_list_url(organisation: Organisation, **filters: Any) -> str:
    """A link to the organisation's action list, filtered (status, owner, report, overdue,
    due_within, rag). Falls back to the list's literal path if that page is not registered."""
    filters = {key: value for key, value in filters.items() if value is not None}
    try:
        return url_for("actions.index", slug=organisation.slug, **filters)
    except BuildError:
        query = f"?{urlencode(filters)}" if filters else ""
        return f"/organisations/{organisation.slug}/actions{query}"


@bp.context_processor
def board_helpers() -> dict[str, Any]:
    return {"actions_list_url": actions_list_url, "chart_series": SERIES}


@themes_bp.context_processor
def theme_helpers() -> dict[str, Any]:
    return {"theme_names": {slug: theme.name for slug, theme in themes.THEMES_BY_SLUG.items()}}


def _download(content: bytes, file_format: str, filename: str) -> Response:
    response = Response(content, mimetype=MEDIA_TYPES[file_format])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- Board dashboard, meetings and packs -------------------------------------------------


@bp.get("/organisations/<slug>/board")
@for_organisation(Capability.VIEW_BOARD)
def dashboard(organisation: Organisation):
    today = clock.today()
    progress = board.progress_over_time(organisation, today)
    return render_template(
        "board/dashboard.html", organisation=organisation, summary=board.board_summary(organisation, today),
        progress=progress, chart=progress_chart(progress), last_meeting=board.last_meeting(organisation, before=today),
    )


@bp.get("/organisations/<slug>/board/pack.<any(pdf, xlsx, csv):file_format>")
@for_organisation(Capability.VIEW_BOARD)
def pack(organisation: Organisation, file_format: str):
    today = clock.today()
    content = WRITERS[file_format](board.board_pack(organisation, today))
    return _download(content, file_format, f"board-pack-{organisation.slug}-{today.isoformat()}.{file_format}")


@bp.get("/organisations/<slug>/board/meetings")
@for_organisation(Capability.VIEW_BOARD)
def meetings(organisation: Organisation):
    return render_template("board/meetings.html", organisation=organisation,
                           meetings=board.meetings(organisation))


@bp.route("/organisations/<slug>/board/meetings/new", methods=["GET", "POST"])
@for_organisation(Capability.RECORD_MEETING)
def record_meeting(organisation: Organisation):
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = board.record_meeting(
                organisation, held_on=form.held_on.data, attendees=form.attendees.data or "",
                notes=form.notes.data or "", decisions=form.decisions.data or "", recorded_by=current_user,
                today=clock.today())
        except ServiceError as error:
            db.session.rollback()
            form.held_on.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The meeting on {meeting.held_on.strftime('%-d %B %Y')} has been recorded.", "success")
            return redirect(url_for("board.meeting", slug=organisation.slug, meeting_id=meeting.id))
    status = 400 if form.errors else 200
    return render_template("board/record_meeting.html", organisation=organisation, form=form), status


@bp.get("/organisations/<slug>/board/meetings/<int:meeting_id>")
@for_organisation(Capability.VIEW_BOARD)
def meeting(organisation: Organisation, meeting_id: int):
    found = board.meeting_in(organisation, meeting_id)
    if found is None:
        abort(404)
    previous = board.previous_meeting(found)
    changes = board.changes_between(organisation, previous.held_on if previous else None, found.held_on)
    return render_template("board/meeting.html", organisation=organisation, meeting=found, previous=previous,
                           changes=changes)


@bp.get("/organisations/<slug>/board/next-meeting")
@for_organisation(Capability.VIEW_BOARD)
def next_meeting(organisation: Organisation):
    today = clock.today()
    last, changes = board.changes_since_last_meeting(organisation, today)
    return render_template("board/next_meeting.html", organisation=organisation, last_meeting=last,
                           changes=changes, summary=board.board_summary(organisation, today))


@bp.get("/reports/<int:report_id>/evidence-pack.pdf")
@for_report(Capability.VIEW_BOARD)
def evidence_pack(report: Report):
    today = clock.today()
    content = evidence_pack_pdf(report, board.evidence_pack(report), today)
    return _download(content, "pdf", f"evidence-pack-report-{report.id}-{today.isoformat()}.pdf")


# --- Recommendations across reports: search and recurring themes -------------------------


@themes_bp.get("", endpoint="index")
@signed_in
def themes_index():
    overview = board.theme_overview(permissions.visible_organisation_ids())
    db.session.commit()  # keeps the themes worked out for recommendations seen for the first time
    return render_template("themes/index.html", themes=overview, search_form=RecommendationSearchForm(request.args),
                           keywords=themes.THEMES)


def _search_text(form: RecommendationSearchForm) -> str:
    # PostgreSQL refuses NUL characters in text; nobody searches for them.
    return (form.q.data or "").replace("\x00", "").strip()[:200]


@themes_bp.get("/search")
@signed_in
def search():
    form = RecommendationSearchForm(request.args)
    text = _search_text(form)
    results = board.search_recommendations(permissions.visible_organisation_ids(), text=text) if text else None
    return render_template("themes/search.html", form=form, text=text, results=results)


@themes_bp.get("/<theme_slug>")
@signed_in
def show(theme_slug: str):
    theme = themes.THEMES_BY_SLUG.get(theme_slug)
    if theme is None:
        abort(404)
    form = RecommendationSearchForm(request.args)
    text = _search_text(form)
    results = board.search_recommendations(permissions.visible_organisation_ids(), text=text, theme=theme)
    db.session.commit()  # keeps the themes worked out for recommendations seen for the first time
    return render_template("themes/show.html", theme=theme, form=form, text=text, results=results)


# --- Calendar feeds ----------------------------------------------------------------------


def _absolute(path: str) -> str:
    """Addresses that leave the browser (calendar apps) start with BASE_URL, like emails' links."""
    return current_app.config["BASE_URL"] + path


@calendar_bp.get("", endpoint="index")
@signed_in
def calendar_index():
    return render_template("board/calendar.html", feed=calendar.active_feed(current_user), new_address=None,
                           create_form=CalendarFeedForm(), revoke_form=RevokeCalendarFeedForm(),
                           deadlines=calendar.deadlines_for(current_user))


@calendar_bp.post("/new")
@signed_in
def create():
    form = CalendarFeedForm()
    if not form.validate_on_submit():
        abort(400)
    new = calendar.create_feed(current_user)
    db.session.commit()
    address = _absolute(url_for("calendar.feed", token=new.token))
    # The address is shown this once (only its hash is kept), so this page is not a redirect.
    response = Response(render_template(
        "board/calendar.html", feed=new.feed, new_address=address, create_form=CalendarFeedForm(formdata=None),
        revoke_form=RevokeCalendarFeedForm(formdata=None), deadlines=calendar.deadlines_for(current_user)))
    response.headers["Cache-Control"] = "no-store"
    return response


@calendar_bp.post("/revoke")
@signed_in
def revoke():
    form = RevokeCalendarFeedForm()
    if not form.validate_on_submit():
        abort(400)
    revoked = calendar.revoke_feed(current_user)
    db.session.commit()
    flash("Your calendar address no longer works." if revoked else "You had no calendar address.", "success")
    return redirect(url_for("calendar.index"))


@calendar_bp.get("/<token>.ics")
@for_calendar_token
def feed(user):
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "tracker"
    content = calendar.ics_for(
        user, calendar.deadlines_for(user), host=host,
        action_url=lambda action: _absolute(url_for("actions.show", action_id=action.id)))
    response = Response(content, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=0"
    return response
