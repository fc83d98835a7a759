"""`flask tracker` commands for system administrators: who is one, oversight grants, and which
organisation each single sign-on domain belongs to. The web page (views/system_admin.py) does
the same for someone already made a system administrator here."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .cli_common import CLI_ACTOR
from .cli_common import fail as _fail
from .extensions import db
from .services import ServiceError
from .services.people import accounts, organisations, oversight_grants, sso_domains

COMMANDS: list[click.Command] = []


def _command(name: str):
    def decorator(function):
        command = click.command(name)(with_appcontext(function))
        COMMANDS.append(command)
        return command

    return decorator


def _user(email: str):
    user = organisations.user_by_email(email)
    if user is None:
        _fail(f"There is no account for {email}.")
    return user


@_command("make-system-admin")
@click.argument("email")
@click.option("--remove", is_flag=True, help="Stop them being a system administrator instead.")
def make_system_admin(email: str, remove: bool) -> None:
    """Make an existing user a system administrator (or, with --remove, stop them being one)."""
    user = _user(email)
    changed = oversight_grants.set_system_admin(user, not remove, actor=CLI_ACTOR)
    db.session.commit()
    state = "no longer a system administrator" if remove else "a system administrator"
    click.echo(f"{user.email} is {'now ' if changed else 'already '}{state}.")


@_command("grant-oversight")
@click.argument("email")
@click.option("--body", required=True, help='The oversight body, e.g. "Youth Justice Board".')
@click.option("--all", "every", is_flag=True, help="Every organisation, including ones added later.")
@click.option("--org", "slugs", multiple=True, help="An organisation's slug (repeat for each one).")
@click.option("--name", help="The person's name, if their account is new.")
def grant_oversight(email: str, body: str, every: bool, slugs: tuple[str, ...], name: str | None) -> None:
    """Let a person read organisations for an oversight body: --all, or --org SLUG for each one.

    The account is created if it does not exist yet. A password may be piped in on standard
    input; otherwise a new account without a password gets a one-time sign-in link, printed.
    """
    if every == bool(slugs):
        _fail("Give either --all or at least one --org SLUG.", code=2)
    password = None
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n") or None
    try:
        chosen = None if every else [organisations.organisation_by_slug(slug) for slug in slugs]
        user = oversight_grants.account_for(email, actor=CLI_ACTOR, name=name, password=password)
        made = oversight_grants.grant(user, body=body, organisations=chosen, actor=CLI_ACTOR)
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"{user.email} may now read {made.scope_text} for {made.body_name}.")
    if user.password_hash is None:
        hours = current_app.config["SIGN_IN_LINK_HOURS"]
        click.echo(f"One-time sign-in link (valid {hours} hours): {accounts.make_sign_in_link(user)}")


@_command("withdraw-oversight")
@click.argument("email")
@click.option("--body", help="Only the grant for this oversight body (default: every grant the person holds).")
def withdraw_oversight(email: str, body: str | None) -> None:
    """Withdraw a person's oversight grants."""
    user = _user(email)
    try:
        withdrawn = oversight_grants.withdraw_for(user, body=body, actor=CLI_ACTOR)
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    for item in withdrawn:
        click.echo(f"Withdrawn: {user.email} no longer reads {item.scope_text} for {item.body_name}.")


@_command("set-sso-domains")
@click.argument("slug")
@click.argument("domains", nargs=-1)
@click.option("--none", "clear", is_flag=True, help="Accept no domain (switch single sign-on off here).")
def set_sso_domains(slug: str, domains: tuple[str, ...], clear: bool) -> None:
    """Set the email domains whose single sign-on accounts may sign in to an organisation.
    A domain that belongs to another organisation is refused."""
    if clear == bool(domains):
        _fail("Give the domains, or --none to accept none.", code=2)
    try:
        organisation = organisations.organisation_by_slug(slug)
        parsed = sso_domains.parse_domains(list(domains))
        sso_domains.set_domains(organisation, parsed, actor=CLI_ACTOR)
    except ServiceError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"{organisation.name} accepts single sign-on from: {', '.join(parsed) or 'no domain'}.")
