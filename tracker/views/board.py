"""The board's pages: dashboard, meetings and what changed between them, the board pack and
the inspection evidence pack."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from .. import clock
from ..boardpack import MEDIA_TYPES, WRITERS, evidence_pack_pdf
from ..boardpack.chart import SERIES, progress_chart
from ..clock import long_date
from ..forms.board import MeetingForm
from ..models import Organisation, Report
from ..page_cache import cached_page
from ..permissions import Capability, for_organisation, for_report
from ..services.board import evidence_pack as evidence
from ..services.board import meetings as meeting_service
from ..services.board import pack as board_pack
from ..services.board import summary as board_summary
from .shared import or_404, submit

bp = Blueprint("board", __name__)


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


def _download(content: bytes, file_format: str, filename: str) -> Response:
    response = Response(content, content_type=MEDIA_TYPES[file_format])  # its charset once
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/organisations/<slug>/board")
@for_organisation(Capability.VIEW_BOARD)
def dashboard(organisation: Organisation):
    today = clock.today()
    progress = board_summary.progress_over_time(organisation, today)
    return render_template(
        "board/dashboard.html",
        organisation=organisation,
        summary=board_summary.board_summary(organisation, today),
        progress=progress,
        chart=progress_chart(progress),
        last_meeting=meeting_service.last_meeting(organisation, before=today),
    )


@bp.get("/organisations/<slug>/board/pack.<any(pdf, xlsx, csv):file_format>")
@for_organisation(Capability.VIEW_BOARD)
def pack(organisation: Organisation, file_format: str):
    today = clock.today()
    content = WRITERS[file_format](board_pack.board_pack(organisation, today))
    return _download(content, file_format, f"board-pack-{organisation.slug}-{today.isoformat()}.{file_format}")


@bp.get("/organisations/<slug>/board/meetings")
@for_organisation(Capability.VIEW_BOARD)
def meetings(organisation: Organisation):
    return render_template(
        "board/meetings.html", organisation=organisation, meetings=meeting_service.meetings(organisation)
    )


@bp.route("/organisations/<slug>/board/meetings/new", methods=["GET", "POST"])
@for_organisation(Capability.RECORD_MEETING)
def record_meeting(organisation: Organisation):
    form = MeetingForm()
    return submit(
        form,
        lambda: meeting_service.record_meeting(
            organisation,
            held_on=form.held_on.data,
            attendees=form.attendees.data or "",
            notes=form.notes.data or "",
            decisions=form.decisions.data or "",
            recorded_by=current_user,
            today=clock.today(),
        ),
        error_field=form.held_on,
        success=lambda meeting: f"The meeting on {long_date(meeting.held_on)} has been recorded.",
        then=lambda meeting: url_for("board.meeting", slug=organisation.slug, meeting_id=meeting.id),
        page=lambda: render_template("board/record_meeting.html", organisation=organisation, form=form),
    )


@bp.get("/organisations/<slug>/board/meetings/<int:meeting_id>")
@for_organisation(Capability.VIEW_BOARD)
def meeting(organisation: Organisation, meeting_id: int):
    found = or_404(meeting_service.meeting_in(organisation, meeting_id))
    previous = meeting_service.previous_meeting(found)
    changes = meeting_service.changes_between(organisation, previous.held_on if previous else None, found.held_on)
    return render_template(
        "board/meeting.html", organisation=organisation, meeting=found, previous=previous, changes=changes
    )


@bp.get("/organisations/<slug>/board/next-meeting")
@for_organisation(Capability.VIEW_BOARD)
@cached_page(scope=lambda organisation: [organisation.id])
def next_meeting(organisation: Organisation):
    today = clock.today()
    last, changes = meeting_service.changes_since_last_meeting(organisation, today)
    return render_template(
        "board/next_meeting.html",
        organisation=organisation,
        last_meeting=last,
        changes=changes,
        summary=board_summary.board_summary(organisation, today),
    )


@bp.get("/reports/<int:report_id>/evidence-pack.pdf")
@for_report(Capability.VIEW_BOARD)
def evidence_pack(report: Report):
    today = clock.today()
    content = evidence_pack_pdf(report, evidence.evidence_pack(report), today)
    return _download(content, "pdf", f"evidence-pack-report-{report.id}-{today.isoformat()}.pdf")
