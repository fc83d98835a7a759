import re
from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..clock import today
from ..extensions import db
from ..forms.reports import MAX_ITEMS, PasteReportForm, ReviewForm, UploadReportForm
from ..importing import ParsedReport, ReportReadError
from ..models import Organisation, Report
from ..permissions import Capability, for_organisation, for_report
from ..services import ServiceError, queries
from ..services.asked_before import review as asked_before_review
from ..services.imports import review as review_items
from ..services.imports import staging as imports
from ..services.imports.review import ReviewChoices, ReviewSource
from ..services.imports.review_display import item_deadlines, warnings_still_true
from ..services.imports.review_passages import source_passages
from ..services.imports.review_steps import Problem, take_step
from ..services.imports.saving import existing_import
from ..services.imports.staging import ImportItem, StagedUpload

bp = Blueprint("reports", __name__)


@bp.get("/organisations/<slug>/reports")
@for_organisation(Capability.VIEW)
def index(organisation: Organisation):
    reports = queries.organisation_reports(organisation)
    return render_template(
        "reports/index.html",
        organisation=organisation,
        reports=reports,
        recommendation_counts=queries.recommendation_counts(reports),
    )


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
    return render_template(
        "reports/upload.html", organisation=organisation, form=form, paste_form=PasteReportForm(formdata=None)
    ), 400 if form.errors else 200


@bp.route("/organisations/<slug>/reports/paste", methods=["GET", "POST"])
@for_organisation(Capability.IMPORT_REPORT)
def paste(organisation: Organisation):
    form = PasteReportForm()
    if form.validate_on_submit():
        name = (form.filename.data or "").strip() or "pasted text"
        staged = imports.stage(form.text.data.encode("utf-8"), name)  # the name as typed: no ".txt" added
        response = _start_review(organisation, staged, form.text.errors)
        if response is not None:
            return response
    return render_template("reports/paste.html", organisation=organisation, form=form), 400 if form.errors else 200


def _start_review(organisation: Organisation, staged: StagedUpload, errors: list):
    """Read the staged upload and show the review screen, or put the reason it failed in `errors`."""
    try:
        source = review_items.read_for_review(staged)
    except ReportReadError as error:
        errors.append(str(error))
        return None
    parsed = source.parsed
    if len(parsed.recommendations) > MAX_ITEMS:
        errors.append(
            f"The report has {len(parsed.recommendations)} recommendations; the review can hold "
            f"{MAX_ITEMS}. Split the report into parts and import each one."
        )
        return None
    form = ReviewForm(
        formdata=None,
        upload=staged.token,
        service=parsed.service,
        inspectorate=parsed.inspectorate,
        inspection_type=parsed.inspection_type,
        overall_rating=parsed.overall_rating,
        published=parsed.publication_date if parsed.date_precision == "day" else None,
    )
    _fill_items(form, review_items.items_from_parsed(parsed))
    return _render_review(organisation, form, source, staged)


def _fill_items(form: ReviewForm, items: list[ImportItem]) -> None:
    while form.items.entries:
        form.items.pop_entry()
    for item in items:
        form.items.append_entry(review_items.row_for(item))


def _items_from(form: ReviewForm) -> list[ImportItem]:
    return [review_items.item_from_row(entry.form.data) for entry in form.items.entries]


def _choices(form: ReviewForm, parsed: ParsedReport) -> ReviewChoices:
    published = form.published.data
    return ReviewChoices(
        bulk_owners=form.bulk_owners.data or "",
        bulk_deadline=form.bulk_deadline.data or "keep",
        bulk_months=review_items.ascii_number(form.bulk_months.data),
        bulk_due_on=form.bulk_due_on.data,
        new_item_text=form.new_item_text.data or "",
        count_from=form.count_from.data,
        publication_date=published or parsed.publication_date,
        month_only=published is None and parsed.date_precision == "month",
        default_months=parsed.deadline_months,
        parsed_numbers=tuple(item.number for item in parsed.recommendations),
        passed_over=parsed.passed_over,
    )


def _mark(form: ReviewForm, problems: list[Problem]) -> list[dict]:
    """Put each problem on its field (so the field shows it) and list it for the error summary."""
    summary = []
    for problem in problems:
        field = getattr(form.items.entries[problem.position].form, problem.field)
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(problem.message)
        anchor = f"{field.id}-day" if problem.field == "due_on" else field.id
        summary.append({"text": problem.message, "href": f"#{anchor}"})
    return summary


def _render_review(
    organisation: Organisation,
    form: ReviewForm,
    source: ReviewSource,
    staged: StagedUpload,
    status: int = 200,
    problem: str | None = None,
    checks: list[dict] | None = None,
    past_deadlines: bool = False,
    title: str = "Check before saving",
):
    roles = queries.organisation_roles(organisation)
    items = _items_from(form)
    owner_matches = {}
    for item in items:
        for phrase in item.owners:
            match = review_items.suggest_role(phrase, roles)
            owner_matches[phrase] = (match[0].name, match[1]) if match else None
    if past_deadlines and form.count_from.data is None and not form.count_from.errors:
        form.count_from.data, form.count_from.raw_data = today(), None
    page = render_template(
        "reports/review.html",
        organisation=organisation,
        form=form,
        parsed=source.parsed,
        no_section=source.no_section,
        staged=staged,
        existing=existing_import(organisation, staged.data),
        owner_matches=owner_matches,
        roles=roles,
        problem=problem,
        checks=checks or [],
        checks_title=title,
        checks_can_save=status == 200,
        near_roles=any(match and not match[1] for match in owner_matches.values()),
        past_deadlines=past_deadlines,
        passages=source_passages(source.parsed),
        asked_before=asked_before_review.for_items(
            organisation,
            [item.text for item in items],
            form.published.data or source.parsed.publication_date,
            request.form,
        ),
        warnings=warnings_still_true(source.parsed, items, form.published.data),
        deadlines=item_deadlines(items, _choices(form, source.parsed)),
    )
    return _compact(page), status


_KEEP_AS_IS = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.DOTALL)
_INDENTED_LINES = re.compile(r"\n\s+")


def _compact(html: str) -> str:
    """Drop the indentation the form macros leave (a third of the review page at 40 items),
    outside <pre> and <textarea>, whose white space is content."""
    pieces = _KEEP_AS_IS.split(html)
    # split() with two groups gives [text, whole match, tag name, text, ...]
    return "".join(
        piece if index % 3 == 1 else ("" if index % 3 == 2 else _INDENTED_LINES.sub("\n", piece))
        for index, piece in enumerate(pieces)
    )


@bp.post("/organisations/<slug>/reports/review")
@for_organisation(Capability.IMPORT_REPORT)
def review(organisation: Organisation):
    """Apply an editing operation (split, merge, bulk changes, ...), or check and save."""
    form = ReviewForm()
    try:
        staged = imports.load_staged(form.upload.data or "")
        source = review_items.read_for_review(staged)
    except (ServiceError, ReportReadError) as error:
        flash(str(error), "error")
        return redirect(url_for("reports.upload", slug=organisation.slug))
    if not form.validate_on_submit():
        return _render_review(organisation, form, source, staged, 400)
    outcome = take_step(
        organisation,
        request.form.get("operation", "confirm"),
        _items_from(form),
        _choices(form, source.parsed),
        roles=queries.organisation_roles(organisation),
        today=today(),
        checking=bool(request.form.get("checking")),
        reviewed=replace(
            source.parsed,
            service=form.service.data or None,
            inspectorate=form.inspectorate.data or None,
            inspection_type=form.inspection_type.data or None,
            overall_rating=form.overall_rating.data or None,
        ),
        staged=staged,
        published=form.published.data,
        actor=current_user,
        after_save=lambda report: asked_before_review.record_decisions(report, request.form, actor=current_user),
    )
    if outcome.duplicate is not None:
        flash(outcome.problem, "info")
        return redirect(url_for("reports.show", report_id=outcome.duplicate.id))
    if outcome.report is not None:
        db.session.commit()
        flash(f"Saved: {len(outcome.report.recommendations)} recommendations, each with an action.", "success")
        return redirect(url_for("reports.show", report_id=outcome.report.id))
    if outcome.edited:
        _fill_items(form, outcome.items)
    if outcome.field_error is not None:
        name, message = outcome.field_error
        field = getattr(form, name)
        field.errors = [*field.errors, message]
        anchor = f"{field.id}-day" if field.type == "DayMonthYearField" else field.id
        checks, title = [{"text": message, "href": f"#{anchor}"}], "There is a problem"
    else:
        checks, title = _mark(form, outcome.problems), "Check before saving"
    return _render_review(
        organisation,
        form,
        source,
        staged,
        outcome.status,
        problem=outcome.problem,
        checks=checks,
        title=title,
        past_deadlines=outcome.past_deadlines,
    )


@bp.get("/reports/<int:report_id>")
@for_report(Capability.VIEW)
def show(report: Report):
    return render_template(
        "reports/show.html", report=report, organisation=report.organisation, actions=queries.report_actions(report)
    )
