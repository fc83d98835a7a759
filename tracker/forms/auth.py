from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length


class SignInForm(FlaskForm):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter your email address"),
                                   Email("Enter an email address in the correct format, like name@example.org")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[InputRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", widget=GovPasswordInput(),
                             validators=[InputRequired("Enter a new password"),
                                         Length(min=12, max=200, message="Use at least 12 characters")])
    confirm = PasswordField("Confirm new password", widget=GovPasswordInput(),
                            validators=[InputRequired("Enter the new password again"),
                                        EqualTo("password", "The passwords do not match")])
    submit = SubmitField("Save password", widget=GovSubmitInput())
