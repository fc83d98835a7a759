"""Re-tag a recommendation's themes: managers, and oversight users in the organisations their grant reads."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Recommendation
from ..permissions import Capability, can, for_recommendation
from ..services import ServiceError
from ..services.board import theme_tags
from ..services.board.theme_classifier import OTHER, THEMES

bp = Blueprint("theme_tags", __name__)


@bp.app_context_processor
def retag_helpers() -> dict:
    def may_retag(recommendation: Recommendation) -> bool:
        return can(Capability.RETAG_THEMES, recommendation.report.organisation_id)

    return {"may_retag": may_retag}


@bp.route("/recommendations/<int:recommendation_id>/themes", methods=["GET", "POST"])
@for_recommendation(Capability.VIEW)
def edit(recommendation: Recommendation):
    if not can(Capability.RETAG_THEMES, recommendation.report.organisation_id):
        abort(403)
    error = None
    if request.method == "POST":
        try:
            chosen = theme_tags.retag(recommendation, request.form.getlist("themes")[:20], actor=current_user)
        except ServiceError as problem:
            db.session.rollback()
            error = str(problem)
        else:
            db.session.commit()
            flash(f"Themes saved: {', '.join(chosen)}.", "success")
            return redirect(url_for("theme_tags.edit", recommendation_id=recommendation.id))
    selected = request.form.getlist("themes") if error else theme_tags.current_themes(recommendation)
    return render_template(
        "themes/retag.html",
        recommendation=recommendation,
        report=recommendation.report,
        organisation=recommendation.report.organisation,
        themes=(*THEMES, OTHER),
        selected=selected,
        error=error,
    ), 400 if error else 200
