from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..services.privacy.redaction import MAX_REASON


class RedactForm(FlaskForm):
    reason = TextAreaField(
        "Why is it being removed?",
        widget=GovTextArea(),
        validators=[
            DataRequired("Say why it is being removed, for the record"),
            Length(max=MAX_REASON, message=f"Keep the reason to {MAX_REASON} characters or fewer"),
        ],
    )
    submit = SubmitField("Remove it", widget=GovSubmitInput())


class PrivacyNoticeForm(FlaskForm):
    notice = TextAreaField(
        "Privacy notice",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=20000, message="Keep the notice to 20,000 characters or fewer")],
    )
    submit = SubmitField("Save the privacy notice", widget=GovSubmitInput())
