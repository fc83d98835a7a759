from flask import Blueprint, render_template, url_for
from flask_login import current_user

from ..forms.notifications import NotificationSettingsForm, ReminderPolicyForm, ResendForm
from ..models import Organisation
from ..models.notification import ReminderFrequency
from ..permissions import Capability, for_organisation, signed_in
from ..services import outbox as outbox_service
from ..services.reminders import policy as reminder_policy
from ..services.reminders import preferences
from ..services.reminders.run import scheduler_runs
from .shared import or_404, submit, submit_button

bp = Blueprint("notifications", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@signed_in
def settings():
    preference = preferences.preference_for(current_user)
    form = NotificationSettingsForm(
        data={"frequency": preference.frequency.value, "digest_weekday": preference.digest_weekday}
    )
    return submit(
        form,
        lambda: preferences.save_preference(
            current_user,
            frequency=ReminderFrequency(form.frequency.data),
            digest_weekday=form.digest_weekday.data,
            actor=current_user,
        ),
        error_field=form.frequency,
        success="Your reminder settings have been saved.",
        then=url_for("notifications.settings"),
        page=lambda: render_template("notifications/settings.html", form=form),
    )


@bp.get("/organisations/<slug>/emails")
@for_organisation(Capability.MANAGE_NOTIFICATIONS)
def outbox(organisation: Organisation):
    return render_template(
        "notifications/outbox.html",
        organisation=organisation,
        outbox=outbox_service.outbox(organisation),
        runs=scheduler_runs(),
        resend_form=ResendForm(),
    )


@bp.post("/organisations/<slug>/emails/<int:notification_id>/resend")
@for_organisation(Capability.MANAGE_NOTIFICATIONS)
def resend(organisation: Organisation, notification_id: int):
    notification = or_404(outbox_service.notification_in(organisation, notification_id))
    return submit_button(
        ResendForm(),
        lambda: outbox_service.resend(notification, actor=current_user),
        success=f"The email to {notification.recipient} will be sent again within a few minutes.",
        then=url_for("notifications.outbox", slug=organisation.slug),
    )


@bp.route("/organisations/<slug>/reminder-settings", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_NOTIFICATIONS)
def policy(organisation: Organisation):
    form = ReminderPolicyForm()
    if not form.is_submitted():
        form.fill_from(reminder_policy.policy_for(organisation))
    return submit(
        form,
        lambda: reminder_policy.save_policy(organisation, form.to_policy(), actor=current_user),
        error_field=form.days_before,
        success="The reminder settings have been saved. The next reminder run uses them.",
        then=url_for("notifications.policy", slug=organisation.slug),
        page=lambda: render_template(
            "notifications/policy.html", organisation=organisation, form=form, default=reminder_policy.DEFAULT_POLICY
        ),
    )
