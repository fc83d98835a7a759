"""Recurring themes across reports: searching and counting recommendations by theme.

The themes of each recommendation come from the keyword rule in `theme_classifier` and are kept
in the database (RecommendationTheme) so they can be counted across 100,000 recommendations;
when the rule's FINGERPRINT changes, the kept themes are worked out again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, delete, func, or_, select, true
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Action, Organisation, Recommendation, Report, Status
from tracker.models.board import RecommendationTheme
from tracker.services.board import theme_classifier
from tracker.services.board.theme_classifier import MANUAL, OTHER, Theme, matched_keywords

SEARCH_LIMIT = 300


def _not_verified_sql():
    """A recommendation is outstanding until every one of its actions is verified or withdrawn."""
    return Recommendation.id.in_(select(Action.recommendation_id).where(Action.status.not_in(Status.FINISHED)))


def _visible(statement, organisation_ids: list[int] | None):
    return statement if organisation_ids is None else statement.where(Report.organisation_id.in_(organisation_ids))


def remember_themes(organisation_ids: list[int] | None) -> int:
    """Work out and keep the themes of the visible recommendations that have none kept with
    today's keywords; returns how many were worked out. After the first visit (or a change of
    keywords) this costs two quick queries and writes nothing."""
    kept = db.session.execute(
        select(func.min(RecommendationTheme.classifier), func.max(RecommendationTheme.classifier)).where(
            RecommendationTheme.classifier != MANUAL
        )
    ).one()
    if kept != (None, None) and kept != (theme_classifier.FINGERPRINT, theme_classifier.FINGERPRINT):
        # Themes a person chose (services/board/theme_tags.py) stay whatever the keywords.
        db.session.execute(
            delete(RecommendationTheme).where(
                RecommendationTheme.classifier.not_in((theme_classifier.FINGERPRINT, MANUAL))
            )
        )
    missing = _visible(
        select(Recommendation.id, Recommendation.text)
        .join(Report, Report.id == Recommendation.report_id)
        .where(
            ~select(RecommendationTheme.recommendation_id)
            .where(RecommendationTheme.recommendation_id == Recommendation.id)
            .exists()
        ),
        organisation_ids,
    )
    rows = [
        {"recommendation_id": recommendation_id, "theme": theme.slug, "classifier": theme_classifier.FINGERPRINT}
        for recommendation_id, text in db.session.execute(missing)
        for theme in theme_classifier.classify(text)
    ]
    if rows:
        # Two first visits at once both work the same themes out; the second's rows are dropped.
        dialect = db.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(insert(RecommendationTheme).on_conflict_do_nothing(), rows)
    return len({row["recommendation_id"] for row in rows})


@dataclass(frozen=True)
class ThemeCount:
    theme: Theme
    recommendations: int
    outstanding: int
    organisations: list[tuple[Organisation, int]]  # organisations with outstanding ones, and how many
    recurring_in: list[Organisation]  # organisations where it appears in 2+ reports


def theme_overview(
    organisation_ids: list[int] | None, *, organisation_id: int | None = None, year: int | None = None, sort: str = ""
) -> list[ThemeCount]:
    """Per theme: how many recommendations, how many outstanding and where, and where it recurs
    across inspections. One grouped query over the kept themes. Optionally only one
    organisation's, or reports published in one year; sorted by name, recommendations or
    outstanding (most first), or in the usual order."""
    remember_themes(organisation_ids)
    if organisation_id is not None:
        organisation_ids = [id_ for id_ in (organisation_ids or [organisation_id]) if id_ == organisation_id]
    per_recommendation = _visible(
        select(
            Report.organisation_id.label("organisation_id"),
            Recommendation.report_id.label("report_id"),
            case((_not_verified_sql(), 1), else_=0).label("outstanding"),
            RecommendationTheme.theme.label("theme"),
        )
        .join(Report, Report.id == Recommendation.report_id)
        .join(RecommendationTheme, RecommendationTheme.recommendation_id == Recommendation.id)
        .where(Report.publication_date.between(date(year, 1, 1), date(year, 12, 31)) if year else true()),
        organisation_ids,
    ).subquery()
    columns = per_recommendation.c
    rows = db.session.execute(
        select(columns.organisation_id, columns.report_id, columns.outstanding, columns.theme, func.count()).group_by(
            columns.organisation_id, columns.report_id, columns.outstanding, columns.theme
        )
    ).all()
    organisations = {
        organisation.id: organisation
        for organisation in db.session.scalars(
            select(Organisation).where(Organisation.id.in_({row[0] for row in rows}))
        )
    }
    by_theme: dict[str, list] = defaultdict(list)
    for organisation_id, report_id, is_outstanding, theme, count in rows:
        by_theme[theme].append((organisation_id, report_id, is_outstanding, count))

    result = []
    for theme in (*theme_classifier.THEMES, OTHER):
        total = outstanding = 0
        outstanding_by_organisation: dict[int, int] = defaultdict(int)
        reports_by_organisation: dict[int, set[int]] = defaultdict(set)
        for organisation_id, report_id, is_outstanding, count in by_theme[theme.slug]:
            total += count
            reports_by_organisation[organisation_id].add(report_id)
            if is_outstanding:
                outstanding += count
                outstanding_by_organisation[organisation_id] += count
        result.append(
            ThemeCount(
                theme=theme,
                recommendations=total,
                outstanding=outstanding,
                organisations=sorted(
                    ((organisations[id_], count) for id_, count in outstanding_by_organisation.items()),
                    key=lambda pair: (-pair[1], pair[0].name),
                ),
                recurring_in=sorted(
                    (organisations[id_] for id_, reports in reports_by_organisation.items() if len(reports) > 1),
                    key=lambda organisation: organisation.name,
                ),
            )
        )
    if sort == "name":
        result.sort(key=lambda count: count.theme.name)
    elif sort in ("recommendations", "outstanding"):
        result.sort(key=lambda count: (-getattr(count, sort), count.theme.name))
    return result


@dataclass(frozen=True)
class FoundRecommendation:
    recommendation: Recommendation
    themes: dict[str, list[str]]  # theme slug -> the keywords that put it there
    outstanding: bool

    @property
    def status_counts(self) -> list[tuple[Status, int]]:
        counts: dict[Status, int] = defaultdict(int)
        for action in self.recommendation.actions:
            counts[action.status] += 1
        return [(status, counts[status]) for status in Status if counts[status]]


@dataclass(frozen=True)
class OrganisationRecommendations:
    """One organisation's matches: its latest inspection beside earlier ones still not verified."""

    organisation: Organisation
    latest_report: Report | None
    latest: list[FoundRecommendation]
    earlier_outstanding: list[FoundRecommendation]


@dataclass(frozen=True)
class RecommendationSearch:
    groups: list[OrganisationRecommendations]
    found: int
    shown: int


def search_recommendations(
    organisation_ids: list[int] | None,
    *,
    text: str = "",
    theme: Theme | None = None,
    limit: int = SEARCH_LIMIT,
) -> RecommendationSearch:
    """Recommendations matching `text` and/or `theme` across the visible organisations, grouped
    by organisation; from earlier inspections only those not yet verified are kept, shown beside
    the latest inspection's."""
    latest_reports = _latest_report_ids(organisation_ids)
    conditions = [or_(Recommendation.report_id.in_(latest_reports.values()), _not_verified_sql())]
    if text.strip():
        conditions.append(func.lower(Recommendation.text).contains(text.strip().lower(), autoescape=True))
    if theme is not None:
        remember_themes(organisation_ids)
        conditions.append(
            Recommendation.id.in_(
                select(RecommendationTheme.recommendation_id).where(RecommendationTheme.theme == theme.slug)
            )
        )
    statement = _visible(
        select(Recommendation).join(Report, Report.id == Recommendation.report_id).where(*conditions),
        organisation_ids,
    )
    found = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    recommendations = list(
        db.session.scalars(
            statement.options(
                selectinload(Recommendation.report).selectinload(Report.organisation),
                selectinload(Recommendation.actions),
            )
            .order_by(Report.organisation_id, Report.publication_date.desc(), Report.id.desc(), Recommendation.position)
            .limit(limit)
        )
    )
    latest_ids = set(latest_reports.values())
    groups: dict[int, OrganisationRecommendations] = {}
    for recommendation in recommendations:
        report = recommendation.report
        group = groups.get(report.organisation_id)
        if group is None:
            group = groups[report.organisation_id] = OrganisationRecommendations(report.organisation, None, [], [])
        item = FoundRecommendation(
            recommendation,
            matched_keywords(recommendation.text),
            outstanding=any(action.status not in Status.FINISHED for action in recommendation.actions),
        )
        if report.id in latest_ids:
            group.latest.append(item)
        else:
            group.earlier_outstanding.append(item)
    result = []
    for group in sorted(groups.values(), key=lambda group: group.organisation.name):
        latest_report = next((item.recommendation.report for item in group.latest), None)
        result.append(
            OrganisationRecommendations(group.organisation, latest_report, group.latest, group.earlier_outstanding)
        )
    return RecommendationSearch(groups=result, found=found, shown=len(recommendations))


def _latest_report_ids(organisation_ids: list[int] | None) -> dict[int, int]:
    """Each visible organisation's most recent report (by publication date, then import)."""
    ranked = _visible(
        select(
            Report.organisation_id.label("organisation_id"),
            Report.id.label("report_id"),
            func.row_number()
            .over(
                partition_by=Report.organisation_id,
                order_by=(Report.publication_date.desc().nulls_last(), Report.imported_at.desc(), Report.id.desc()),
            )
            .label("rank"),
        ),
        organisation_ids,
    ).subquery()
    return dict(
        db.session.execute(select(ranked.c.organisation_id, ranked.c.report_id).where(ranked.c.rank == 1))
        .tuples()
        .all()
    )
