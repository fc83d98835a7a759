"""What every `flask tracker` command module shares, kept apart from `cli` so that command
modules can use it without importing the group that registers them."""

from __future__ import annotations

import sys

import click

from .extensions import db

CLI_ACTOR = "command line"


def fail(message: str, code: int = 1) -> None:
    """Stop the command: nothing is saved, `message` goes to stderr, and the exit code is `code`."""
    db.session.rollback()
    click.echo(message, err=True)
    sys.exit(code)
