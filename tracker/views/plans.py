"""Importing an existing action plan: upload, choose the sheet and columns, preview, save.

Nothing is kept between the steps but the staged upload (see services/imports/staging.py) and the sheet
as read from it (services/imports/parsed_uploads.py: read once, in a child process with hard limits): the
sheet's name, the column choices and the manager's corrections travel in the forms, so any web
server can answer any step (one that has not read the file yet reads it once)."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from .. import clock
from ..exports.plan import plan_xlsx
from ..extensions import db
from ..forms.plans import UploadPlanForm
from ..inputs import whole_number
from ..models import Organisation, Report
from ..permissions import Capability, for_organisation
from ..plans import KINDS, MAX_FILE_BYTES, PlanMappingError, PlanReadError
from ..services import ServiceError, queries
from ..services.imports import staging as imports
from ..services.imports.plan_export import plan_rows
from ..services.imports.plan_import import preview_plan, save_plan
from ..services.imports.plan_matching import NEW_ROLE, choice_key

bp = Blueprint("plans", __name__)
FIXABLE = (
    "number",
    "recommendation",
    "step",
    "owner",
    "deadline",
    "original_deadline",
    "status",
    "rag",
    "flag",
    "update_date",
)


@bp.route("/organisations/<slug>/plans/import", methods=["GET", "POST"])
@for_organisation(Capability.IMPORT_REPORT)
def upload(organisation: Organisation):
    """Upload a plan (.xlsx, .xls or .csv); its type is read from its content."""
    form = UploadPlanForm()
    if form.validate_on_submit():
        data = form.plan.data.read(MAX_FILE_BYTES + 1)
        try:
            if len(data) > MAX_FILE_BYTES:
                raise PlanReadError(f"The file is larger than {MAX_FILE_BYTES // 1048576} MB, the limit for a plan.")
            preview_plan(organisation, data, form.plan.data.filename or "plan", clock.today())
        except PlanMappingError:
            pass  # the guesses need changing: that is what the next page is for
        except PlanReadError as error:
            form.plan.errors.append(str(error))
        if not form.plan.errors:
            staged = imports.stage(data, form.plan.data.filename or "plan")
            return redirect(url_for("plans.mapping", slug=organisation.slug, upload=staged.token))
    return render_template("plans/upload.html", organisation=organisation, form=form), 400 if form.errors else 200


def _is_number(text: str) -> bool:
    return whole_number(text) is not None


def _matching_choices(values: MultiDict) -> tuple[dict[str, str], dict[str, int]]:
    """The manager's choice of role for each owner ("owner-KEY": a role id or "new") and of the
    report's recommendation for each plan recommendation ("match-KEY": its id)."""
    owners = {
        key[6:]: value
        for key, value in values.items()
        if key.startswith("owner-") and (value == NEW_ROLE or _is_number(value))
    }
    matches = {key[6:]: int(value) for key, value in values.items() if key.startswith("match-") and _is_number(value)}
    return owners, matches


def _choices(values: MultiDict) -> tuple[str | None, dict[int, str], dict[tuple[int, str], str], Report | None]:
    sheet = values.get("sheet") or None
    mapping = {
        int(key[4:]): value
        for key, value in values.items()
        if key.startswith("col-") and _is_number(key[4:]) and value in KINDS
    }
    fixes = {}
    for key, value in values.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == "fix" and _is_number(parts[1]) and parts[2] in KINDS:
            fixes[(int(parts[1]), parts[2])] = value[:5000]
    report_id = values.get("report", "")
    report = db.session.get(Report, int(report_id)) if _is_number(report_id) else None
    return sheet, mapping, fixes, report


def _load(organisation: Organisation, values: MultiDict):
    """The staged upload and its preview with the choices in `values`; a redirect when unusable."""
    try:
        staged = imports.load_staged(values.get("upload", ""))
    except ServiceError as error:
        flash(str(error).replace("the report", "the plan"), "error")
        return None, None, redirect(url_for("plans.upload", slug=organisation.slug))
    sheet, mapping, fixes, report = _choices(values)
    owner_choices, match_choices = _matching_choices(values)
    if report is not None and report.organisation_id != organisation.id:
        report = None
    try:
        return (
            staged,
            preview_plan(
                organisation,
                staged.data,
                staged.filename,
                clock.today(),
                sheet=sheet,
                mapping=mapping,
                fixes=fixes,
                report=report,
                owner_choices=owner_choices,
                match_choices=match_choices,
            ),
            None,
        )
    except PlanMappingError as error:
        return staged, error, None
    except PlanReadError as error:
        if sheet is not None:  # that sheet is not a plan: stay on the upload, with the other sheets
            flash(str(error), "error")
            values = MultiDict([(key, value) for key, value in values.items(multi=True) if key in ("upload", "report")])
            return None, None, redirect(url_for("plans.mapping", slug=organisation.slug, **values.to_dict()))
        flash(str(error), "error")
        return None, None, redirect(url_for("plans.upload", slug=organisation.slug))


@bp.get("/organisations/<slug>/plans/columns")
@for_organisation(Capability.IMPORT_REPORT)
def mapping(organisation: Organisation):
    """Choose the sheet, check the guessed columns, and link the plan to a report or not."""
    staged, preview, response = _load(organisation, request.args)
    if response is not None:
        return response
    if isinstance(preview, PlanMappingError):  # show the columns again so the manager can put them right
        problem, plan, report = str(preview), preview.layout, None
    else:
        problem, plan, report = None, preview.plan, preview.report
    return render_template(
        "plans/mapping.html",
        organisation=organisation,
        staged=staged,
        plan=plan,
        linked_report=report,
        kinds=KINDS,
        reports=queries.organisation_reports(organisation),
        problem=problem,
    ), 400 if problem else 200


@bp.post("/organisations/<slug>/plans/preview")
@for_organisation(Capability.IMPORT_REPORT)
def preview(organisation: Organisation):
    """Show what saving would create (each row's problems beside it), or save it."""
    staged, result, response = _load(organisation, request.form)
    if response is not None:
        return response
    if isinstance(result, PlanMappingError):
        values = {key: value for key, value in request.form.items() if key != "csrf_token"}
        flash(str(result), "error")
        return redirect(url_for("plans.mapping", slug=organisation.slug, **values))
    _, _, fixes, _ = _choices(request.form)
    skip_refused = request.form.get("skip_refused") == "yes"
    problem = None
    if request.form.get("operation") == "save":
        try:
            report = save_plan(result, actor=current_user, skip_refused=skip_refused)
        except ServiceError as error:
            db.session.rollback()
            problem = str(error)
        else:
            db.session.commit()
            count = len(result.kept_recommendations)
            flash(f"Imported the plan: {count} recommendation{'s' if count != 1 else ''}.", "success")
            return redirect(url_for("reports.show", report_id=report.id))
    return render_template(
        "plans/preview.html",
        organisation=organisation,
        staged=staged,
        preview=result,
        roles=queries.organisation_roles(organisation),
        new_role=NEW_ROLE,
        choice_key=choice_key,
        kinds=KINDS,
        fixable=FIXABLE,
        fixes=fixes,
        fix_list=[(line, kind, value) for (line, kind), value in fixes.items()],
        skip_refused=skip_refused,
        column_args={f"col-{column.index}": column.kind for column in result.plan.columns},
        problem=problem,
    ), 400 if problem else 200


@bp.get("/organisations/<slug>/plans/export.xlsx")
@for_organisation(Capability.VIEW_BOARD)
def export(organisation: Organisation):
    """The plan in the shape the importer reads back (one report's, with ?report=ID)."""
    report_id = request.args.get("report", "")
    report = db.session.get(Report, int(report_id)) if _is_number(report_id) else None
    if report is not None and report.organisation_id != organisation.id:
        report = None
    content = plan_xlsx(f"{organisation.name}: action plan", plan_rows(organisation, report))
    return Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{organisation.slug}-action-plan.xlsx"'},
    )
