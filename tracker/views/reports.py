from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..forms.reports import PasteReportForm, ReviewForm, UploadReportForm
from ..importing import ParsedReport, ReportReadError, match_owner
from ..models import Organisation, Report
from ..permissions import Capability, for_organisation, for_report
from ..services import ServiceError, imports, queries
from ..services.imports import ImportItem, StagedUpload
from ..services.reports import DuplicateReport, existing_import, import_report

bp = Blueprint("reports", __name__)


@bp.get("/organisations/<slug>/reports")
@for_organisation(Capability.VIEW)
def index(organisation: Organisation):
    reports = queries.organisation_reports(organisation)
    return render_template("reports/index.html", organisation=organisation, reports=reports,
                           recommendation_counts=queries.recommendation_counts(reports))


@bp.route("/organisations/<slug>/reports/import", methods=["GET", "POST"])
@for_organisation(Capability.IMPORT_REPORT)
def upload(organisation: Organisation):
    """Upload a file (PDF, Word, HTML, Markdown or text); its type is read from its content."""
    form = UploadReportForm()
    if form.validate_on_submit():
        file = form.report.data
        staged = imports.stage(file.read(), file.filename or "report")
        response = _start_review(organisation, staged, form.report.errors)
        if response is not None:
            return response
    return render_template("reports/upload.html", organisation=organisation, form=form,
                           paste_form=PasteReportForm(formdata=None)), 400 if form.errors else 200


@bp.route("/organisations/<slug>/reports/paste", methods=["GET", "POST"])
@for_organisation(Capability.IMPORT_REPORT)
def paste(organisation: Organisation):
    form = PasteReportForm()
    if form.validate_on_submit():
        name = (form.filename.data or "").strip() or "pasted text"
        staged = imports.stage(form.text.data.encode("utf-8"), name if "." in name else f"{name}.txt")
        response = _start_review(organisation, staged, form.text.errors)
        if response is not None:
            return response
    return render_template("reports/paste.html", organisation=organisation, form=form), 400 if form.errors else 200


def _start_review(organisation: Organisation, staged: StagedUpload, errors: list):
    """Read the staged upload and show the review screen, or put the reason it failed in `errors`."""
    try:
        parsed = imports.read_staged(staged)
    except ReportReadError as error:
        errors.append(str(error))
        return None
    form = ReviewForm(formdata=None, upload=staged.token, service=parsed.service, inspectorate=parsed.inspectorate,
                      inspection_type=parsed.inspection_type, overall_rating=parsed.overall_rating,
                      published=parsed.publication_date if parsed.date_precision == "day" else None)
    _fill_items(form, [ImportItem.from_parsed(item) for item in parsed.recommendations])
    return _render_review(organisation, form, parsed, staged)


def _fill_items(form: ReviewForm, items: list[ImportItem]) -> None:
    while form.items.entries:
        form.items.pop_entry()
    for item in items:
        form.items.append_entry({
            "number": item.number, "text": item.text, "owners": "; ".join(item.owners), "due_on": item.due_on,
            "owner_source": item.owner_source, "reported_owners": ";".join(item.reported_owners),
            "deadline_rule": item.deadline_rule or "",
            "deadline_months": "" if item.deadline_months is None else str(item.deadline_months),
        })


def _items_from(form: ReviewForm) -> list[ImportItem]:
    items = []
    for entry in form.items.entries:
        data = entry.form
        owners = tuple(owner.strip() for owner in (data.owners.data or "").split(";") if owner.strip())
        reported = tuple(owner for owner in (data.reported_owners.data or "").split(";") if owner)
        months = data.deadline_months.data or ""
        item = ImportItem(
            number=(data.number.data or "").strip(), text=(data.text.data or "").strip(), owners=(),
            owner_source=data.owner_source.data or "none", reported_owners=reported,
            deadline_rule=data.deadline_rule.data or None,
            deadline_months=int(months) if months.isdigit() else None,
            due_on=data.due_on.data,
        )
        items.append(item.with_owners(owners))
    return items


def _render_review(organisation: Organisation, form: ReviewForm, parsed: ParsedReport, staged: StagedUpload,
                   status: int = 200, problem: str | None = None):
    roles = queries.organisation_roles(organisation)
    owner_matches = {}
    for entry in form.items.entries:
        for phrase in (entry.form.owners.data or "").split(";"):
            if phrase.strip():
                role = match_owner(phrase.strip(), [(role, role.names) for role in roles])
                owner_matches[phrase.strip()] = role.name if role else None
    return render_template("reports/review.html", organisation=organisation, form=form, parsed=parsed,
                           staged=staged, existing=existing_import(organisation, staged.data),
                           owner_matches=owner_matches, roles=roles, problem=problem,
                           source_excerpt=_source_excerpt(parsed)), status


def _source_excerpt(parsed: ParsedReport) -> str:
    """The part of the report's text the recommendations came from, for the side-by-side view."""
    starts = [item.source_start for item in parsed.recommendations if item.source_start is not None]
    ends = [item.source_end for item in parsed.recommendations if item.source_end is not None]
    if not starts or not ends:
        return parsed.text[:20_000]
    return parsed.text[max(0, min(starts) - 1500):max(ends) + 200]


@bp.post("/organisations/<slug>/reports/review")
@for_organisation(Capability.IMPORT_REPORT)
def review(organisation: Organisation):
    """Apply an editing operation (split, merge, delete, add), or confirm and save."""
    form = ReviewForm()
    try:
        staged = imports.load_staged(form.upload.data or "")
        parsed = imports.read_staged(staged)
    except (ServiceError, ReportReadError) as error:
        flash(str(error), "error")
        return redirect(url_for("reports.upload", slug=organisation.slug))
    if not form.validate_on_submit():
        return _render_review(organisation, form, parsed, staged, 400)
    items = _items_from(form)
    operation, _, position = request.form.get("operation", "confirm").partition(":")
    try:
        if operation == "refresh":
            return _render_review(organisation, form, parsed, staged)
        if operation != "confirm":
            index = int(position) if position.isdigit() else -1
            if operation != "add" and not 0 <= index < len(items):
                raise ServiceError("That item is no longer in the list.")
            items = {
                "split": lambda: imports.split_item(items, index),
                "merge": lambda: imports.merge_with_next(items, index),
                "delete": lambda: imports.delete_item(items, index),
                "add": lambda: imports.add_item(items),
            }[operation]()
            _fill_items(form, items)
            return _render_review(organisation, form, parsed, staged)
        imports.validate_items(items)
        reviewed = replace(parsed, service=form.service.data or None, inspectorate=form.inspectorate.data or None,
                           inspection_type=form.inspection_type.data or None,
                           overall_rating=form.overall_rating.data or None)
        report = import_report(organisation, reviewed, source=staged.data, filename=staged.filename,
                               published=form.published.data, items=items, actor=current_user)
    except DuplicateReport as error:
        db.session.rollback()
        flash(str(error), "info")
        return redirect(url_for("reports.show", report_id=error.report.id))
    except (ServiceError, KeyError) as error:
        db.session.rollback()
        _fill_items(form, items)
        problem = "Choose what to do with the items." if isinstance(error, KeyError) else str(error)
        return _render_review(organisation, form, parsed, staged, 400, problem=problem)
    db.session.commit()
    flash(f"Saved: {len(report.recommendations)} recommendations, each with an action.", "success")
    return redirect(url_for("reports.show", report_id=report.id))


@bp.get("/reports/<int:report_id>")
@for_report(Capability.VIEW)
def show(report: Report):
    return render_template("reports/show.html", report=report, organisation=report.organisation,
                           actions=queries.report_actions(report))
