"""Correcting a report after import: withdraw it, edit its details, reword a recommendation."""

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from ..forms.decisions import RecommendationTextForm, ReportDetailsForm, WithdrawImportForm
from ..models import Recommendation, Report
from ..permissions import Capability, for_recommendation, for_report
from ..services.imports import corrections as report_admin
from .shared import submit

bp = Blueprint("report_admin", __name__)


@bp.route("/reports/<int:report_id>/withdraw", methods=["GET", "POST"])
@for_report(Capability.IMPORT_REPORT)
def withdraw(report: Report):
    form = WithdrawImportForm()
    return submit(
        form,
        lambda: report_admin.withdraw_import(report, by=current_user, reason=form.reason.data),
        error_field=form.reason,
        success=lambda _: f"\u201c{report.title}\u201d has been withdrawn. It is kept in the audit log.",
        then=lambda _: url_for("reports.index", slug=report.organisation.slug),
        page=lambda: render_template(
            "report_admin/withdraw.html",
            report=report,
            organisation=report.organisation,
            form=form,
            actions=_actions_in(report),
        ),
    )


def _actions_in(report: Report) -> int:
    return sum(len(recommendation.actions) for recommendation in report.recommendations)


def _moved(moves) -> str:
    moved = f" {len(moves)} deadline{'s' if len(moves) != 1 else ''} moved." if moves else ""
    return f"The report\u2019s details have been saved.{moved}"


@bp.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
@for_report(Capability.IMPORT_REPORT)
def edit(report: Report):
    form = ReportDetailsForm(obj=report if not ReportDetailsForm().is_submitted() else None)
    movable = report_admin.counted_from_publication(report)
    count = len(movable)
    form.move_deadlines.label.text = (
        f"Also move the {count} deadline{'s' if count != 1 else ''} still counted from the publication date"
    )
    return submit(
        form,
        lambda: report_admin.edit_details(
            report,
            by=current_user,
            title=form.title.data,
            publication_date=form.publication_date.data,
            move_deadlines=bool(form.move_deadlines.data),
        ),
        error_field=form.title,
        success=_moved,
        then=url_for("reports.show", report_id=report.id),
        page=lambda: render_template(
            "report_admin/edit.html", report=report, organisation=report.organisation, form=form, movable=movable
        ),
    )


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@for_recommendation(Capability.IMPORT_REPORT)
def edit_recommendation(recommendation: Recommendation):
    form = RecommendationTextForm(obj=recommendation if not RecommendationTextForm().is_submitted() else None)
    return submit(
        form,
        lambda: report_admin.edit_recommendation_text(recommendation, by=current_user, text=form.text.data),
        error_field=form.text,
        success="The new wording is saved; the earlier wording is kept below.",
        then=url_for("report_admin.edit_recommendation", recommendation_id=recommendation.id),
        page=lambda: render_template(
            "report_admin/recommendation.html",
            recommendation=recommendation,
            report=recommendation.report,
            organisation=recommendation.report.organisation,
            form=form,
        ),
    )
