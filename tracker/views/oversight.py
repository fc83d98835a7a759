"""Oversight: organisations compared side by side, sortable, filtered, exported."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from .. import clock
from ..exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from ..exports import oversight as oversight_export
from ..extensions import db
from ..inputs import whole_number
from ..models import Report
from ..page_cache import cached_page
from ..permissions import signed_in, visible_organisation_ids
from ..services.asked_before.oversight import repeat_counts
from ..services.board import oversight
from ..services.queries import ActionFilters

bp = Blueprint("oversight", __name__)
MEDIA = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}


def _year(name: str) -> int | None:
    return whole_number(request.args.get(name), minimum=1990, maximum=2100)


def _filters() -> tuple[ActionFilters, dict[str, str]]:
    inspectorate = request.args.get("inspectorate", "").strip()[:200]
    year_from, year_to = _year("from"), _year("to")
    filters = ActionFilters(
        inspectorate=inspectorate,
        published_from=date(year_from, 1, 1) if year_from else None,
        published_to=date(year_to, 12, 31) if year_to else None,
    )
    # The same filters, as the action list reads them, for every link from a count.
    list_args = {
        key: value
        for key, value in (
            ("inspectorate", inspectorate),
            ("published_from", filters.published_from.isoformat() if filters.published_from else ""),
            ("published_to", filters.published_to.isoformat() if filters.published_to else ""),
        )
        if value
    }
    return filters, list_args


def _rows():
    if visible_organisation_ids() == []:
        abort(403)  # reads no organisation (a system administrator, say): nothing to compare
    filters, list_args = _filters()
    sort = request.args.get("sort", "overdue")
    descending = request.args.get("dir", "desc") != "asc"
    rows = oversight.comparison(visible_organisation_ids(), filters, clock.today(), sort=sort, descending=descending)
    return rows, list_args, sort if sort in oversight.SORTS else "overdue", descending


# Kept (tracker/page_cache.py) while nothing changes in any organisation the page shows.
@bp.get("/oversight")
@signed_in
@cached_page(scope=visible_organisation_ids)
def index():
    rows, list_args, sort, descending = _rows()
    # Only the inspectorates of the organisations shown, so the page is kept on their counters alone.
    inspectorates_shown = select(Report.inspectorate).where(Report.inspectorate.is_not(None)).distinct()
    if (organisation_ids := visible_organisation_ids()) is not None:
        inspectorates_shown = inspectorates_shown.where(Report.organisation_id.in_(organisation_ids))
    inspectorates = sorted({name for name in db.session.scalars(inspectorates_shown) if name})
    return render_template(
        "oversight/index.html",
        rows=rows,
        list_args=list_args,
        sort=sort,
        descending=descending,
        inspectorates=inspectorates,
        today=clock.today(),
        args=request.args,
        repeats=repeat_counts(visible_organisation_ids(), _filters()[0], clock.today()),
    )


@bp.get("/oversight/organisations.<any(csv, xlsx):file_format>")
@signed_in
@cached_page(scope=lambda file_format: visible_organisation_ids())
def export(file_format: str):
    rows, _, _, _ = _rows()
    today = clock.today()
    repeats = repeat_counts(visible_organisation_ids(), _filters()[0], today)
    writer = oversight_export.comparison_csv if file_format == "csv" else oversight_export.comparison_xlsx
    response = Response(writer(rows, repeats, today), content_type=MEDIA[file_format])  # its charset once
    response.headers["Content-Disposition"] = f'attachment; filename="organisations-{today.isoformat()}.{file_format}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
