"""Each HTML email rendered with fixed data and compared with the text stored beside this test
(tests/emails/expected/), so a change to the shared shell (templates/emails/base.html) or to one
email shows up as a difference to read. To accept an intended change, render again with
UPDATE_EMAIL_SNAPSHOTS=1 and read the new files before committing them."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import render_template

from tracker.models import Status

EXPECTED = Path(__file__).parent / "expected"
ACTION = SimpleNamespace(
    description="1a. Review every child's plan when their circumstances change",
    status=Status.IN_PROGRESS,
    due_on=date(2026, 6, 1),
)
COMMON = {
    "subject": "Reminder: an action is due in 7 days",
    "service_name": "Inspection recommendation tracker",
    "organisation_name": "Eastbrook YOS",
    "greeting": "Dear Asha Head,",
    "settings_url": "http://localhost/account/reminders",
    "action_url": "http://localhost/actions/7",
    "sign_in_url": "http://localhost/sign-in",
    "action": ACTION,
}
LINE = SimpleNamespace(
    url="http://localhost/actions/7",
    headline="Recommendation 1, step a: due in 7 days",
    detail="Asked for 1 September 2026: recruitment is delayed",
    partner_link="",
    action_url="http://localhost/actions/7",
    action=ACTION,
    label="Recommendation 1, step a",
    overdue=False,
    due_on="1 June 2026",
    description=ACTION.description,
)
OVERDUE_LINE = SimpleNamespace(
    **{**vars(LINE), "overdue": True, "due_on": "1 February 2026", "partner_link": "http://localhost/partner/abc"}
)

CONTEXTS = {
    "access_changed": {"name": "Asha Head", "changed_by": "Mo Manager", "before": "Board", "after": "Manager"},
    "bundle": {
        "handoff_sections": [("Decisions waiting", [LINE])],
        "sections": [("Overdue", [OVERDUE_LINE]), ("Due soon", [LINE])],
        "first_run": True,
        "roles": ["YOS Head of Service", "Board Chair"],
        "overdue": 1,
    },
    "deadline_decision": {
        "approved": True,
        "requested_due_on": "1 September 2026",
        "due_on_before": "1 June 2026",
        "due_on": "1 June 2026",
        "decided_by": "Bea Board",
        "change": SimpleNamespace(moves_recommendation=True, decision_note="Agreed at the meeting"),
    },
    "digest": {"lines": [LINE, OVERDUE_LINE], "weekday": "Monday"},
    "handoff": {"handoff": LINE},
    "invitation": {
        "invited_by": "Mo Manager",
        "access_label": "Manager",
        "link": "http://localhost/choose/xyz",
        "password_sign_in": True,
        "sso": True,
        "days": 7,
    },
    "partner_link": {
        "name": "Pat Partner",
        "sent_by": "Mo Manager",
        "report_title": "Inspection of Eastbrook YOS",
        "recommendation_number": "1",
        "recommendation_text": "Review plans when things change",
        "link": "http://localhost/partner/abc",
        "expires_at": datetime(2026, 3, 15, 14, 5, tzinfo=UTC),
    },
    "password_reset": {"name": "Asha Head", "link": "http://localhost/reset/xyz", "minutes": 60},
    "reminder": {
        "what_to_do": "Post an update or mark it completed.",
        "owners": "YOS Head of Service",
        "due_on": "1 June 2026",
        "original_due_on": "1 April 2026",
        "last_update_on": None,
        "partner_link": "http://localhost/partner/abc",
        "why": "you hold the role YOS Head of Service.",
    },
    "role_welcome": {
        "given_by": "Mo Manager",
        "role": SimpleNamespace(name="YOS Head of Service"),
        "lines": [LINE, OVERDUE_LINE],
        "overdue": 1,
    },
    "sent_back": {
        "reason": "The evidence does not show the change",
        "board_member": "Bea Board",
        "role": "YOS Head of Service",
    },
}


def test_every_html_email_has_a_snapshot():
    templates = Path(__file__).resolve().parents[2] / "templates" / "emails"
    assert {path.stem for path in templates.glob("*.html")} - {"base"} == set(CONTEXTS)


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_the_html_email_renders_as_stored(app, name):
    with app.test_request_context():
        html = render_template(f"emails/{name}.html", **{**COMMON, **CONTEXTS[name]})
    expected = EXPECTED / f"{name}.html"
    if os.environ.get("UPDATE_EMAIL_SNAPSHOTS"):
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8")
