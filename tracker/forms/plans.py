from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField


class UploadPlanForm(FlaskForm):
    plan = FileField("Plan file", widget=GovFileInput(), validators=[FileRequired("Choose the plan file to upload")])
    submit = SubmitField("Read the plan", widget=GovSubmitInput())
