from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from ..services.people.email_addresses import EmailAddress


def email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label, widget=GovTextInput(), validators=[DataRequired("Enter your email address"), EmailAddress()]
    )


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[InputRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def _new_password() -> PasswordField:
    return PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Enter a new password"),
            Length(min=12, max=200, message="Use at least 12 characters"),
        ],
    )


def _confirm() -> PasswordField:
    return PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter the new password again"), EqualTo("password", "The passwords do not match")],
    )


class ChoosePasswordForm(FlaskForm):
    """From an invitation or a password reset link: the link itself proves who it is."""

    password = _new_password()
    confirm = _confirm()
    submit = SubmitField("Save password", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    """On the account page: the current password is asked for (see views/auth.py for when a
    fresh sign-in stands in for it)."""

    current_password = PasswordField("Current password", widget=GovPasswordInput())
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class ApiTokenForm(FlaskForm):
    name = StringField(
        "What is the token for?",
        widget=GovTextInput(),
        validators=[
            InputRequired("Say what the token is for, for example the system that uses it"),
            Length(max=200, message="Use 200 characters or fewer"),
        ],
    )
    days = SelectField(
        "Expires after",
        widget=GovSelect(),
        default="90",
        choices=[SelectChoice(days, f"{days} days") for days in ("30", "90", "180", "365")],
        validate_choice=True,
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())
