"""Forms for working on an action. Each carries the action's `version` as the person saw it."""

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..inputs import MAX_ID, whole_number
from ..models import Action, Flag, Role, Status
from ..services.actions import KEEP, NEXT_STATUSES
from .fields import DayMonthYearField

KEEP_VALUE = "unchanged"
NO_FLAG = "none"
NOTE_LIMIT = Length(max=10_000, message="Keep it under 10,000 characters")


class VersionedForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])

    @property
    def expected_version(self) -> int:
        version = whole_number(self.version.data)
        return version if version is not None and version <= MAX_ID else -1


class UpdateForm(VersionedForm):
    """Post progress: a note, a new status, a flag, evidence files and links."""

    note = TextAreaField("Progress note", widget=GovTextArea(), validators=[NOTE_LIMIT])
    status = RadioField(
        "Status", widget=GovRadioInput(), default=KEEP_VALUE, validators=[InputRequired("Choose a status")]
    )
    flag = RadioField(
        "Flag",
        widget=GovRadioInput(),
        default=KEEP_VALUE,
        validators=[Optional()],
        choices=[
            SelectChoice(KEEP_VALUE, "Leave as it is"),
            SelectChoice(NO_FLAG, "No flag: on track"),
            SelectChoice(Flag.AT_RISK.value, "At risk"),
            SelectChoice(Flag.BLOCKED.value, "Blocked"),
        ],
    )
    flag_reason = StringField(
        "Why is it at risk or blocked?", widget=GovTextInput(), validators=[Optional(), Length(max=500)]
    )
    links = TextAreaField(
        "Links to evidence (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=5000)]
    )
    evidence = MultipleFileField("Evidence files (optional)", widget=GovFileInput(multiple=True))
    submit = SubmitField("Post update", widget=GovSubmitInput())

    def offer_statuses_for(self, action: Action) -> None:
        self.status.choices = [SelectChoice(KEEP_VALUE, f"Keep as {action.status.label.lower()}")] + [
            SelectChoice(status.value, status.label) for status in Status if status in NEXT_STATUSES[action.status]
        ]

    @property
    def new_status(self) -> Status | None:
        return None if self.status.data == KEEP_VALUE else Status(self.status.data)

    @property
    def new_flag(self):
        # Optional() lets blank and whitespace-only answers through unchecked: they mean "no choice".
        value = (self.flag.data or "").strip()
        if value in ("", KEEP_VALUE):
            return KEEP
        return None if value == NO_FLAG else Flag(value)

    @property
    def link_list(self) -> list[str]:
        return (self.links.data or "").split()


class EditUpdateForm(FlaskForm):
    note = TextAreaField("Progress note", widget=GovTextArea(), validators=[NOTE_LIMIT])
    links = TextAreaField("Links to evidence", widget=GovTextArea(), validators=[Optional(), Length(max=5000)])
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class DeadlineChangeForm(FlaskForm):
    new_due_on = DayMonthYearField(
        "New deadline",
        widget=GovDateInput(),
        validators=[InputRequired("Enter the new deadline as a day, month and year")],
    )
    reason = TextAreaField(
        "Why is more time needed?",
        widget=GovTextArea(),
        validators=[InputRequired("Say why more time is needed"), NOTE_LIMIT],
    )
    # Shown for a plan step only: its deadline may not run past its recommendation's.
    move_recommendation = BooleanField(
        "If the new date is later than the recommendation's deadline, also ask "
        "for the recommendation's deadline to move to it",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Ask the board for a new deadline", widget=GovSubmitInput())


class DecisionForm(VersionedForm):
    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        validators=[InputRequired("Choose approve or refuse")],
        choices=[SelectChoice("approve", "Approve the new deadline"), SelectChoice("refuse", "Refuse")],
    )
    note = TextAreaField("Note for the record", widget=GovTextArea(), validators=[NOTE_LIMIT])
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class VerifyForm(VersionedForm):
    note = TextAreaField("Sign-off note (optional)", widget=GovTextArea(), validators=[NOTE_LIMIT])
    submit = SubmitField("Sign off as verified", widget=GovSubmitInput())


class WithdrawForm(VersionedForm):
    reason = TextAreaField(
        "Why is the action being withdrawn?",
        widget=GovTextArea(),
        validators=[InputRequired("Say why the action is being withdrawn"), NOTE_LIMIT],
    )
    board_decision = StringField(
        "Board decision",
        widget=GovTextInput(),
        validators=[InputRequired("Say which board decision agreed it"), Length(max=500)],
    )
    submit = SubmitField("Withdraw the action", widget=GovSubmitInput())


def role_choices(roles: list[Role]) -> list[SelectChoice]:
    return [SelectChoice(str(role.id), role.name + (f" ({role.holder.name})" if role.holder else "")) for role in roles]


class OwnersForm(VersionedForm):
    owners = SelectMultipleField(
        "Owner roles", widget=GovCheckboxesInput(), validators=[InputRequired("Choose at least one owner")]
    )
    lead = SelectField("Lead owner", widget=GovSelect(), validators=[InputRequired()])
    submit = SubmitField("Save owners", widget=GovSubmitInput())


class PlanStepForm(FlaskForm):
    title = TextAreaField(
        "What will be done?", widget=GovTextArea(), validators=[InputRequired("Describe the step"), Length(max=2000)]
    )
    owners = SelectMultipleField(
        "Owner roles", widget=GovCheckboxesInput(), validators=[InputRequired("Choose at least one owner")]
    )
    lead = SelectField("Lead owner", widget=GovSelect(), validators=[InputRequired()])
    due_on = DayMonthYearField(
        "Deadline", widget=GovDateInput(), validators=[InputRequired("Enter the deadline as a day, month and year")]
    )
    submit = SubmitField("Add step", widget=GovSubmitInput())


class ReassignForm(FlaskForm):
    from_role = SelectField("Move actions from", widget=GovSelect(), validators=[InputRequired()])
    to_role = SelectField("to", widget=GovSelect(), validators=[InputRequired()])
    action_ids = SelectMultipleField(
        "Actions to move", widget=GovCheckboxesInput(), validators=[InputRequired("Choose the actions to move")]
    )
    submit = SubmitField("Move the chosen actions", widget=GovSubmitInput())
