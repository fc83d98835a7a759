"""Shapes views share, written once.

`submit`: validate a form, make the change through a service, commit, say so and redirect; or
roll back and show the form again, with the reason, answering 400. `or_404`: an object looked up
within what the user may see, or 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, jsonify, redirect
from flask_wtf import FlaskForm
from wtforms import Field

from ..extensions import db
from ..forms.errors import add_service_error
from ..services import ServiceError, audit_sentences

T = TypeVar("T")


def submit(
    form: FlaskForm,
    change: Callable[[], T],
    *,
    error_field: Field,
    success: str | Callable[[T], str],
    then: str | Callable[[T], str],
    page: Callable[[], Any],
) -> Any:
    """`change` runs only when the form is valid. A ServiceError it raises is shown on
    on the field it names, else on `error_field`; otherwise the transaction commits, `success` is flashed and
    the browser goes to `then` (each may be worked out from what `change` returned). `page` renders the form's
    page; it answers 400 when the form has errors, 200 on a first visit."""
    if form.validate_on_submit():
        try:
            result = change()
        except ServiceError as error:
            db.session.rollback()
            add_service_error(form, error, error_field)  # on the field the refusal names, else error_field
        else:
            db.session.commit()
            flash(success(result) if callable(success) else success, "success")
            return redirect(then(result) if callable(then) else then)
    return page(), 400 if form.errors else 200


def submit_button(form: FlaskForm, change: Callable[[], T], *, success: str | Callable[[T], str], then: str) -> Any:
    """For a form that is only a button (no page of its own): the outcome or the reason is
    flashed, and the browser goes back to `then` either way."""
    if form.validate_on_submit():
        try:
            result = change()
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(success(result) if callable(success) else success, "success")
    elif form.errors:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(then)


def or_404(found: T | None) -> T:
    """The object a lookup found (within the organisation in hand), or 404 Not Found."""
    if found is None:
        abort(404)
    return found


def audit_download(events: list, filename: str, **about: Any) -> Any:
    """Audit events as stored (UTC, before and after values), as a JSON file for an administrator."""
    response = jsonify(**about, events=[audit_sentences.raw_record(event) for event in events])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
