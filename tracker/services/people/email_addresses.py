"""The one rule for a valid email address, used by every form, command and service.

An address is valid when `email-validator` accepts it without looking the domain up: a
syntactically valid address whose domain is not reserved for testing or private use (".test",
".invalid", ".localhost" and the like are refused, because mail to them never arrives).
The sign-in form, the People page, the command line and single sign-on all use this, so an
address that can be given access can always sign in.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError

from tracker.services import ServiceError


class InvalidEmail(ServiceError):
    pass


def normalise_email(value: str | None) -> str:
    """The address in its stored form (lower case), or InvalidEmail saying what is wrong."""
    value = (value or "").strip()
    if not value:
        raise InvalidEmail("Enter an email address")
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(f"Enter an email address in the correct format, like name@example.org ({error})") from error
    return checked.normalized.lower()


class EmailAddress:
    """A WTForms validator applying the same rule."""

    def __init__(self, message: str = "Enter an email address in the correct format, like name@example.org") -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            normalise_email(field.data)
        except InvalidEmail:
            raise ValidationError(self.message) from None
