"""The filtered action list as a whole: download it (CSV, Excel) or change several statuses at once."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import clock
from ..exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from ..extensions import db
from ..inputs import whole_number, whole_numbers
from ..models import Organisation, Status
from ..permissions import Capability, for_organisation
from ..services import ServiceError, action_lists
from ..services.actions import NEXT_STATUSES, actions_by_ids
from .filters import filters_from_request

bp = Blueprint("action_lists", __name__)
MEDIA = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}


@bp.get("/organisations/<slug>/actions/export.<any(csv, xlsx):file_format>")
@for_organisation(Capability.VIEW)
def export(organisation: Organisation, file_format: str):
    today = clock.today()
    actions = action_lists.filtered_actions(
        [organisation.id], filters_from_request(), today, sort=request.args.get("sort", "deadline")
    )
    writer = action_lists.export_csv if file_format == "csv" else action_lists.export_xlsx
    response = Response(writer(actions, today), content_type=MEDIA[file_format])  # its charset once
    response.headers["Content-Disposition"] = (
        f'attachment; filename="actions-{organisation.slug}-{today.isoformat()}.{file_format}"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


BULK_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETED)


@bp.route("/organisations/<slug>/actions/bulk-status", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_ACTIONS)
def bulk_status(organisation: Organisation):
    today = clock.today()
    filters = filters_from_request()
    errors: dict[str, str] = {}
    per_action: dict[int, str] = {}
    if request.method == "POST":
        ids = whole_numbers(request.form.getlist("action_ids"))
        chosen = actions_by_ids(organisation.id, ids)
        status = request.form.get("status", "")
        versions = {}
        for action in chosen:
            version = request.form.get(f"version-{action.id}", "")
            versions[action.id] = whole_number(version) if whole_number(version) is not None else -1
        if not chosen:
            errors["action_ids"] = "Select at least one action."
        if status not in {item.value for item in BULK_STATUSES}:
            errors["status"] = "Choose the new status."
        if not errors:
            links = [link for link in request.form.get("link", "").split() if link][:5]
            try:
                outcome = action_lists.bulk_status(
                    chosen,
                    author=current_user,
                    new_status=Status(status),
                    note=request.form.get("note", "")[:10_000],
                    links=links,
                    versions=versions,
                )
            except ServiceError as error:
                db.session.rollback()
                errors["status"] = str(error)
            else:
                if outcome.errors:
                    db.session.rollback()
                    per_action = outcome.errors
                    errors["action_ids"] = (
                        f"{len(outcome.errors)} of the selected actions cannot change, so "
                        "none was changed. See the reason beside each one."
                    )
                else:
                    db.session.commit()
                    flash(
                        f"{outcome.changed} action{'s' if outcome.changed != 1 else ''} now "
                        f"{Status(status).label.lower()}.",
                        "success",
                    )
                    return redirect(url_for("actions.index", slug=organisation.slug, **request.args))
    actions = action_lists.filtered_actions([organisation.id], filters, today, limit=action_lists.BULK_LIMIT)
    selected = set(request.form.getlist("action_ids")) if request.method == "POST" else set()
    return render_template(
        "action_lists/bulk_status.html",
        organisation=organisation,
        actions=actions,
        errors=errors,
        per_action=per_action,
        selected=selected,
        statuses=BULK_STATUSES,
        form=request.form,
        next_statuses=NEXT_STATUSES,
    ), 400 if errors else 200
