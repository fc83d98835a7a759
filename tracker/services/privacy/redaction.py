"""Redaction: removing what an update or evidence file must not hold (a child's name, case
details) while keeping the record of who did what.

An update's text (its note, links, flag reason and earlier wordings) is replaced by a sentence
saying who redacted it, when and why; an evidence file's bytes go from the file store (disk
and database), and its row stays, named by the same kind of sentence. The same text is taken
out of the audit events that recorded it and out of any email still waiting in the outbox.
The audit event of the redaction itself names who, when and why, never what was removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from markupsafe import escape
from sqlalchemy import or_, select

from tracker import clock
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Notification, NotificationStatus, Report, Update, User, utc_now
from tracker.services import ServiceError, audit, files
from tracker.services.audit import Actor

REDACTED = "[redacted]"  # what stands where removed text was, in audit values and queued emails
MAX_REASON = 500
SHORTEST_LINE = 12  # lines of removed text this long or longer are also taken out one by one


class AlreadyRedacted(ServiceError):
    pass


def _checked_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError("Say why it is being removed, for the record.", field="reason")
    if len(reason) > MAX_REASON:
        raise ServiceError(f"Keep the reason to {MAX_REASON} characters or fewer.", field="reason")
    return reason


def _by(actor: Actor) -> str:
    return f" by {actor.name}" if isinstance(actor, User) else ""


def update_marker(actor: Actor, on: date, reason: str) -> str:
    return f"Update redacted{_by(actor)} on {clock.long_date(on)}: {reason}"


def evidence_marker(actor: Actor, on: date, reason: str) -> str:
    marker = f"File removed{_by(actor)} on {clock.long_date(on)}: {reason}"
    return marker if len(marker) <= 255 else marker[:254] + "\u2026"


# --- Updates -----------------------------------------------------------------------------------


def redact_update(update: Update, *, by: User, reason: str) -> None:
    """Remove an update's text, keeping the update (who, when, status) and saying who removed
    it. Redacting an update twice is refused, and changes nothing."""
    if update.redacted_at is not None:
        raise AlreadyRedacted(
            f"This update was already redacted on {clock.long_date(clock.local_date(update.redacted_at))}. "
            "Nothing was changed."
        )
    reason = _checked_reason(reason)
    removed = _update_text(update)
    action = update.action
    if action.withdrawn_reason and action.withdrawn_reason in update.note:  # the withdrawal this update records
        removed = sorted({*removed, action.withdrawn_reason}, key=len, reverse=True)
        action.withdrawn_reason = REDACTED
    update.note = update_marker(by, clock.today(), reason)
    update.links = []
    if update.flag_reason:
        if action.flag_reason == update.flag_reason:
            action.flag_reason = REDACTED
        update.flag_reason = REDACTED
    for revision in update.revisions:
        revision.note_before, revision.links_before = REDACTED, []
    update.redacted_at, update.redacted_by, update.redacted_reason = utc_now(), by, reason
    _scrub_audit_events(update, removed)
    _scrub_queued_emails(removed, action.organisation_id)
    db.session.flush()
    audit.record(
        "update.redacted",
        update,
        actor=by,
        organisation_id=action.organisation_id,
        after={"action_id": action.id, "reason": reason},
    )


def _update_text(update: Update) -> list[str]:
    """Every piece of text the update holds or held, longest first."""
    texts = [update.note, update.flag_reason or "", *update.links]
    for revision in update.revisions:
        texts += [revision.note_before, *revision.links_before]
    for prefix in ("Sent back to the owner: ", "Withdrawn: "):  # decisions quote the reason alone
        texts += [text.removeprefix(prefix) for text in list(texts) if text.startswith(prefix)]
    return sorted({text.strip() for text in texts if text and text.strip()}, key=len, reverse=True)


def _scrub_audit_events(update: Update, removed: list[str]) -> None:
    """Earlier audit events that recorded this update's text (posting, editing, the decision it
    records) keep everything else and say "[redacted]" where the text was."""
    events = db.session.scalars(
        select(AuditEvent).where(
            or_(
                (AuditEvent.subject_type == "Update") & (AuditEvent.subject_id == update.id),
                (AuditEvent.subject_type == "Action") & (AuditEvent.subject_id == update.action_id),
            )
        )
    ).all()
    for event in events:
        about_update = event.subject_type == "Update" or any(
            isinstance(values, dict) and values.get("update_id") == update.id for values in (event.before, event.after)
        )
        if not about_update:
            continue
        event.before = _scrubbed(event.before, removed)
        event.after = _scrubbed(event.after, removed)


def _scrubbed(value: Any, removed: list[str]) -> Any:
    """`value` (an audit event's JSON) with every removed text replaced."""
    if isinstance(value, dict):
        return {key: _scrubbed(item, removed) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, removed) for item in value]
    if isinstance(value, str):
        return scrub_text(value, removed)
    return value


def scrub_text(text: str, removed: Iterable[str]) -> str:
    """`text` with each removed piece, and each longer line of it, replaced by "[redacted]";
    also in its HTML-escaped form, as an HTML email quotes it."""
    pieces: list[str] = []
    for piece in removed:
        pieces.append(piece)
        pieces += [line.strip() for line in piece.splitlines() if len(line.strip()) >= SHORTEST_LINE]
    for piece in sorted(set(pieces), key=len, reverse=True):
        for form in {piece, str(escape(piece))}:
            if form in text:
                text = text.replace(form, REDACTED)
    return text


def _scrub_queued_emails(removed: list[str], organisation_id: int) -> int:
    """Take the removed text out of every email not sent yet that quotes it. Returns how many."""
    changed = 0
    waiting = db.session.scalars(
        select(Notification).where(
            Notification.status == NotificationStatus.PENDING,
            or_(Notification.organisation_id == organisation_id, Notification.organisation_id.is_(None)),
        )
    )
    for notification in waiting:
        fields = {name: getattr(notification, name) for name in ("subject", "body_text", "body_html")}
        scrubbed = {name: scrub_text(value, removed) for name, value in fields.items()}
        if scrubbed != fields:
            for name, value in scrubbed.items():
                setattr(notification, name, value)
            changed += 1
    return changed


# --- Evidence files ----------------------------------------------------------------------------


def remove_evidence(evidence: Evidence, *, by: Actor, reason: str, event: str = "evidence.removed") -> None:
    """Remove an evidence file: its bytes from the file store, its name and fingerprint from the
    database. The row stays, named by who removed it, when and why. Twice is refused."""
    if evidence.removed_at is not None:
        raise AlreadyRedacted(
            f"This file was already removed on {clock.long_date(clock.local_date(evidence.removed_at))}. "
            "Nothing was changed."
        )
    reason = _checked_reason(reason)
    organisation_id = evidence.update.action.organisation_id
    stored_path, filename = evidence.stored_path, evidence.filename
    evidence.filename = evidence_marker(by, clock.today(), reason)
    evidence.sha256, evidence.stored_path = "", ""
    evidence.removed_at, evidence.removed_reason = utc_now(), reason
    evidence.removed_by_id = by.id if isinstance(by, User) else None
    db.session.flush()
    if stored_path and not _still_named(stored_path):
        files.discard(stored_path)
    _scrub_queued_emails([filename], organisation_id)
    audit.record(
        event,
        evidence,
        actor=by,
        organisation_id=organisation_id,
        after={"action_id": evidence.action_id, "update_id": evidence.update_id, "reason": reason},
    )


def _still_named(stored_path: str) -> bool:
    """Another evidence row or a report still holds the same content (files are kept once by
    their hash, whoever uploaded them): then the bytes stay for them, and only this row lets go."""
    return (
        db.session.scalar(select(Evidence.id).where(Evidence.stored_path == stored_path).limit(1)) is not None
        or db.session.scalar(select(Report.id).where(Report.source_path == stored_path).limit(1)) is not None
    )
