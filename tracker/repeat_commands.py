"""`flask tracker repeats`: each recommendation of a report with its best earlier matches."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .cli_common import fail as _fail
from .extensions import db
from .models import Report
from .services import ServiceError
from .services.asked_before.links import earlier_recommendations, suggest
from .services.people import organisations


def repeats_data(report: Report) -> dict:
    """The JSON the command prints: every recommendation, its matches best first (scores 0 to 1)."""
    earlier = earlier_recommendations(report.organisation_id, report)
    matches = suggest([item.text for item in report.recommendations], earlier)
    return {
        "recommendations": [
            {
                "id": item.id,
                "number": item.number,
                "text": item.text,
                "matches": [
                    {
                        "recommendation_id": found.earlier.id,
                        "report_id": found.earlier.report_id,
                        "number": found.earlier.number,
                        "text": found.earlier.text,
                        "score": found.score,
                    }
                    for found in found_for_item
                ],
            }
            for item, found_for_item in zip(report.recommendations, matches, strict=True)
        ]
    }


@click.command("repeats")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option(
    "--report",
    "report_id",
    type=click.IntRange(1, 2**31 - 1),
    help="The report's id (default: the organisation's latest report).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def repeats(slug: str, report_id: int | None, as_json: bool) -> None:
    """Show which recommendations of a report were asked before, by earlier reports of the same
    organisation, with how close each match is (0 to 1). Reads only; links nothing."""
    try:
        organisation = organisations.organisation_by_slug(slug)
    except ServiceError as error:
        _fail(str(error))
    if report_id is not None:
        report = db.session.get(Report, report_id)
        if report is None or report.organisation_id != organisation.id:
            _fail(f"{organisation.name} has no report {report_id}.")
    else:
        report = db.session.scalar(
            select(Report)
            .filter_by(organisation_id=organisation.id)
            .order_by(Report.publication_date.desc(), Report.id.desc())
            .limit(1)
        )
        if report is None:
            _fail(f"{organisation.name} has no reports yet.")
    data = repeats_data(report)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{report.title}: {len(data['recommendations'])} recommendations.")
    for item in data["recommendations"]:
        click.echo(f"\n{item['number']}. {item['text']}")
        if not item["matches"]:
            click.echo("   No earlier recommendation is close.")
        for match in item["matches"]:
            earlier = db.session.get(Report, match["report_id"])
            click.echo(
                f"   {match['score']:.2f}  {earlier.short_name}, recommendation {match['number']}: {match['text']}"
            )
