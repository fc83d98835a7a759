from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from ..services.people.email_addresses import EmailAddress


class RoleHolderForm(FlaskForm):
    email = EmailField(
        "Holder's email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the email address of the person who holds the role"), EmailAddress()],
    )
    name = StringField("Holder's name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    deputy_email = EmailField(
        "Deputy's email address (optional)",
        widget=GovTextInput(),
        validators=[Optional(), EmailAddress("Enter the deputy's email address in the correct format")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class MergeRoleForm(FlaskForm):
    """Merge one role into another: choose the role, then confirm on the next page."""

    into = SelectField(
        "Merge it into",
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired("Choose the role to merge it into")],
    )
    confirmed = HiddenField(default="")
    submit = SubmitField("Continue", widget=GovSubmitInput())
