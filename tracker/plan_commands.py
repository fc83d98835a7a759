"""`flask tracker import-plan` and `export-plan`: the plan importer from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from . import clock
from .cli_common import CLI_ACTOR
from .cli_common import fail as _fail
from .extensions import db
from .models import Report
from .plans import KINDS, MAX_FILE_BYTES, PlanReadError
from .services import ServiceError
from .services.imports.plan_import import Preview, preview_plan, save_plan
from .services.imports.plan_matching import NEW_ROLE
from .services.people import organisations


def preview_lines(preview: Preview) -> list[str]:
    """The preview as plain text: what will be created, and each row's problems beside it."""
    plan = preview.plan
    lines = [
        f"Sheet \u201c{plan.sheet_name}\u201d, header on row {plan.header_line}.",
        "Columns: "
        + "; ".join(f"{column.heading or '(no heading)'} = {KINDS[column.kind]}" for column in plan.columns),
    ]
    if preview.report is not None:
        lines.append(f"Linked to the report \u201c{preview.report.title}\u201d.")
    for item in plan.recommendations:
        due = preview.due_on.get(item.number)
        lines.append(f"\nRecommendation {item.number}: {item.text}" + (f" (deadline {due:%d/%m/%Y})" if due else ""))
        if (match := preview.match_details.get(item.number)) is not None:
            lines.append(f"  Goes under the report's recommendation {match.recommendation.number}: {match.described}.")
        for row in item.rows:
            owners = "; ".join(preview.owners[phrase].described for phrase in row.owners) or "no owner"
            number = preview.step_numbers.get(row.line)
            what = (
                (f"Step {number}: {row.step}" if number else f"Step: {row.step}")
                if row.step
                else "The recommendation itself"
            )
            deadline = preview.step_due_on.get(row.line) or row.deadline
            lines.append(
                f"  Row {row.line}. {what} [{owners}] {row.status.replace('_', ' ')}"
                + (f", {row.flag.replace('_', ' ')}" if row.flag else "")
                + (f", due {deadline:%d/%m/%Y}" if deadline else "")
            )
            if row.update:
                lines.append(
                    f"    Latest update ({row.update_on:%d/%m/%Y}): {row.update}"
                    if row.update_on
                    else f"    Latest update: {row.update}"
                )
            lines += [f"    Note: {note}" for note in row.notes]
            lines += [f"    PROBLEM: {problem}" for problem in row.problems]
    orphans = [row for row in plan.rows if not row.number]
    for row in orphans:
        lines += [f"Row {row.line}. PROBLEM: {problem}" for problem in row.problems]
    lines += [f"Note: {note}" for note in preview.shared_notes]
    if preview.new_roles:
        lines.append("\nNew roles: " + "; ".join(preview.new_roles))
    if unmatched := preview.unmatched_owners:
        lines.append(
            "\nOwners that are none of your roles: "
            + "; ".join(match.phrase for match in unmatched)
            + ". Give the role to someone first (set-role-holder), or use --create-roles."
        )
    lines.append(
        f"\n{len(plan.recommendations)} recommendations, {len(plan.rows)} rows, "
        f"{len(preview.refused_rows)} with problems."
    )
    return lines


@click.command("import-plan")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--report", "report_id", type=int, help="Link the plan to this imported report (its id).")
@click.option("--sheet", help="The sheet to read (by default the one named like a plan, else the first).")
@click.option("--skip-refused", is_flag=True, help="Save the rows without problems and skip the others.")
@click.option("--create-roles", is_flag=True, help="Create a new role for each owner that is none of your roles.")
@click.option("--dry-run", is_flag=True, help="Print the preview and save nothing.")
def import_plan(
    file: Path,
    slug: str,
    report_id: int | None,
    sheet: str | None,
    skip_refused: bool,
    create_roles: bool,
    dry_run: bool,
) -> None:
    """Import an existing action plan (.xlsx, .xls or .csv) with the guessed column mapping."""
    try:
        organisation = organisations.organisation_by_slug(slug)
        report = None
        if report_id is not None:
            report = db.session.get(Report, report_id)
            if report is None or report.organisation_id != organisation.id:
                raise ServiceError(f"Report {report_id} is not one of {organisation.name}'s reports.")
        if file.stat().st_size > MAX_FILE_BYTES:
            raise PlanReadError(f"The file is larger than {MAX_FILE_BYTES // 1048576} MB, the limit for a plan.")
        data = file.read_bytes()
        preview = preview_plan(organisation, data, file.name, clock.today(), sheet=sheet, report=report)
        if create_roles and preview.unmatched_owners:
            preview = preview_plan(
                organisation,
                data,
                file.name,
                clock.today(),
                sheet=sheet,
                report=report,
                owner_choices={match.key: NEW_ROLE for match in preview.unmatched_owners},
            )
    except PlanReadError as error:
        _fail(f"{file}: {error}", code=2)
    except OSError as error:
        _fail(f"{file}: cannot read the file: {error.strerror}", code=2)
    except ServiceError as error:
        _fail(str(error))
    for line in preview_lines(preview):
        click.echo(line)
    if preview.imported_before:
        _fail(preview.imported_before)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was saved.")
        return
    try:
        report = save_plan(preview, actor=CLI_ACTOR, skip_refused=skip_refused)
    except ServiceError as error:
        _fail(str(error) + ("" if skip_refused else " Use --skip-refused to save the other rows."))
    db.session.commit()
    click.echo(f"Saved the plan under report {report.id}.")


@click.command("export-plan")
@with_appcontext
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--report", "report_id", type=int, help="Only this report's recommendations.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .xlsx file to write.")
def export_plan(slug: str, report_id: int | None, out: Path) -> None:
    """Write the plan in the shape import-plan reads back. Reads only; saves nothing."""
    from .exports.plan import plan_xlsx
    from .services.imports.plan_export import plan_rows

    try:
        organisation = organisations.organisation_by_slug(slug)
    except ServiceError as error:
        _fail(str(error))
    report = db.session.get(Report, report_id) if report_id else None
    if report_id and (report is None or report.organisation_id != organisation.id):
        _fail(f"Report {report_id} is not one of {organisation.name}'s reports.")
    out.write_bytes(plan_xlsx(f"{organisation.name}: action plan", plan_rows(organisation, report)))
    click.echo(f"Wrote the plan for {organisation.name} to {out}.")
