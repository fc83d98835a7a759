from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..models import MEMBER_LEVELS
from ..services.people.email_addresses import EmailAddress

# Oversight is never offered: it is a grant from a system administrator (forms/system_admin.py).
LEVEL_CHOICES = [SelectChoice(level.value, level.label) for level in MEMBER_LEVELS]


class InviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the person's email address"), EmailAddress()],
    )
    name = StringField("Full name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    level = RadioField(
        "Access level",
        widget=GovRadioInput(),
        choices=LEVEL_CHOICES,
        validators=[InputRequired("Choose an access level")],
        validate_choice=False,
    )  # checked by the service, with a clear message
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class ChangeLevelForm(FlaskForm):
    level = RadioField(
        "Access level",
        widget=GovRadioInput(),
        choices=LEVEL_CHOICES,
        validators=[InputRequired("Choose an access level")],
        validate_choice=False,
    )
    submit = SubmitField("Save access level", widget=GovSubmitInput())


class PartnerLinkForm(FlaskForm):
    contact = SelectField(
        "Send to",
        widget=GovSelect(),
        coerce=str,
        validate_choice=False,
        validators=[DataRequired("Choose who to send the link to")],
    )
    submit = SubmitField("Send an update link", widget=GovSubmitInput())
