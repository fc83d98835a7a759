"""Reminders: decide what is due, queue it in the outbox, then deliver the outbox.

Deciding is a pure function (`reminders_due`) of an action's deadline, status and last
update, the organisation's `Policy` and a calendar date. It returns only the *latest*
reminder of each kind that applies, so a missed run never causes a burst of stale emails,
and running twice on a day queues nothing new: each email's outbox key is
(action, kind, target date, recipient). Changing a deadline changes the target dates, and
changing a role's holder changes the recipient, so either one changes what is due next.

Three reminders can apply to an open action on a day:
- the deadline reminder, to the holders of its owner roles: 90, 30, 14, 7 and 1 days before,
  on the day, then every 7 days while overdue;
- the escalation, to the holder of the board chair role, once the action is 28 days overdue;
- the nudge, to the owners, when an action in progress has had no update for 60 days (and
  every 60 days after that), while it is not yet overdue (overdue reminders chase it then).
People who chose a weekly digest get one summary per organisation on their chosen weekday
instead of single emails.

A run queues what is due (see services/outbox.py), commits, then delivers with
`deliver_outbox`. Just before each reminder is sent, `reason_not_needed` asks the same pure function
whether it still applies, so one that waited out a mail server outage is cancelled rather
than sent late if the action was closed, a later reminder replaced it, or the role changed
hands meanwhile.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tracker import clock
from tracker.extensions import db
from tracker.models import Organisation
from tracker.models.notification import SchedulerRun
from tracker.services import audit, handoffs, outbox
from tracker.services.audit import Actor
from tracker.services.reminders import daily
from tracker.services.reminders.emails import render_bundle, render_digest, render_reminder
from tracker.services.reminders.schedule import PlannedDigest, PlannedReminder, plan_reminders, reason_not_needed


@dataclass
class RunResult:
    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # due, but already in the outbox, or with nobody to send it to
    # The actions behind "nobody to send it to", named (see services/reminders/unheard.py).
    unheard: list[str] = field(default_factory=list)
    retrying: int = 0  # failed for a reason that may pass; the outbox tries again later
    cancelled: int = 0  # queued earlier but no longer needed when their turn came

    def describe(self) -> str:
        return (
            f"Queued {self.queued}, sent {self.sent}, failed {self.failed}, skipped {self.skipped}"
            + (f", {self.retrying} to retry" if self.retrying else "")
            + (f", {self.cancelled} no longer needed" if self.cancelled else "")
        )


QUEUE_BATCH = 500  # emails rendered and inserted at a time: few statements, bounded memory


def queue_reminders(today: date, *, actor: Actor = "scheduler") -> RunResult:
    """Put every email due on `today` in the outbox; keys already there are left alone. Flushes."""
    plan = plan_reminders(today)
    handoffs.join_day(plan, today)
    result = RunResult(skipped=plan.unaddressed + plan.covered, unheard=unheard_names(plan))
    emails = plan.emails
    already_queued = outbox.existing_keys([email.key for email in emails])
    to_queue = daily.claim([email for email in emails if email.key not in already_queued])
    result.skipped += len(emails) - len(to_queue)
    queued: dict[int, list[int]] = defaultdict(list)
    organisations: dict[int, Organisation] = {}
    for start in range(0, len(to_queue), QUEUE_BATCH):
        batch = to_queue[start : start + QUEUE_BATCH]
        new_ids = outbox.queue([_render(email, today) for email in batch])
        for email in batch:
            notification_id = new_ids.pop(email.key, None)
            if notification_id is None:  # queued by another run since we looked
                daily.release([email.key])
                result.skipped += 1
                continue
            result.queued += 1
            queued[email.organisation.id].append(notification_id)
            organisations[email.organisation.id] = email.organisation
    for organisation_id, notification_ids in queued.items():
        audit.record(
            "reminders.queued",
            organisations[organisation_id],
            actor=actor,
            organisation_id=organisation_id,
            after={"date": today.isoformat(), "count": len(notification_ids), "notification_ids": notification_ids},
        )
    db.session.flush()
    return result


def unheard_names(plan) -> list[str]:
    """Each action a reminder was due for with nobody to send it to, as a line for people."""
    lines = []
    for action in plan.unaddressed_actions:
        roles = [role.name for role in action.owner_roles]
        owners = (
            f"owner role{'s' if len(roles) != 1 else ''} {'; '.join(roles)}, held by nobody"
            if roles
            else "no owner role"
        )
        lines.append(
            f"{action.organisation.name}: {action.recommendation.full_name}"
            + (f" ({action.title[:60]})" if action.title else "")
            + f" ({owners})"
        )
    return lines


def _render(email: PlannedReminder | PlannedDigest | daily.PlannedBundle, today: date) -> dict:
    if isinstance(email, PlannedDigest):
        return render_digest(email, today)
    if isinstance(email, handoffs.Handoff):
        return handoffs.render_single(email)
    if isinstance(email, daily.PlannedBundle):
        return render_bundle(email, today)
    return render_reminder(email, today)


def send_reminders(today: date, *, dry_run: bool = False, actor: Actor = "scheduler") -> RunResult:
    """One reminder run as of `today`: queue what is due, commit, then deliver the outbox.

    It commits (the queue first, then each email as it goes) because an email may leave only
    once its outbox row is committed. A dry run counts what would be queued and writes nothing.
    """
    if dry_run:
        plan = plan_reminders(today)
        handoffs.join_day(plan, today)
        already_queued = outbox.existing_keys([email.key for email in plan.emails])
        new = sum(1 for email in plan.emails if email.key not in already_queued)
        db.session.rollback()
        return RunResult(
            queued=new, skipped=plan.unaddressed + plan.covered + len(plan.emails) - new, unheard=unheard_names(plan)
        )
    result = queue_reminders(today, actor=actor)
    db.session.commit()
    delivered = deliver_outbox(today, actor=actor)
    result.sent, result.failed, result.retrying = delivered.sent, delivered.failed, delivered.retrying
    result.cancelled = delivered.cancelled
    return result


def deliver_outbox(
    today: date | None = None, *, actor: Actor = "scheduler", limit: int | None = None
) -> outbox.DeliveryResult:
    """Deliver the outbox as the scheduler does: a reminder that no longer applies on `today`
    (default: today in TRACKER_TIMEZONE) is cancelled instead of sent; every other email goes."""
    today = today or clock.today()
    return outbox.deliver_pending(
        reason_to_cancel=lambda notification: reason_not_needed(notification, today), actor=actor, limit=limit
    )


def scheduler_runs() -> list[SchedulerRun]:
    """Each scheduled job's last run and last success, for the managers' outbox page."""
    return list(db.session.scalars(select(SchedulerRun).order_by(SchedulerRun.job_id)))
