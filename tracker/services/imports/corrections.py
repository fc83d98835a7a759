"""Correcting a report after import: withdraw a whole import, edit its details, reword a
recommendation. Every change is audited with before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update

from tracker import clock
from tracker.extensions import db
from tracker.models import (
    Action,
    Notification,
    NotificationStatus,
    Recommendation,
    RecommendationRevision,
    Report,
    utc_now,
)
from tracker.models.report import DatePrecision
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor
from tracker.services.deadlines import deadline_for
from tracker.services.dml import rowcount

# --- Withdraw a whole import ----------------------------------------------------------------


def withdraw_import(report: Report, *, by: Actor, reason: str) -> int:
    """Soft-delete a report imported by mistake; returns how many queued emails were cancelled.

    The report, its recommendations and actions stay in the database and in the audit log, but
    leave every list, pack, count and reminder run (models/visibility.py).
    """
    reason = (reason or "").strip()
    if report.withdrawn_at is not None:
        raise ServiceError("This report has already been withdrawn.")
    if not reason:
        raise ServiceError("Say why the report is being withdrawn, for example \u201cimported twice\u201d.")
    if len(reason) > 2000:
        raise ServiceError("Keep the reason to 2,000 characters or fewer.")
    action_ids = list(
        db.session.scalars(
            select(Action.id)
            .join(Recommendation, Recommendation.id == Action.recommendation_id)
            .where(Recommendation.report_id == report.id)
        )
    )
    report.withdrawn_at = utc_now()
    report.withdrawn_reason = reason
    report.withdrawn_by_id = getattr(by, "id", None)
    cancelled = 0
    if action_ids:
        cancelled = rowcount(
            db.session.execute(
                update(Notification)
                .where(Notification.action_id.in_(action_ids), Notification.status == NotificationStatus.PENDING)
                .values(status=NotificationStatus.CANCELLED, last_error="Not needed: the report was withdrawn.")
                .execution_options(synchronize_session=False)
            )
        )
    db.session.flush()
    audit.record(
        "report.withdrawn",
        report,
        actor=by,
        organisation_id=report.organisation_id,
        before={"title": report.title, "withdrawn": False},
        after={
            "title": report.title,
            "withdrawn": True,
            "reason": reason,
            "actions": len(action_ids),
            "emails_cancelled": cancelled,
        },
    )
    return cancelled


# --- Edit the details ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineMove:
    action: Action
    before: date
    after: date


def counted_from_publication(report: Report) -> list[Action]:
    """The actions whose deadline is still the one worked out from the publication date: nobody
    has asked for or set another since (current = original = the computed date)."""
    if report.publication_date is None:
        return []
    month_only = not report.publication_date_confirmed
    found = []
    for recommendation in report.recommendations:
        expected = deadline_for(report.publication_date, month_only=month_only, months=recommendation.deadline_months)
        for action in recommendation.actions:
            if (
                action.title is None
                and action.due_on == action.original_due_on == expected
                and not action.deadline_changes
            ):
                found.append(action)
    return found


def edit_details(
    report: Report, *, by: Actor, title: str, publication_date: date | None, move_deadlines: bool
) -> list[DeadlineMove]:
    """Correct the title and publication date; with `move_deadlines`, the deadlines still counted
    from the old date follow the new one. Returns the deadlines moved."""
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError("Enter the report\u2019s title.")
    if len(title) > 300:
        raise ServiceError("Keep the title to 300 characters or fewer.")
    if publication_date is None:
        raise ServiceError("Enter the date the report was published.")
    if publication_date.year < 1990 or publication_date > clock.today() + timedelta(days=366):
        raise ServiceError("Enter a real publication date, for example 12 3 2025.")
    movable = counted_from_publication(report) if move_deadlines else []
    before = {
        "title": report.title,
        "publication_date": _iso(report.publication_date),
        "date_precision": report.date_precision.value if report.date_precision else None,
    }
    changed_date = publication_date != report.publication_date or not report.publication_date_confirmed
    if title == report.title and not changed_date:
        raise ServiceError("Nothing has changed.")
    report.title = title
    report.publication_date = publication_date
    report.date_precision = DatePrecision.DAY
    report.publication_date_confirmed = True
    moves = []
    for action in movable:
        new_due = deadline_for(publication_date, month_only=False, months=action.recommendation.deadline_months)
        if new_due != action.due_on:
            moves.append(DeadlineMove(action, action.due_on, new_due))
            action.due_on = action.original_due_on = new_due
            action.version += 1
    db.session.flush()
    audit.record(
        "report.edited",
        report,
        actor=by,
        organisation_id=report.organisation_id,
        before=before,
        after={
            "title": title,
            "publication_date": publication_date.isoformat(),
            "date_precision": "day",
            "deadlines_moved": [
                {"action_id": move.action.id, "from": move.before.isoformat(), "to": move.after.isoformat()}
                for move in moves
            ],
        },
    )
    return moves


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- Reword a recommendation ---------------------------------------------------------------------


def edit_recommendation_text(recommendation: Recommendation, *, by: Actor, text: str) -> RecommendationRevision:
    """Correct a recommendation's wording; the earlier wording is kept as a revision."""
    text = (text or "").strip()
    if not text:
        raise ServiceError("Enter the recommendation\u2019s text.")
    if len(text) > 20_000:
        raise ServiceError("Keep the text to 20,000 characters or fewer.")
    if text == recommendation.text:
        raise ServiceError("The text is the same as before, so there is nothing to save.")
    revision = RecommendationRevision(
        recommendation=recommendation, text=recommendation.text, replaced_by_id=getattr(by, "id", None)
    )
    db.session.add(revision)
    before = recommendation.text
    recommendation.text = text
    db.session.flush()
    audit.record(
        "recommendation.edited",
        recommendation,
        actor=by,
        organisation_id=recommendation.report.organisation_id,
        before={"text": before},
        after={"text": text, "revision_id": revision.id},
    )
    return revision
