from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from .fields import DayMonthYearField


class MeetingForm(FlaskForm):
    """Record a board meeting that has taken place."""

    held_on = DayMonthYearField(
        "Date of the meeting", widget=GovDateInput(), validators=[InputRequired("Enter the date of the meeting")]
    )
    attendees = TextAreaField(
        "Who attended",
        widget=GovTextArea(),
        validators=[InputRequired("Enter who attended the meeting"), Length(max=5_000)],
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=20_000)])
    decisions = TextAreaField("Decisions (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=20_000)])
    submit = SubmitField("Record meeting", widget=GovSubmitInput())


class CalendarFeedForm(FlaskForm):
    submit = SubmitField("Create a calendar address", widget=GovSubmitInput())


class RevokeCalendarFeedForm(FlaskForm):
    submit = SubmitField("Stop the calendar address working", widget=GovSubmitInput())


class RecommendationSearchForm(FlaskForm):
    """Searching changes nothing, so it is a GET form without a CSRF token."""

    class Meta:
        csrf = False

    q = StringField("Search recommendations", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    submit = SubmitField("Search", widget=GovSubmitInput())
