"""The "Asked before" buttons and list on the action page (the form is mainly its CSRF token:
the ids it carries are checked by services/asked_before/links.py)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, Length

OPERATIONS = ("link", "confirm", "dismiss", "remove")


class AskedBeforeForm(FlaskForm):
    operation = HiddenField(validators=[AnyOf(OPERATIONS, message="Choose what to do with the link")])
    link = HiddenField(validators=[Length(max=20, message="That link is not one of this recommendation's.")])
    earlier = StringField(
        "Earlier recommendation",
        validators=[Length(max=20, message="Choose one of this organisation's earlier recommendations.")],
    )
