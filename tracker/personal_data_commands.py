"""`flask tracker person-data`, `forget-person` and `retention`: personal data from the command
line (see docs/data-protection.md)."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from .cli_common import CLI_ACTOR
from .cli_common import fail as _fail
from .extensions import db
from .services import ServiceError
from .services.privacy import forgetting
from .services.privacy import retention as retention_service
from .services.privacy.person_data import person_data as gather


def _person(email: str):
    try:
        return forgetting.person_by_email(email)
    except ServiceError as error:
        _fail(str(error), code=2)


@click.command("person-data")
@click.argument("email")
@with_appcontext
def person_data(email: str) -> None:
    """Print, as JSON, everything held about the person with this email (a subject access
    request), across every organisation. Unknown address: exit 2."""
    user = _person(email)
    click.echo(json.dumps(gather(user), indent=2, ensure_ascii=False))


@click.command("forget-person")
@click.argument("email")
@with_appcontext
def forget_person(email: str) -> None:
    """Remove a person's name, email and sign-in records everywhere, end their sessions and
    tokens, and leave the roles they held unheld. What they did stays, credited to "a former
    member of staff (#id)". Refused for the last administrator of an organisation."""
    user = _person(email)
    try:
        label = forgetting.forget(user, actor=CLI_ACTOR)
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"Forgotten: their records now say \u201c{label}\u201d. They can no longer sign in.")


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@with_appcontext
def retention(dry_run: bool) -> None:
    """Remove personal data that has passed its retention period (config.py), as the
    scheduler does daily, and print what was removed by kind."""
    result = retention_service.apply_retention(dry_run=dry_run, actor=CLI_ACTOR)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in result.lines():
        click.echo(line)
