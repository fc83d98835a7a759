"""How each person wants their reminders: each one as it falls due, or a weekly digest."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import User, utc_now
from tracker.models.notification import NotificationPreference, ReminderFrequency
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor


def preference_for(user: User) -> NotificationPreference:
    """The user's saved preference, or the default (each reminder as it falls due), unsaved."""
    preference = db.session.scalar(select(NotificationPreference).filter_by(user_id=user.id))
    return preference or NotificationPreference(user_id=user.id, frequency=ReminderFrequency.EACH, digest_weekday=0)


def save_preference(
    user: User, *, frequency: ReminderFrequency, digest_weekday: int, actor: Actor
) -> NotificationPreference:
    if not 0 <= digest_weekday <= 6:
        raise ServiceError("Choose a day of the week for your summary.")
    preference = preference_for(user)
    before = (
        {"frequency": preference.frequency.value, "digest_weekday": preference.digest_weekday}
        if preference.id is not None
        else None
    )
    if preference.id is None:
        db.session.add(preference)
    preference.frequency = frequency
    preference.digest_weekday = digest_weekday
    preference.updated_at = utc_now()
    db.session.flush()
    audit.record(
        "notification_preference.changed",
        preference,
        actor=actor,
        organisation_id=None,
        before=before,
        after={"user": user.email, "frequency": frequency.value, "digest_weekday": digest_weekday},
    )
    return preference
