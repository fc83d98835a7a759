"""Which themes come back: the themes of recommendations a person confirmed as asked before
by an earlier inspection, and in which organisations (the themes page's "Asked again")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Organisation, RepeatLink, RepeatState
from tracker.models.board import RecommendationTheme
from tracker.services.board.theme_classifier import OTHER, THEMES, Theme


@dataclass(frozen=True)
class RepeatedTheme:
    theme: Theme
    repeats: int
    organisations: list[tuple[Organisation, int]]  # where it came back, and how many times


def repeated_themes(organisation_ids: list[int] | None, organisation_id: int | None = None) -> list[RepeatedTheme]:
    """Themes with at least one confirmed repeat, most repeats first. Call after the themes page
    has worked out the themes (services/themes.remember_themes)."""
    statement = (
        select(
            RecommendationTheme.theme,
            RepeatLink.organisation_id,
            func.count(func.distinct(RepeatLink.recommendation_id)),
        )
        .join(RepeatLink, RepeatLink.recommendation_id == RecommendationTheme.recommendation_id)
        .where(RepeatLink.state == RepeatState.CONFIRMED)
        .group_by(RecommendationTheme.theme, RepeatLink.organisation_id)
    )
    if organisation_ids is not None:
        statement = statement.where(RepeatLink.organisation_id.in_(organisation_ids))
    if organisation_id is not None:
        statement = statement.where(RepeatLink.organisation_id == organisation_id)
    rows = db.session.execute(statement).all()
    organisations = {
        organisation.id: organisation
        for organisation in db.session.scalars(
            select(Organisation).where(Organisation.id.in_({row[1] for row in rows}))
        )
    }
    by_theme: dict[str, list[tuple[Organisation, int]]] = defaultdict(list)
    for theme, organisation, count in rows:
        by_theme[theme].append((organisations[organisation], count))
    found = [
        RepeatedTheme(
            theme,
            sum(count for _, count in by_theme[theme.slug]),
            sorted(by_theme[theme.slug], key=lambda pair: (-pair[1], pair[0].name)),
        )
        for theme in (*THEMES, OTHER)
        if by_theme.get(theme.slug)
    ]
    return sorted(found, key=lambda item: (-item.repeats, item.theme.name))
