"""The `flask tracker ...` commands. Each one commits once, at the end, or saves nothing."""

from __future__ import annotations

import json
import secrets
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import clock
from .cli_common import CLI_ACTOR
from .cli_common import fail as _fail
from .extensions import db
from .importing import ReportReadError
from .models import MEMBER_LEVELS, AccessLevel
from .plan_commands import export_plan, import_plan
from .repeat_commands import repeats
from .services import ServiceError, demo, handoff_emails, outbox
from .services.asked_before import links as asked_before
from .services.imports.saving import import_report
from .services.people import accounts, organisations
from .services.reminders import run as reminders
from .system_commands import COMMANDS as SYSTEM_COMMANDS
from .untrusted import read_report  # in a child process with hard limits, as the web does

tracker = AppGroup("tracker", help="Manage the recommendation tracker.")


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use the form YYYY-MM-DD", param_hint=option) from None


@tracker.command("create-organisation")
@click.argument("slug")
@click.option("--name", required=True, help="The organisation's full name.")
def create_organisation(slug: str, name: str) -> None:
    """Create an organisation (a YOS or partner body)."""
    try:
        organisation = organisations.create_organisation(slug, name, actor=CLI_ACTOR)
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"Created {organisation.name} ({organisation.slug}).")


@tracker.command("create-user")
@click.argument("email")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option(
    "--access",
    type=click.Choice([level.value for level in MEMBER_LEVELS]),
    required=True,
    help="Oversight is not a level here: see grant-oversight.",
)
@click.option("--name", help="The person's name, as shown to others.")
def create_user(email: str, slug: str, access: str, name: str | None) -> None:
    """Add a user to an organisation.

    The password is read from standard input when one is piped in; otherwise a one-time
    sign-in link is printed, and the user chooses a password after following it.
    """
    password = None
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n") or None
    try:
        organisation = organisations.organisation_by_slug(slug)
        user = organisations.add_user(
            email, organisation=organisation, access=AccessLevel(access), name=name, password=password, actor=CLI_ACTOR
        )
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"{user.email} is now {AccessLevel(access).label.lower()} of {organisation.name}.")
    if password is None:
        hours = current_app.config["SIGN_IN_LINK_HOURS"]
        click.echo(f"One-time sign-in link (valid {hours} hours): {accounts.make_sign_in_link(user)}")


@tracker.command("create-token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. the system that uses it.")
@click.option(
    "--days",
    default=accounts.DEFAULT_TOKEN_DAYS,
    show_default=True,
    type=int,
    help="How many days the token works for.",
)
def create_token(email: str, name: str, days: int) -> None:
    """Print a new API token for a user (shown once; only its hash is kept)."""
    user = organisations.user_by_email(email)
    if user is None:
        _fail(f"There is no user with the email address {email!r}.")
    try:
        token = accounts.create_api_token(user, name=name, actor=CLI_ACTOR, days=days)
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(token)


@tracker.command("list-tokens")
@click.argument("email")
def list_tokens(email: str) -> None:
    """List a user's API tokens that still work: id, name, expiry and last use."""
    user = organisations.user_by_email(email)
    if user is None:
        _fail(f"There is no user with the email address {email!r}.")
    tokens = accounts.api_tokens_of(user)
    for api_token in tokens:
        expires = api_token.expires_at.strftime("%Y-%m-%d %H:%M UTC") if api_token.expires_at else "never"
        used = api_token.last_used_at.strftime("%Y-%m-%d %H:%M UTC") if api_token.last_used_at else "never"
        click.echo(f"{api_token.id}\t{api_token.name or '(no name)'}\texpires {expires}\tlast used {used}")
    if not tokens:
        click.echo(f"{user.email} has no API tokens that work.")


@tracker.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Stop an API token working (its id is shown by list-tokens)."""
    from .models import ApiToken

    api_token = db.session.get(ApiToken, token_id)
    if api_token is None:
        _fail(f"There is no API token with the id {token_id}.")
    accounts.revoke_api_token(api_token, actor=CLI_ACTOR)
    db.session.commit()
    click.echo(f"Token {token_id} ({api_token.name or 'no name'}) of {api_token.user.email} no longer works.")


@tracker.command("set-role-holder")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--role", "role_name", required=True, help="The role's name or any alias, as a report writes it.")
@click.option("--email", required=True, help="The new holder's email address.")
@click.option("--name", help="The holder's name, if they have no account.")
def set_role_holder(slug: str, role_name: str, email: str, name: str | None) -> None:
    """Make someone the holder of a role; its actions and reminders follow them."""
    try:
        organisation = organisations.organisation_by_slug(slug)
        before = organisations.find_role(organisation, role_name)
        previous = before.holder_id if before is not None else None
        role = organisations.set_role_holder(organisation, role_name, email, name=name, actor=CLI_ACTOR)
    except ServiceError as error:
        _fail(str(error))
    welcome = None
    if role.holder_id != previous:
        welcome = handoff_emails.welcome_role_holder(role, given_by="An administrator", today=clock.today())
    db.session.commit()
    outbox.send_registered(actor=CLI_ACTOR)
    click.echo(f"{role.holder.email} now holds {role.name} in {organisation.name}.")
    if welcome is not None:
        click.echo(welcome.sentence(role))


@tracker.command("merge-roles")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.argument("source_name", metavar="FROM")
@click.argument("target_name", metavar="INTO")
def merge_roles(slug: str, source_name: str, target_name: str) -> None:
    """Merge the role FROM into the role INTO (names or aliases): its actions, names, holder follow."""
    from .services.role_merge import merge_roles as merge

    try:
        organisation = organisations.organisation_by_slug(slug)
        source, target = (organisations.find_role(organisation, name) for name in (source_name, target_name))
        for name, role in ((source_name, source), (target_name, target)):
            if role is None:
                raise ServiceError(f"{organisation.name} has no role called {name!r}.")
        plan = merge(source, target, actor=CLI_ACTOR)
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(
        f"Merged {source_name} into {target.name}: {plan.actions} action{'s' if plan.actions != 1 else ''} moved."
    )


@tracker.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def parse(file: Path, as_json: bool) -> None:
    """Read a report and print what would be imported, without saving anything."""
    try:
        parsed = read_report(_read_file(file), file.name)
    except ReportReadError as error:
        _fail(f"{file}: {error}", code=2)
    if as_json:
        click.echo(json.dumps(parsed.to_json_dict(), indent=2, ensure_ascii=False))
        return
    data = parsed.to_json_dict()
    for label, key in (
        ("Service", "service"),
        ("Inspectorate", "inspectorate"),
        ("Inspection", "inspection_type"),
        ("Published", "publication_date"),
        ("Overall rating", "overall_rating"),
        ("Deadline rule", "deadline_rule"),
    ):
        click.echo(f"{label}: {data[key] or 'not found'}")
    for item in data["recommendations"]:
        owners = "; ".join(item["owners"]) or "no owner named"
        click.echo(f"\n{item['number']}. [{owners}] {item['text']}")
    for warning in data["warnings"]:
        click.echo(f"Warning: {warning}", err=True)


def _read_file(file: Path) -> bytes:
    """Read a report from disk, refusing files over the upload limit before reading them."""
    from .importing import MAX_UPLOAD_BYTES

    try:
        size = file.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise ReportReadError(f"The file is {size // 1048576} MB; the limit is {MAX_UPLOAD_BYTES // 1048576} MB.")
        return file.read_bytes()
    except OSError as error:
        raise ReportReadError(f"Cannot read the file: {error.strerror}") from error


@tracker.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--published", help="The day it was published (YYYY-MM-DD), if the report gives only a month or none.")
def import_(file: Path, slug: str, published: str | None) -> None:
    """Import a report in one transaction and print the new report's id."""
    published_on = _parse_day(published, "--published")
    try:
        data = _read_file(file)
        parsed = read_report(data, file.name)
        organisation = organisations.organisation_by_slug(slug)
        report = import_report(
            organisation, parsed, source=data, filename=file.name, published=published_on, actor=CLI_ACTOR
        )
        asked_before.suggest_for_report(report, CLI_ACTOR)  # suggestions only: a person confirms them
    except ReportReadError as error:
        _fail(f"{file}: {error}", code=2)
    except ServiceError as error:
        hint = " Give it with --published YYYY-MM-DD." if "when it was published" in str(error) else ""
        _fail(f"{error}{hint}")
    db.session.commit()
    click.echo(report.id)


@tracker.command("send-reminders")
@click.option("--today", help="Run as if today were this date (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Say what would be queued; queue and send nothing.")
def send_reminders(today: str | None, dry_run: bool) -> None:
    """One reminder run: queue what is due in the outbox, then send the outbox.

    Safe to run at any time, also while the scheduler runs: nothing is queued or sent twice.
    """
    run_date = _parse_day(today, "--today") or clock.today()
    if dry_run:
        result = reminders.send_reminders(run_date, dry_run=True, actor=CLI_ACTOR)
    else:
        # Recorded like the scheduler's runs, so the Emails page knows reminders are going.
        from . import jobs

        outcome: list[reminders.RunResult] = []

        def run() -> str:
            outcome.append(reminders.send_reminders(run_date, actor=CLI_ACTOR))
            return outcome[0].describe() + f" (command line, as of {run_date.isoformat()})"

        jobs.run_and_record(jobs.SEND_DUE_REMINDERS, run, run_by="command line")
        result = outcome[0]
    prefix = "Dry run: would queue" if dry_run else "Queued"
    notes = [f"{result.retrying} failed for now and will be retried"] if result.retrying else []
    notes += [f"{result.cancelled} queued earlier were no longer needed"] if result.cancelled else []
    click.echo(
        f"{prefix} {result.queued}, sent {result.sent}, failed {result.failed}, "
        f"skipped {result.skipped} ({run_date.isoformat()}){''.join('; ' + note for note in notes)}."
    )
    if result.unheard:
        click.echo(
            f"{len(result.unheard)} action{'s' if len(result.unheard) != 1 else ''} had a reminder due "
            "that nobody will get: give their owner roles a holder or a deputy on the Roles page."
        )
        for line in result.unheard:
            click.echo(f"  - {line}")


@tracker.command("scheduler")
def scheduler() -> None:
    """Run the scheduler: daily reminders and outbox delivery. Run exactly one, as its own process."""
    import logging

    from . import jobs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    jobs.run_scheduler(current_app._get_current_object())


@tracker.command("seed-demo")
@click.option("--organisations", "organisation_count", default=1, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--reports",
    "reports_per_organisation",
    default=1,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Reports per organisation.",
)
@click.option("--actions-per-report", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option(
    "--updates-per-action",
    default=5,
    show_default=True,
    type=click.IntRange(0, 50),
    help="For the synthetic organisations.",
)
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has organisations.")
@click.option(
    "--credentials-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the sign-in details (default: instance/demo-sign-in.txt).",
)
def seed_demo(
    organisation_count: int,
    reports_per_organisation: int,
    actions_per_report: int,
    updates_per_action: int,
    if_empty: bool,
    credentials_file: Path | None,
) -> None:
    """Load demo data: a YOS with a report, roles, users and updates (or many, for benchmarks)."""
    credentials = credentials_file or Path(current_app.instance_path) / "demo-sign-in.txt"
    if if_empty and not demo.database_is_empty():
        click.echo("The database already has data; demo data not loaded.")
        if credentials.exists():
            click.echo(credentials.read_text())
        return
    password = secrets.token_urlsafe(12)
    summary = demo.seed(
        organisations=organisation_count,
        reports=reports_per_organisation,
        actions_per_report=actions_per_report,
        updates_per_action=updates_per_action,
        password=password,
        today=clock.today(),
    )
    db.session.commit()
    click.echo(summary)
    details = demo.sign_in_details(password)
    credentials.write_text(details)
    credentials.chmod(0o600)
    click.echo(details)


@tracker.command("board-pack")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["pdf", "xlsx", "csv"]),
    required=True,
    help="pdf: to read or print; xlsx: sheets with filters; csv: every action.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file to write.")
def board_pack(slug: str, file_format: str, out: Path) -> None:
    """Write the board pack as of today. Reads only; saves nothing."""
    from .boardpack import WRITERS
    from .services.board.pack import board_pack

    try:
        organisation = organisations.organisation_by_slug(slug)
    except ServiceError as error:
        _fail(str(error))
    content = WRITERS[file_format](board_pack(organisation, clock.today()))
    try:
        out.write_bytes(content)
    except OSError as error:
        _fail(f"Cannot write {out}: {error.strerror}")
    click.echo(f"Wrote the board pack ({file_format}) for {organisation.name} to {out}.")


tracker.add_command(import_plan)
tracker.add_command(export_plan)


from .personal_data_commands import forget_person, person_data, retention  # noqa: E402

tracker.add_command(person_data)
tracker.add_command(forget_person)
tracker.add_command(retention)
for _system_command in SYSTEM_COMMANDS:
    tracker.add_command(_system_command)
tracker.add_command(repeats)
