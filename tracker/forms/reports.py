from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..inputs import whole_number
from .fields import DayMonthYearField

MAX_PASTED_CHARACTERS = 2_000_000
MAX_ITEMS = 1000  # the review's limit (services.review.MAX_ITEMS); reports rarely pass 60
ASCII_NUMBER = r"^[0-9]{0,3}\Z"  # not \d: "²" is a digit to Python but not to int()


class ItemList(FieldList):
    """A FieldList that ignores field names whose index is not plain ASCII digits.

    WTForms reads "items-²-text" as index "²" (``isdigit``) and then ``int()`` fails: a 500.
    """

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = whole_number(key[offset:].split("-", 1)[0], maximum=999_999)
                if index is not None:
                    yield index


class UploadReportForm(FlaskForm):
    report = FileField(
        "Report file", widget=GovFileInput(), validators=[FileRequired("Choose the report file to upload")]
    )
    submit = SubmitField("Read recommendations", widget=GovSubmitInput())


class PasteReportForm(FlaskForm):
    text = TextAreaField(
        "Report text",
        widget=GovTextArea(),
        validators=[
            InputRequired("Paste the report's text"),
            Length(max=MAX_PASTED_CHARACTERS, message="The text is too long to be one report"),
        ],
    )
    filename = StringField(
        "Name for this report (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField("Read recommendations", widget=GovSubmitInput())


class ReviewItemForm(Form):
    """One recommendation at review (a sub-form: the review form carries the CSRF token)."""

    number = StringField("Number", widget=GovTextInput(), validators=[Length(max=16)])
    text = TextAreaField("Text", widget=GovTextArea(), validators=[Length(max=20_000)])
    owners = StringField("Owners", widget=GovTextInput(), validators=[Length(max=1000)])
    due_on = DayMonthYearField("Deadline", widget=GovDateInput(), validators=[Optional()])
    selected = BooleanField("Select", widget=GovCheckboxInput())
    owner_source = HiddenField()
    reported_owners = HiddenField()
    deadline_rule = HiddenField(validators=[Length(max=200)])
    deadline_months = HiddenField(
        validators=[Regexp(ASCII_NUMBER, message="The deadline rule is not a number of months")]
    )
    origin = HiddenField(validators=[Regexp(r"^[0-9,]{0,200}\Z", message="The item's source is not valid")])


class ReviewForm(FlaskForm):
    """The whole reviewed import. Editing operations re-post it; nothing is saved until confirm."""

    upload = HiddenField(validators=[InputRequired()])
    service = StringField("Service", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    inspectorate = StringField("Inspectorate", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    inspection_type = StringField("Inspection", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    overall_rating = StringField("Overall rating", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    published = DayMonthYearField("Publication date", widget=GovDateInput(), validators=[Optional()])
    items = ItemList(FormField(ReviewItemForm), min_entries=0, max_entries=MAX_ITEMS)
    # Bulk changes to the selected items.
    bulk_owners = StringField(
        "Owners for the selected items", widget=GovTextInput(), validators=[Optional(), Length(max=1000)]
    )
    bulk_deadline = RadioField(
        "Deadline for the selected items",
        widget=GovRadioInput(),
        default="keep",
        choices=[
            SelectChoice("keep", "Leave their deadlines as they are"),
            SelectChoice("12", "12 months from publication"),
            SelectChoice("3", "3 months from publication"),
            SelectChoice("months", "Another number of months from publication"),
            SelectChoice("date", "A date"),
        ],
    )
    bulk_months = StringField(
        "Number of months (when you choose another number)",
        widget=GovTextInput(),
        validators=[Optional(), Regexp(ASCII_NUMBER, message="Enter the number of months in figures, like 6")],
    )
    bulk_due_on = DayMonthYearField("Date (when you choose a date)", widget=GovDateInput(), validators=[Optional()])
    # An item added by hand, or from text selected in the report.
    new_item_text = TextAreaField(
        "Text of the new item", widget=GovTextArea(), validators=[Optional(), Length(max=20_000)]
    )
    # Deadlines that have passed can be counted from another date instead.
    count_from = DayMonthYearField("Count past deadlines from", widget=GovDateInput(), validators=[Optional()])
    submit = SubmitField("Save report and create actions", widget=GovSubmitInput())
