"""Re-tagging a recommendation's themes by hand (oversight users and managers), audited.

A chosen tagging replaces the keyword classifier's for that recommendation and is kept when
the keywords change (its rows are marked `manual`)."""

from __future__ import annotations

from sqlalchemy import delete, select

from tracker.extensions import db
from tracker.models import Recommendation
from tracker.models.board import RecommendationTheme
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor
from tracker.services.board.theme_classifier import MANUAL, OTHER, THEMES_BY_SLUG, classify


def current_themes(recommendation: Recommendation) -> list[str]:
    kept = list(
        db.session.scalars(
            select(RecommendationTheme.theme)
            .where(RecommendationTheme.recommendation_id == recommendation.id)
            .order_by(RecommendationTheme.theme)
        )
    )
    return kept or [theme.slug for theme in classify(recommendation.text)]


def retag(recommendation: Recommendation, slugs: list[str], *, actor: Actor) -> list[str]:
    chosen = sorted({slug for slug in slugs if slug in THEMES_BY_SLUG})
    if not chosen:
        raise ServiceError("Choose at least one theme (\u201cOther\u201d if none fits).")
    if len(chosen) != len(set(slugs)):
        raise ServiceError("Choose themes from the list.")
    if OTHER.slug in chosen and len(chosen) > 1:
        raise ServiceError("\u201cOther\u201d is for a recommendation that fits no other theme: choose it alone.")
    before = current_themes(recommendation)
    if before == chosen:
        raise ServiceError("These are already its themes.")
    db.session.execute(delete(RecommendationTheme).where(RecommendationTheme.recommendation_id == recommendation.id))
    db.session.add_all(
        [RecommendationTheme(recommendation_id=recommendation.id, theme=slug, classifier=MANUAL) for slug in chosen]
    )
    db.session.flush()
    audit.record(
        "recommendation.themes_changed",
        recommendation,
        actor=actor,
        organisation_id=recommendation.report.organisation_id,
        before={"themes": before},
        after={"themes": chosen},
    )
    return chosen
