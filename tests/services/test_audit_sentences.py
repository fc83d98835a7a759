"""Every kind of audit event reads as one plain-English sentence."""

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from tracker.services.audit_sentences import SENTENCES, sentence, when

LONDON = ZoneInfo("Europe/London")
TRACKER = Path(__file__).resolve().parents[2] / "tracker"
# Calls whose event name is not a plain string literal, and the names they produce.
COMPUTED = {
    'f"deadline_change.{change.status.value}"': {"deadline_change.approved", "deadline_change.refused"},
    "event": {
        "action.verified",
        "action.withdrawn",
        "action.sent_back",  # _record_decision's callers pass these
        "user.invitation_accepted",
        "user.password_reset",  # invitations.use_link, by the link's purpose
        "evidence.removed",
        "evidence.expired",  # redaction.remove_evidence: by a person, or by retention
        "role.holder_changed",
        "role.deputy_changed",
    },  # forgetting: roles held through a contact
    "IMPORTED_EVENT": {"plan.imported"},
}
SARAH = SimpleNamespace(name="Sarah Jones")
SNAPSHOT = {"status": "in_progress", "flag": None, "flag_reason": None, "due_on": "2025-12-02", "version": 3}

# event: (actor, before, after, the sentence)
EXAMPLES = {
    "user.sign_in_failed": (
        "sarah@example.org",
        None,
        None,
        "Someone failed to sign in as sarah@example.org (wrong password).",
    ),
    "user.signed_in": (SARAH, None, None, "Sarah Jones signed in."),
    "user.signed_in_with_link": (SARAH, None, None, "Sarah Jones signed in with a link sent by email."),
    "user.password_changed": (SARAH, None, None, "Sarah Jones changed their password."),
    "api_token.created": (
        "command line",
        None,
        {"name": "board reporting"},
        "The command line created an API token named \u201cboard reporting\u201d.",
    ),
    "partner_link.created": (
        "reminders",
        None,
        {"action_id": 4, "contact": "police@example.org", "expires_at": "2026-07-01T11:30:00+00:00"},
        "The reminders sent police@example.org a link to update this action without "
        "signing in, valid until 1 July 2026 at 12:30pm.",
    ),
    "partner_link.used": (
        "partner link: police@example.org",
        None,
        {"action_id": 4, "use": "posted an update"},
        "police@example.org (through a partner link) posted an update.",
    ),
    "partner_link.revoked": (
        SARAH,
        None,
        {"action_id": 4, "contact": "police@example.org"},
        "Sarah Jones stopped the link sent to police@example.org from working.",
    ),
    "calendar_feed.created": (
        SARAH,
        None,
        {"user": "s@example.org", "replaced_feed_id": 2},
        "Sarah Jones created a calendar feed of their deadlines, replacing their earlier feed.",
    ),
    "calendar_feed.revoked": (
        SARAH,
        {"revoked_at": None},
        {"revoked_at": "2026-01-01T00:00:00", "reason": "lost phone"},
        "Sarah Jones stopped a calendar feed from working (lost phone).",
    ),
    "board_meeting.recorded": (
        SARAH,
        None,
        {"held_on": "2026-03-12", "attendees": "Chair, Head of Service", "notes": "", "decisions": []},
        "Sarah Jones recorded the board meeting held on 12 March 2026, attended by Chair, Head of Service.",
    ),
    "action.update_posted": (
        SARAH,
        {**SNAPSHOT, "status": "not_started"},
        {
            **SNAPSHOT,
            "flag": "at_risk",
            "flag_reason": "No RHI provider yet",
            "note": "Commissioned RHI training for March 2027",
            "links": ["https://a.example"],
        },
        "Sarah Jones posted an update, changed the status from not started to in progress, "
        "flagged the action as at risk (No RHI provider yet) and added 1 link as evidence: "
        "\u201cCommissioned RHI training for March 2027\u201d.",
    ),
    "update.edited": (
        SARAH,
        {"note": "Draft", "links": []},
        {"note": "Final", "links": [], "action_id": 4},
        "Sarah Jones edited an update, changing its note from \u201cDraft\u201d to \u201cFinal\u201d.",
    ),
    "action.verified": (
        SARAH,
        {**SNAPSHOT, "status": "completed"},
        {**SNAPSHOT, "status": "verified", "note": "Signed off as verified."},
        "Sarah Jones signed the action off as verified for the board.",
    ),
    "action.withdrawn": (
        SARAH,
        SNAPSHOT,
        {**SNAPSHOT, "status": "withdrawn", "note": "Withdrawn: duplicate (board decision: 12 March, item 4)"},
        "Sarah Jones withdrew the action: duplicate (board decision: 12 March, item 4).",
    ),
    "action.deadline_moved_with_step": (
        SARAH,
        SNAPSHOT,
        {**SNAPSHOT, "due_on": "2026-03-31", "step_id": 9},
        "Sarah Jones moved the recommendation's deadline from 2 December 2025 to "
        "31 March 2026, approving one of its steps' request for more time for the "
        "board.",
    ),
    "deadline_change.requested": (
        SARAH,
        None,
        {"action_id": 4, "from": "2025-12-02", "to": "2026-03-31", "reason": "New case system arrives late"},
        "Sarah Jones asked the board to move the deadline from 2 December 2025 to "
        "31 March 2026, because \u201cNew case system arrives late\u201d.",
    ),
    "deadline_change.approved": (
        SARAH,
        SNAPSHOT,
        {**SNAPSHOT, "due_on": "2026-03-31", "action_id": 4, "note": ""},
        "Sarah Jones changed the deadline from 2 December 2025 to 31 March 2026 "
        "(approved by the board on 12 November 2025).",
    ),
    "deadline_change.refused": (
        SARAH,
        SNAPSHOT,
        {**SNAPSHOT, "action_id": 4, "note": "Not enough reason"},
        "Sarah Jones refused, for the board, the request to move the deadline of "
        "2 December 2025, because \u201cNot enough reason\u201d.",
    ),
    "action.step_added": (
        SARAH,
        None,
        {
            "recommendation_id": 1,
            "title": "Train staff",
            "due_on": "2026-01-31",
            "owners": ["Head of Service", "Police"],
            "lead": "Head of Service",
        },
        "Sarah Jones added the improvement plan step \u201cTrain staff\u201d, owned by "
        "Head of Service and Police and due on 31 January 2026.",
    ),
    "action.owners_changed": (
        SARAH,
        {"owners": ["Chair"], "lead": "Chair"},
        {"owners": ["Chair", "Police"], "lead": "Police"},
        "Sarah Jones changed the owners from Chair to Chair and Police, with Police leading.",
    ),
    "action.reassigned": (
        SARAH,
        {"owner": "Chair"},
        {"owner": "Head of Service"},
        "Sarah Jones moved the action from Chair to Head of Service.",
    ),
    "organisation.created": (
        "command line",
        None,
        {"slug": "north", "name": "Northfield YOS"},
        "The command line created the organisation Northfield YOS.",
    ),
    "user.created": (SARAH, None, {"email": "new@example.org"}, "Sarah Jones added an account for new@example.org."),
    "membership.set": (
        SARAH,
        {"access": "owner"},
        {"user": "new@example.org", "access": "manager"},
        "Sarah Jones changed new@example.org's access from action owner to manager.",
    ),
    "role.created": (
        SARAH,
        None,
        {"name": "Chair of the Board"},
        "Sarah Jones created the role \u201cChair of the Board\u201d.",
    ),
    "role.holder_changed": (
        SARAH,
        {"holder": "old@example.org"},
        {"holder": "new@example.org"},
        "Sarah Jones made new@example.org the holder of the role, in place of old@example.org.",
    ),
    "role.deputy_changed": (
        SARAH,
        {"deputy": None},
        {"deputy": "dep@example.org"},
        "Sarah Jones made dep@example.org the deputy for the role.",
    ),
    "role.merged": (
        SARAH,
        {"role": "Board Chair", "actions": 1},
        {"into": "Chair of the Board", "actions_moved": 1},
        "Sarah Jones merged the role \u201cBoard Chair\u201d into \u201cChair of the Board\u201d: 1 action "
        "moved, and \u201cBoard Chair\u201d is now another name for it.",
    ),
    "report.imported": (
        SARAH,
        None,
        {
            "title": "Inspection of youth offending services in Northfield",
            "recommendations": 6,
            "sha256": "0" * 64,
            "filename": "northfield.pdf",
        },
        "Sarah Jones imported the report \u201cInspection of youth offending services in Northfield\u201d "
        "with 6 recommendations from the file northfield.pdf.",
    ),
    "notification.failed": (
        "scheduler",
        None,
        {"key": "k", "recipient": "head@example.org", "attempts": 10, "error": "550 no such user"},
        "An email to head@example.org could not be sent after 10 attempts: 550 no such user.",
    ),
    "notification.resend_requested": (
        SARAH,
        {"status": "failed"},
        {"status": "pending", "recipient": "head@example.org", "subject": "Overdue: recommendation 4"},
        "Sarah Jones asked for the email \u201cOverdue: recommendation 4\u201d to head@example.org to be sent again.",
    ),
    "notification_preference.changed": (
        SARAH,
        None,
        {"user": "s@example.org", "frequency": "weekly_digest", "digest_weekday": 0},
        "Sarah Jones chose to get a weekly digest on Mondays.",
    ),
    "reminder_policy.changed": (
        SARAH,
        None,
        {
            "days_before": [30, 7],
            "remind_on_due_day": True,
            "overdue_every_days": 7,
            "escalate_after_days_overdue": 28,
            "nudge_after_days_without_update": 60,
        },
        "Sarah Jones changed when reminders go out to: 30, 7 days before the deadline; on "
        "the day yes; every 7 days when overdue; escalation after 28 days overdue; a nudge "
        "after 60 days without an update.",
    ),
    "user.signed_out": (SARAH, None, None, "Sarah Jones signed out, which ended every session of theirs."),
    "user.signed_in_with_sso": (
        SARAH,
        None,
        {"subject": "abc", "first_time": True},
        "Sarah Jones signed in with single sign-on for the first time.",
    ),
    "user.password_reset_requested": (SARAH, None, None, "Sarah Jones asked for a link to reset their password."),
    "user.password_reset": (SARAH, None, None, "Sarah Jones set a new password with a reset link."),
    "user.invitation_accepted": (SARAH, None, None, "Sarah Jones accepted their invitation and set a password."),
    "user.invited": (
        SARAH,
        None,
        {"email": "new@example.org", "access": "board"},
        "Sarah Jones invited new@example.org as board member.",
    ),
    "membership.changed": (
        SARAH,
        {"user": "new@example.org", "access": "owner"},
        {"user": "new@example.org", "access": "manager"},
        "Sarah Jones changed new@example.org's access from action owner to manager.",
    ),
    "membership.removed": (
        SARAH,
        {"user": "old@example.org", "access": "manager"},
        None,
        "Sarah Jones removed old@example.org's access (they were manager).",
    ),
    "organisation.sso_domains_changed": (
        SARAH,
        {"domains": []},
        {"domains": ["northfield.gov.uk", "nhs.net"]},
        "Sarah Jones changed the email domains accepted for single sign-on from none to northfield.gov.uk and nhs.net.",
    ),
    "api_token.revoked": (
        "command line",
        None,
        {"token_id": 3, "name": "board reporting"},
        "The command line stopped the API token named \u201cboard reporting\u201d from working.",
    ),
    "partner_link.sent": (
        SARAH,
        None,
        {"action_id": 4, "contact": "police@example.org"},
        "Sarah Jones emailed police@example.org a link to update this action without signing in.",
    ),
    "plan.imported": (
        SARAH,
        None,
        {"filename": "plan.xlsx", "sheet": "Plan", "recommendations": 4, "steps": 12, "skipped_rows": [7]},
        "Sarah Jones imported an action plan from plan.xlsx (sheet \u201cPlan\u201d) with 4 "
        "recommendations and 12 steps, skipping 1 refused row.",
    ),
    "action.sent_back": (
        SARAH,
        {**SNAPSHOT, "status": "completed"},
        {**SNAPSHOT, "note": "Sent back to the owner: No evidence of the audit"},
        "Sarah Jones sent the action back to its owners, for the board, because \u201cNo evidence of the audit\u201d.",
    ),
    "report.withdrawn": (
        SARAH,
        {"title": "Northfield 2025", "withdrawn": False},
        {
            "title": "Northfield 2025",
            "withdrawn": True,
            "reason": "Imported twice",
            "actions": 6,
            "emails_cancelled": 2,
        },
        "Sarah Jones withdrew the import of the report \u201cNorthfield 2025\u201d and its 6 "
        "actions, because \u201cImported twice\u201d.",
    ),
    "report.edited": (
        SARAH,
        {"title": "Northfield", "publication_date": "2025-05-01", "date_precision": "month"},
        {
            "title": "Northfield 2025",
            "publication_date": "2025-05-12",
            "date_precision": "day",
            "deadlines_moved": [{"action_id": 1, "from": "2026-05-31", "to": "2026-05-12"}],
        },
        "Sarah Jones renamed the report from \u201cNorthfield\u201d to \u201cNorthfield 2025\u201d, "
        "changed its publication date from 1 May 2025 to 12 May 2025 and moved 1 deadline counted "
        "from it.",
    ),
    "recommendation.edited": (
        SARAH,
        {"text": "Improve plans"},
        {"text": "Improve care plans", "revision_id": 3},
        "Sarah Jones changed the recommendation's wording from \u201cImprove plans\u201d to "
        "\u201cImprove care plans\u201d.",
    ),
    "recommendation.themes_changed": (
        SARAH,
        {"themes": ["other"]},
        {"themes": ["risk-and-safety", "workforce"]},
        "Sarah Jones changed the recommendation's themes from other to risk and safety and workforce.",
    ),
    "reminders.queued": (
        "scheduler",
        None,
        {"date": "2026-03-01", "count": 1, "notification_ids": [9]},
        "The reminder run for 1 March 2026 queued 1 email.",
    ),
    "update.redacted": (
        SARAH,
        None,
        {"action_id": 4, "reason": "It named a child"},
        "Sarah Jones redacted the text of an update, because \u201cIt named a child\u201d.",
    ),
    "evidence.removed": (
        SARAH,
        None,
        {"action_id": 4, "update_id": 2, "reason": "Case notes"},
        "Sarah Jones removed an evidence file, because \u201cCase notes\u201d.",
    ),
    "evidence.expired": (
        "scheduler",
        None,
        {"reason": "kept for 6 years"},
        "The scheduler removed an evidence file whose retention period had ended: \u201ckept for 6 years\u201d.",
    ),
    "user.forgotten": (
        SARAH,
        None,
        {"person": "a former member of staff (#7)"},
        "Sarah Jones removed the personal details of a former member of staff (#7); what they did "
        "stays, credited to them as that.",
    ),
    "person_data.exported": (
        SARAH,
        None,
        {"person": "sam@example.org"},
        "Sarah Jones downloaded everything held about sam@example.org (a subject access request).",
    ),
    "organisation.privacy_notice_changed": (SARAH, None, {"notice": True}, "Sarah Jones changed the privacy notice."),
    "retention.applied": (
        "command line",
        None,
        {"removed": {"expired or revoked API tokens": 2}},
        "The command line removed personal data whose retention period had ended: 2 expired or revoked API tokens.",
    ),
    "oversight.granted": (
        SARAH,
        None,
        {
            "user": "olu@yjb.example",
            "body": "Youth Justice Board",
            "organisations": ["Northfield YOS", "Southfield YOS"],
        },
        "Sarah Jones let olu@yjb.example read Northfield YOS and Southfield YOS for the oversight "
        "body Youth Justice Board.",
    ),
    "oversight.withdrawn": (
        "command line",
        {"user": "olu@yjb.example", "body": "Youth Justice Board", "organisations": "every organisation"},
        None,
        "The command line withdrew olu@yjb.example's oversight for Youth Justice Board, which read every organisation.",
    ),
    "user.system_admin_changed": (
        "command line",
        {"user": "sam@example.org", "system_admin": False},
        {"user": "sam@example.org", "system_admin": True},
        "The command line made sam@example.org a system administrator.",
    ),
}


def _event(name, actor, before, after):
    is_person = not isinstance(actor, str)
    return SimpleNamespace(
        event=name,
        actor=actor if is_person else None,
        actor_label="sarah@example.org" if is_person else actor,
        occurred_at=datetime(2025, 11, 12, 23, 30, tzinfo=UTC),
        before=before,
        after=after,
    )


def audit_event_names_in_the_code() -> set[str]:
    names, unknown = set(), []
    for path in TRACKER.rglob("*.py"):
        for first in re.findall(r"audit\.record\(\s*([^,]+),", path.read_text()):
            if re.fullmatch(r'"[a-z_]+\.[a-z_]+"', first):
                names.add(first.strip('"'))
            elif first in COMPUTED:
                names |= COMPUTED[first]
            else:
                unknown.append(f"{path.name}: {first}")
    assert unknown == [], "audit.record calls whose event name this test cannot work out: add them to COMPUTED"
    return names


def test_every_event_the_code_records_has_its_own_sentence_and_an_example_here():
    recorded = audit_event_names_in_the_code()
    assert len(recorded) > 30
    assert recorded - set(SENTENCES) == set(), "write a sentence in tracker/services/audit_sentences.py"
    assert recorded - set(EXAMPLES) == set(), "add an example to this test"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_event_reads_as_one_sentence(name):
    actor, before, after, expected = EXAMPLES[name]
    text = sentence(_event(name, actor, before, after), LONDON)
    assert text == expected
    assert not re.search(r"[{}\[\]]|\b[a-z]+_[a-z]+\b", text), "no raw values or field names"


def test_times_are_in_the_organisations_time_zone():
    event = _event("user.signed_in", SARAH, None, None)
    assert when(event, LONDON) == "12 November 2025 at 11:30pm"
    event.occurred_at = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # British Summer Time
    assert when(event, LONDON) == "1 July 2026 at 12:30am"


def test_an_unknown_event_still_reads_as_a_sentence_without_raw_values():
    text = sentence(_event("thing.unheard_of", SARAH, None, {"rows": 3}), LONDON)
    assert text == "Sarah Jones made a change recorded as thing: unheard of."
