"""Forms of the system administrators' page: oversight grants and single sign-on domains."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..services.people.email_addresses import EmailAddress

ALL, LISTED = "all", "listed"


class GrantOversightForm(FlaskForm):
    email = EmailField(
        "Email address of the person",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the email address of the person"), EmailAddress()],
    )
    body = StringField(
        "Oversight body",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the name of the oversight body, like Youth Justice Board"),
            Length(max=200, message="The oversight body's name must be 200 characters or fewer"),
        ],
    )
    scope = RadioField(
        "Which organisations may they read?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(ALL, "Every organisation, including ones added later"),
            SelectChoice(LISTED, "Only the organisations chosen below"),
        ],
        validators=[InputRequired("Choose which organisations they may read")],
    )
    # Choices are the organisations, set by the view; checked by the view against them.
    organisations = SelectMultipleField(
        "Organisations", widget=GovCheckboxesInput(), validate_choice=False, validators=[Optional()]
    )
    submit = SubmitField("Give oversight", widget=GovSubmitInput())


class WithdrawOversightForm(FlaskForm):
    submit = SubmitField("Withdraw", widget=GovSubmitInput())


class SsoDomainsForm(FlaskForm):
    domains = StringField(
        "Email domains accepted for single sign-on",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000, message="Use 2,000 characters or fewer")],
    )
    submit = SubmitField("Save domains", widget=GovSubmitInput())
