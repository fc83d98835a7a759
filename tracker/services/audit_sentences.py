"""The audit log in plain English: one sentence per event, from what the event recorded.

Pure functions: an AuditEvent (or anything with the same attributes) and a time zone in, a
sentence out. No database and no request, so every event type is easy to test. Calendar dates
(deadlines, meeting days) are shown as recorded; moments (UTC timestamps) are shown in the
time zone given, which is the organisation's (the service's TRACKER_TIMEZONE).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from tracker.services.audit_words import (
    action_changes,
    say_all,
    say_day,
    say_moment,
    say_names,
    say_quoted,
)


class EventLike(Protocol):
    event: str
    actor_label: str
    occurred_at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def actor(self) -> Any: ...


def actor_name(event: EventLike) -> str:
    """Who did it: the person's name while their account exists, else the label kept with the event."""
    actor = getattr(event, "actor", None)
    if actor is not None and getattr(actor, "name", None):
        return actor.name
    label = event.actor_label or "Someone"
    if label.startswith("partner link: "):
        return f"{label.removeprefix('partner link: ')} (through a partner link)"
    if label in {"command line", "scheduler", "reminders"}:
        return f"The {label}"
    return label


def _update_posted(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    clauses = ["posted an update", *action_changes(before, after)]
    links = after.get("links") or []
    if links:
        clauses.append(f"added {len(links)} link{'s' if len(links) != 1 else ''} as evidence")
    sentence = f"{who} {say_all(clauses)}"
    return sentence + (f": {say_quoted(after['note'])}." if after.get("note") else ".")


def _update_edited(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    if before.get("note") != after.get("note"):
        return (
            f"{who} edited an update, changing its note from {say_quoted(before.get('note'))}"
            f" to {say_quoted(after.get('note'))}."
        )
    return f"{who} edited the links on an update (now {len(after.get('links') or [])})."


def _verified(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    note = after.get("note")
    suffix = f": {say_quoted(note)}" if note and note != "Signed off as verified." else ""
    return f"{who} signed the action off as verified for the board{suffix}."


def _withdrawn(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    note = str(after.get("note") or "").removeprefix("Withdrawn: ")
    return f"{who} withdrew the action: {note}." if note else f"{who} withdrew the action."


def _sent_back(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    reason = str(after.get("note") or "").removeprefix("Sent back to the owner: ")
    return f"{who} sent the action back to its owners, for the board" + (
        f", because {say_quoted(reason)}." if reason else "."
    )


def _report_edited(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    changes = []
    if before.get("title") != after.get("title"):
        changes.append(f"renamed the report from {say_quoted(before.get('title'))} to {say_quoted(after.get('title'))}")
    if before.get("publication_date") != after.get("publication_date"):
        changes.append(
            f"changed its publication date from {say_day(before.get('publication_date'))} to "
            f"{say_day(after.get('publication_date'))}"
        )
    elif after.get("publication_date"):
        changes.append(f"confirmed its publication date as {say_day(after.get('publication_date'))}")
    moved = len(after.get("deadlines_moved") or [])
    if moved:
        changes.append(f"moved {moved} deadline{'s' if moved != 1 else ''} counted from it")
    return f"{who} {say_all(changes) or 'edited the report'}."


def _themes(values: Any) -> str:
    return say_names([str(value).replace("-", " ") for value in values or []]) if values else "none"


def _deadline_requested(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    return (
        f"{who} asked the board to move the deadline from {say_day(after.get('from'))} to "
        f"{say_day(after.get('to'))}, because {say_quoted(after.get('reason'))}."
    )


def _deadline_approved(who: str, before: dict, after: dict, zone: ZoneInfo, when: datetime | None = None) -> str:
    decided = (
        f" (approved by the board on {say_moment(when, zone).split(' at ')[0]})" if when else " (approved by the board)"
    )
    sentence = (
        f"{who} changed the deadline from {say_day(before.get('due_on'))} to {say_day(after.get('due_on'))}{decided}"
    )
    return sentence + (f": {say_quoted(after['note'])}." if after.get("note") else ".")


def _deadline_refused(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    return (
        f"{who} refused, for the board, the request to move the deadline of {say_day(before.get('due_on'))}, "
        f"because {say_quoted(after.get('note'))}."
    )


def _step_added(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    return (
        f"{who} added the improvement plan step {say_quoted(after.get('title'))}, owned by "
        f"{say_names(after.get('owners'))} and due on {say_day(after.get('due_on'))}."
    )


def _owners_changed(who: str, before: dict, after: dict, zone: ZoneInfo) -> str:
    return (
        f"{who} changed the owners from {say_names(before.get('owners'))} to {say_names(after.get('owners'))}, "
        f"with {after.get('lead') or 'no one'} leading."
    )


def _policy(values: dict) -> str:
    days = ", ".join(str(day) for day in values.get("days_before") or []) or "none"
    return (
        f"{days} days before the deadline; on the day {'yes' if values.get('remind_on_due_day') else 'no'}; "
        f"every {values.get('overdue_every_days')} days when overdue; escalation after "
        f"{values.get('escalate_after_days_overdue')} days overdue; a nudge after "
        f"{values.get('nudge_after_days_without_update')} days without an update"
    )


def _access(value: Any) -> str:
    return {
        "admin": "administrator",
        "manager": "manager",
        "board": "board member",
        "owner": "action owner",
        "oversight": "oversight viewer",
    }.get(str(value), str(value))


def _oversight_scope(value: Any) -> str:
    """ "every organisation", or the names a grant lists."""
    if isinstance(value, list):
        return say_names(value) if value else "no organisation"
    return str(value or "every organisation")


def _frequency(value: Any) -> str:
    return {"each": "each reminder as it falls due", "weekly_digest": "a weekly digest"}.get(str(value), str(value))


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

Describe = Callable[[str, dict, dict, ZoneInfo], str]

SENTENCES: dict[str, Describe] = {
    "user.sign_in_failed": lambda who, b, a, z: f"Someone failed to sign in as {who} (wrong password).",
    "user.signed_in": lambda who, b, a, z: f"{who} signed in.",
    "user.signed_in_with_link": lambda who, b, a, z: f"{who} signed in with a link sent by email.",
    "user.password_changed": lambda who, b, a, z: f"{who} changed their password.",
    "api_token.created": lambda who, b, a, z: (
        f"{who} created an API token" + (f" named {say_quoted(a.get('name'))}." if a.get("name") else ".")
    ),
    "partner_link.created": lambda who, b, a, z: (
        f"{who} sent {a.get('contact')} a link to update this action without signing in, "
        f"valid until {say_moment(a.get('expires_at'), z)}."
    ),
    "partner_link.used": lambda who, b, a, z: f"{who} {a.get('use') or 'used their link'}.",
    "partner_link.revoked": lambda who, b, a, z: f"{who} stopped the link sent to {a.get('contact')} from working.",
    "calendar_feed.created": lambda who, b, a, z: (
        f"{who} created a calendar feed of their deadlines"
        + (", replacing their earlier feed." if a.get("replaced_feed_id") else ".")
    ),
    "calendar_feed.revoked": lambda who, b, a, z: (
        f"{who} stopped a calendar feed from working" + (f" ({a['reason']})." if a.get("reason") else ".")
    ),
    "board_meeting.recorded": lambda who, b, a, z: (
        f"{who} recorded the board meeting held on {say_day(a.get('held_on'))}"
        + (f", attended by {a['attendees']}." if a.get("attendees") else ".")
    ),
    "action.update_posted": _update_posted,
    "update.edited": _update_edited,
    "action.verified": _verified,
    "action.withdrawn": _withdrawn,
    "deadline_change.requested": _deadline_requested,
    "deadline_change.approved": _deadline_approved,
    "deadline_change.refused": _deadline_refused,
    "action.deadline_moved_with_step": lambda who, b, a, z: (
        f"{who} moved the recommendation's deadline from {say_day(b.get('due_on'))} to {say_day(a.get('due_on'))}, "
        "approving one of its steps' request for more time for the board."
    ),
    "action.step_added": _step_added,
    "action.owners_changed": _owners_changed,
    "action.reassigned": lambda who, b, a, z: (f"{who} moved the action from {b.get('owner')} to {a.get('owner')}."),
    "organisation.created": lambda who, b, a, z: f"{who} created the organisation {a.get('name')}.",
    "user.created": lambda who, b, a, z: f"{who} added an account for {a.get('email')}.",
    "membership.set": lambda who, b, a, z: (
        f"{who} changed {a.get('user')}'s access from {_access(b['access'])} to {_access(a.get('access'))}."
        if b.get("access") and b.get("access") != a.get("access")
        else f"{who} gave {a.get('user')} access as {_access(a.get('access'))}."
    ),
    "role.created": lambda who, b, a, z: f"{who} created the role {say_quoted(a.get('name'))}.",
    "role.merged": lambda who, b, a, z: (
        f"{who} merged the role {say_quoted(b.get('role'))} into {say_quoted(a.get('into'))}: "
        f"{a.get('actions_moved')} action{'s' if a.get('actions_moved') != 1 else ''} moved, and "
        f"{say_quoted(b.get('role'))} is now another name for it."
    ),
    "role.holder_changed": lambda who, b, a, z: (
        f"{who} made {a.get('holder')} the holder of the role"
        + (f", in place of {b['holder']}." if b.get("holder") else ".")
        if a.get("holder")
        else f"{who} left the role unheld (it was held by {b.get('holder') or 'nobody'})."
    ),
    "role.deputy_changed": lambda who, b, a, z: (
        f"{who} made {a['deputy']} the deputy for the role"
        + (f", in place of {b['deputy']}." if b.get("deputy") else ".")
        if a.get("deputy")
        else f"{who} removed {b.get('deputy') or 'the'} deputy from the role."
    ),
    "report.imported": lambda who, b, a, z: (
        f"{who} imported the report {say_quoted(a.get('title'))} with {a.get('recommendations')} "
        f"recommendation{'s' if a.get('recommendations') != 1 else ''}"
        + (f" from the file {a['filename']}." if a.get("filename") else ".")
    ),
    "notification.failed": lambda who, b, a, z: (
        f"An email to {a.get('recipient')} could not be sent after {a.get('attempts')} "
        f"attempt{'s' if a.get('attempts') != 1 else ''}: {a.get('error') or 'no reason given'}."
    ),
    "notification.resend_requested": lambda who, b, a, z: (
        f"{who} asked for the email {say_quoted(a.get('subject'))} to {a.get('recipient')} to be sent again."
    ),
    "notification_preference.changed": lambda who, b, a, z: (
        f"{who} chose to get {_frequency(a.get('frequency'))}"
        + (
            f" on {_WEEKDAYS[a['digest_weekday']]}s."
            if a.get("frequency") == "weekly_digest"
            and isinstance(a.get("digest_weekday"), int)
            and 0 <= a["digest_weekday"] < 7
            else "."
        )
    ),
    "reminder_policy.changed": lambda who, b, a, z: f"{who} changed when reminders go out to: {_policy(a)}.",
    "user.signed_out": lambda who, b, a, z: f"{who} signed out, which ended every session of theirs.",
    "user.signed_in_with_sso": lambda who, b, a, z: (
        f"{who} signed in with single sign-on"
        + (" for the first time" if a.get("first_time") else "")
        + (", so the invitation link emailed to them no longer works." if a.get("invitation_used_up") else ".")
    ),
    "oversight.granted": lambda who, b, a, z: (
        f"{who} let {a.get('user') or 'someone'} read {_oversight_scope(a.get('organisations'))} "
        f"for the oversight body {a.get('body')}"
        + (" (moved from an oversight membership)." if a.get("migrated_from_membership") else ".")
    ),
    "oversight.withdrawn": lambda who, b, a, z: (
        f"{who} withdrew {b.get('user') or 'someone'}'s oversight for {b.get('body')}, "
        f"which read {_oversight_scope(b.get('organisations'))}."
    ),
    "user.system_admin_changed": lambda who, b, a, z: (
        f"{who} made {a.get('user')} a system administrator."
        if a.get("system_admin")
        else f"{who} stopped {a.get('user')} being a system administrator."
    ),
    "user.password_reset_requested": lambda who, b, a, z: f"{who} asked for a link to reset their password.",
    "user.password_reset": lambda who, b, a, z: f"{who} set a new password with a reset link.",
    "user.invitation_accepted": lambda who, b, a, z: f"{who} accepted their invitation and set a password.",
    "user.invited": lambda who, b, a, z: f"{who} invited {a.get('email')} as {_access(a.get('access'))}.",
    "membership.changed": lambda who, b, a, z: (
        f"{who} changed {a.get('user')}'s access from {_access(b.get('access'))} to {_access(a.get('access'))}."
    ),
    "membership.removed": lambda who, b, a, z: (
        f"{who} removed {b.get('user')}'s access (they were {_access(b.get('access'))})."
    ),
    "organisation.sso_domains_changed": lambda who, b, a, z: (
        f"{who} changed the email domains accepted for single sign-on from "
        f"{say_names(b.get('domains')) if b.get('domains') else 'none'}"
        f" to {say_names(a.get('domains')) if a.get('domains') else 'none'}."
    ),
    "api_token.revoked": lambda who, b, a, z: (
        f"{who} stopped the API token"
        + (f" named {say_quoted(a.get('name'))}" if a.get("name") else "")
        + " from working."
    ),
    "partner_link.sent": lambda who, b, a, z: (
        f"{who} emailed {a.get('contact')} a link to update this action without signing in."
    ),
    "plan.imported": lambda who, b, a, z: (
        f"{who} imported an action plan from {a.get('filename') or 'a spreadsheet'}"
        + (f" (sheet {say_quoted(a['sheet'])})" if a.get("sheet") else "")
        + f" with {a.get('recommendations')} recommendation{'s' if a.get('recommendations') != 1 else ''} and "
        f"{a.get('steps')} step{'s' if a.get('steps') != 1 else ''}"
        + (
            f", skipping {len(a['skipped_rows'])} refused row{'s' if len(a['skipped_rows']) != 1 else ''}"
            if a.get("skipped_rows")
            else ""
        )
        + "."
    ),
    "action.sent_back": _sent_back,
    "report.withdrawn": lambda who, b, a, z: (
        f"{who} withdrew the import of the report {say_quoted(a.get('title'))}"
        + (f" and its {a['actions']} action{'s' if a['actions'] != 1 else ''}" if a.get("actions") else "")
        + (f", because {say_quoted(a.get('reason'))}." if a.get("reason") else ".")
    ),
    "report.edited": _report_edited,
    "recommendation.edited": lambda who, b, a, z: (
        f"{who} changed the recommendation's wording from {say_quoted(b.get('text'), 120)}"
        f" to {say_quoted(a.get('text'), 120)}."
    ),
    "recommendation.themes_changed": lambda who, b, a, z: (
        f"{who} changed the recommendation's themes from {_themes(b.get('themes'))} to {_themes(a.get('themes'))}."
    ),
    "update.redacted": lambda who,
    b,
    a,
    z: f"{who} redacted the text of an update, because {say_quoted(a.get('reason'))}.",
    "evidence.removed": lambda who, b, a, z: f"{who} removed an evidence file, because {say_quoted(a.get('reason'))}.",
    "evidence.expired": lambda who, b, a, z: (
        f"{who} removed an evidence file whose retention period had ended: {say_quoted(a.get('reason'))}."
    ),
    "user.forgotten": lambda who, b, a, z: (
        f"{who} removed the personal details of {a.get('person')}; what they did stays, credited to them as that."
    ),
    "person_data.exported": lambda who, b, a, z: (
        f"{who} downloaded everything held about {a.get('person')} (a subject access request)."
    ),
    "organisation.privacy_notice_changed": lambda who, b, a, z: (
        f"{who} {'changed' if a.get('notice') else 'went back to the default text of'} the privacy notice."
    ),
    "retention.applied": lambda who, b, a, z: (
        f"{who} removed personal data whose retention period had ended: "
        + "; ".join(f"{count} {kind}" for kind, count in (a.get("removed") or {}).items())
        + "."
    ),
    # "Asked before" links (services/asked_before/links.py)
    "repeat_link.suggested": lambda who, b, a, z: (
        f"The matching suggested {a.get('count')} earlier recommendation{'s' if a.get('count') != 1 else ''} "
        f"that the report {say_quoted(a.get('report'))} may repeat, for {who} to confirm or dismiss."
    ),
    "repeat_link.confirmed": lambda who, b, a, z: (
        f"{who} confirmed that {a.get('recommendation')} was asked before, as {a.get('earlier')}: "
        f"{say_quoted(a.get('earlier_text'), 160)}."
    ),
    "repeat_link.added": lambda who, b, a, z: (
        f"{who} linked {a.get('recommendation')} to {a.get('earlier')}, as asked before: "
        f"{say_quoted(a.get('earlier_text'), 160)}."
    ),
    "repeat_link.dismissed": lambda who, b, a, z: (
        f"{who} dismissed the suggestion that {a.get('recommendation')} was asked before as {a.get('earlier')}."
    ),
    "repeat_link.removed": lambda who, b, a, z: (
        f"{who} removed the link between {a.get('recommendation')} and {a.get('earlier')}: "
        f"it is no longer shown as asked before."
    ),
    "reminders.queued": lambda who, b, a, z: (
        f"The reminder run for {say_day(a.get('date'))} queued "
        f"{a.get('count')} email{'s' if a.get('count') != 1 else ''}."
    ),
}


def sentence(event: EventLike, zone: ZoneInfo) -> str:
    """One plain-English sentence for an audit event."""
    who = actor_name(event)
    before, after = event.before or {}, event.after or {}
    describe = SENTENCES.get(event.event)
    if event.event == "deadline_change.approved":
        text = _deadline_approved(who, before, after, zone, when=event.occurred_at)
    elif describe is None:
        text = f"{who} made a change recorded as {event.event.replace('_', ' ').replace('.', ': ')}."
    else:
        text = describe(who, before, after, zone)
    # A forgotten person's events start with the label their records now carry.
    return "A" + text[1:] if text.startswith("a former member of staff") else text


def when(event: EventLike, zone: ZoneInfo) -> str:
    """When it happened, in the organisation's time zone: "3 March 2026 at 2:05pm"."""
    return say_moment(event.occurred_at, zone)


def raw_record(event: Any) -> dict[str, Any]:
    """Everything the event stores, for an administrator's download."""
    return {
        "id": event.id,
        "occurred_at_utc": event.occurred_at.isoformat() if event.occurred_at else None,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "event": event.event,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "before": event.before,
        "after": event.after,
    }
