from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput, GovFileInput, GovSubmitInput, GovTextArea, GovTextInput,
)
from wtforms import FieldList, Form, FormField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from .fields import DayMonthYearField

MAX_PASTED_CHARACTERS = 2_000_000
MAX_ITEMS = 300


class UploadReportForm(FlaskForm):
    report = FileField("Report file", widget=GovFileInput(),
                       validators=[FileRequired("Choose the report file to upload")])
    submit = SubmitField("Read recommendations", widget=GovSubmitInput())


class PasteReportForm(FlaskForm):
    text = TextAreaField(
        "Report text", widget=GovTextArea(),
        validators=[InputRequired("Paste the report's text"),
                    Length(max=MAX_PASTED_CHARACTERS, message="The text is too long to be one report")],
    )
    filename = StringField("Name for this report (optional)", widget=GovTextInput(),
                           validators=[Optional(), Length(max=200)])
    submit = SubmitField("Read recommendations", widget=GovSubmitInput())


class ReviewItemForm(Form):
    """One recommendation at review (a sub-form: the review form carries the CSRF token)."""

    number = StringField("Number", widget=GovTextInput(), validators=[Length(max=16)])
    text = TextAreaField("Text", widget=GovTextArea(), validators=[Length(max=20_000)])
    owners = StringField("Owners", widget=GovTextInput(), validators=[Length(max=1000)])
    due_on = DayMonthYearField("Deadline", widget=GovDateInput(), validators=[Optional()])
    owner_source = HiddenField()
    reported_owners = HiddenField()
    deadline_rule = HiddenField()
    deadline_months = HiddenField()


class ReviewForm(FlaskForm):
    """The whole reviewed import. Editing operations re-post it; nothing is saved until confirm."""

    upload = HiddenField(validators=[InputRequired()])
    service = StringField("Service", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    inspectorate = StringField("Inspectorate", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    inspection_type = StringField("Inspection", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    overall_rating = StringField("Overall rating", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    published = DayMonthYearField("Publication date", widget=GovDateInput(), validators=[Optional()])
    items = FieldList(FormField(ReviewItemForm), min_entries=0, max_entries=MAX_ITEMS)
    submit = SubmitField("Save report and create actions", widget=GovSubmitInput())
