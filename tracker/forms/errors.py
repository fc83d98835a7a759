"""Putting a service's refusal on the form field it is about, as the GOV.UK error pattern asks."""

from __future__ import annotations

from wtforms import Field, Form

from ..services import ServiceError


def add_service_error(form: Form, error: ServiceError, default: Field) -> None:
    """Show `error` on the field it names (`error.field`), or on `default` when it names none the
    form has. The error summary then links to that field, and the field is marked."""
    field = getattr(form, error.field, None) if error.field else None
    if not isinstance(field, Field):
        field = default
    if not isinstance(field.errors, list):  # WTForms leaves a tuple on a field it never validated
        field.errors = list(field.errors)
    field.errors.append(str(error))
