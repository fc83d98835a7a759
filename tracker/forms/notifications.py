from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, ValidationError

from ..models.notification import ReminderFrequency
from ..services.reminders.policy import WEEKDAYS, Policy

YES, NO = "yes", "no"


class NotificationSettingsForm(FlaskForm):
    frequency = RadioField(
        "How do you want reminders?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(ReminderFrequency.EACH.value, "Reminders as they fall due, at most one email a day"),
            SelectChoice(ReminderFrequency.SINGLE.value, "Every reminder as its own email, even several in a day"),
            SelectChoice(ReminderFrequency.WEEKLY_DIGEST.value, "One weekly summary instead of single emails"),
        ],
        validators=[InputRequired("Choose how you want reminders")],
    )
    digest_weekday = SelectField(
        "Day for the weekly summary",
        widget=GovSelect(),
        coerce=int,
        choices=[SelectChoice(str(number), day) for number, day in enumerate(WEEKDAYS[:5])],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


def _days(label: str, hint: str) -> IntegerField:
    return IntegerField(
        label,
        widget=GovTextInput(),
        description=hint,
        validators=[
            InputRequired(f"Enter a number for \u201c{label.lower()}\u201d"),
            NumberRange(0, 366, "Enter a number of days from 0 to 366"),
        ],
    )


class ReminderPolicyForm(FlaskForm):
    days_before = StringField(
        "Days before the deadline",
        widget=GovTextInput(),
        description="Separate the days with commas, for example 90, 30, 14, 7, 1.",
    )
    remind_on_due_day = RadioField(
        "Send a reminder on the day it is due?",
        widget=GovRadioInput(),
        choices=[SelectChoice(YES, "Yes"), SelectChoice(NO, "No")],
        validators=[InputRequired("Choose yes or no")],
    )
    overdue_every_days = _days("Days between reminders while overdue", "7 for weekly. 0 for none.")
    escalate_after_days_overdue = _days("Days overdue before escalation to the board chair", "0 for never.")
    nudge_after_days_without_update = _days(
        "Days without an update before a nudge", "For actions in progress. 0 for never."
    )
    submit = SubmitField("Save reminder settings", widget=GovSubmitInput())

    def validate_days_before(self, field: StringField) -> None:
        try:
            days = [int(part) for part in (field.data or "").replace(" ", "").split(",") if part]
        except ValueError:
            raise ValidationError("Enter whole numbers of days separated by commas, for example 90, 30, 7") from None
        if any(not 1 <= value <= 366 for value in days):
            raise ValidationError("Each number of days must be between 1 and 366")
        self.parsed_days_before = tuple(sorted(set(days), reverse=True))

    def fill_from(self, policy: Policy) -> None:
        self.days_before.data = ", ".join(str(days) for days in policy.days_before)
        self.remind_on_due_day.data = YES if policy.remind_on_due_day else NO
        self.overdue_every_days.data = policy.overdue_every_days
        self.escalate_after_days_overdue.data = policy.escalate_after_days_overdue
        self.nudge_after_days_without_update.data = policy.nudge_after_days_without_update

    def to_policy(self) -> Policy:
        return Policy(
            days_before=self.parsed_days_before,
            remind_on_due_day=self.remind_on_due_day.data == YES,
            overdue_every_days=self.overdue_every_days.data,
            escalate_after_days_overdue=self.escalate_after_days_overdue.data,
            nudge_after_days_without_update=self.nudge_after_days_without_update.data,
        )


class ResendForm(FlaskForm):
    """Only a CSRF token: the notification is in the URL."""
