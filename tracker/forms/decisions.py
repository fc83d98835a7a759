from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from .actions import VersionedForm


class SendBackForm(VersionedForm):
    reason = TextAreaField(
        "Why is it going back to the owner?", widget=GovTextArea(),
        description="The owner gets this in an email. Say what is missing, for example the evidence the board needs.",
        validators=[InputRequired("Say why the action is going back to its owner"),
                    Length(max=2000, message="Keep the reason to 2,000 characters or fewer")])
    submit = SubmitField("Send back to the owner", widget=GovSubmitInput())
