"""Recommendations across reports: recurring themes and search."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from .. import permissions
from ..extensions import db
from ..forms.board import RecommendationSearchForm
from ..inputs import whole_number
from ..page_cache import cached_page
from ..permissions import signed_in
from ..services import queries
from ..services.asked_before.themes import repeated_themes
from ..services.board import theme_classifier, themes

bp = Blueprint("themes", __name__, url_prefix="/themes")


@bp.context_processor
def theme_helpers() -> dict[str, Any]:
    return {"theme_names": {slug: theme.name for slug, theme in theme_classifier.THEMES_BY_SLUG.items()}}


@bp.get("", endpoint="index")
@signed_in
@cached_page(scope=permissions.visible_organisation_ids)
def themes_index():
    visible = permissions.visible_organisation_ids()
    organisations = queries.visible_organisations()
    chosen = next(
        (organisation for organisation in organisations if organisation.slug == request.args.get("organisation")), None
    )
    year = request.args.get("year", "").strip()
    year = whole_number(year, minimum=1000, maximum=9999)
    sort = request.args.get("sort", "")
    overview = themes.theme_overview(visible, organisation_id=chosen.id if chosen else None, year=year, sort=sort)
    db.session.commit()  # keeps the themes worked out for recommendations seen for the first time
    return render_template(
        "themes/index.html",
        themes=overview,
        search_form=RecommendationSearchForm(request.args),
        keywords=theme_classifier.THEMES,
        organisations=organisations,
        chosen=chosen,
        year=year,
        sort=sort,
        repeat_themes=repeated_themes(visible, chosen.id if chosen else None),
    )


def _search_text(form: RecommendationSearchForm) -> str:
    # PostgreSQL refuses NUL characters in text; nobody searches for them.
    return (form.q.data or "").replace("\x00", "").strip()[:200]


@bp.get("/search")
@signed_in
def search():
    form = RecommendationSearchForm(request.args)
    text = _search_text(form)
    results = themes.search_recommendations(permissions.visible_organisation_ids(), text=text) if text else None
    return render_template("themes/search.html", form=form, text=text, results=results)


@bp.get("/<theme_slug>")
@signed_in
def show(theme_slug: str):
    theme = theme_classifier.THEMES_BY_SLUG.get(theme_slug)
    if theme is None:
        abort(404)
    form = RecommendationSearchForm(request.args)
    text = _search_text(form)
    results = themes.search_recommendations(permissions.visible_organisation_ids(), text=text, theme=theme)
    db.session.commit()  # keeps the themes worked out for recommendations seen for the first time
    return render_template("themes/show.html", theme=theme, form=form, text=text, results=results)
