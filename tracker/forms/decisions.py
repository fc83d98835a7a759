"""Forms for board decisions and for correcting a report after import."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from .actions import VersionedForm
from .fields import DayMonthYearField


class SendBackForm(VersionedForm):
    reason = TextAreaField(
        "Why is it going back to the owner?",
        widget=GovTextArea(),
        description="The owner gets this in an email. Say what is missing, for example the evidence the board needs.",
        validators=[
            InputRequired("Say why the action is going back to its owner"),
            Length(max=2000, message="Keep the reason to 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Send back to the owner", widget=GovSubmitInput())


class WithdrawImportForm(FlaskForm):
    reason = TextAreaField(
        "Why is this report being withdrawn?",
        widget=GovTextArea(),
        description="For example, \u201cimported twice\u201d or \u201cthe wrong service\u2019s report\u201d. "
        "It stays in the audit log.",
        validators=[
            InputRequired("Say why the report is being withdrawn"),
            Length(max=2000, message="Keep the reason to 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Withdraw this report", widget=GovSubmitInput())


class ReportDetailsForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the report\u2019s title"),
            Length(max=300, message="Keep the title to 300 characters or fewer"),
        ],
    )
    publication_date = DayMonthYearField(
        "Publication date", widget=GovDateInput(), validators=[InputRequired("Enter the date the report was published")]
    )
    move_deadlines = BooleanField("Move the deadlines counted from the publication date", widget=GovCheckboxInput())
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class RecommendationTextForm(FlaskForm):
    text = TextAreaField(
        "Recommendation text",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the recommendation\u2019s text"),
            Length(max=20_000, message="Keep the text to 20,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save the new wording", widget=GovSubmitInput())
