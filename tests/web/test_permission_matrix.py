"""Every route, for every access level and for another organisation's user.

EXPECTED lists, for each endpoint, who may use it. The test fails for any route that is not
in EXPECTED, so a new route cannot ship without a decision about who may use it.
Allowed: anything but 403, 404 or a server error. Not allowed: 403. Outsiders: 404.
"""

from datetime import date

import pytest

from tracker.extensions import db
from tracker.models import (
    AccessLevel, BoardMeeting, Contact, DeadlineChange, Evidence, Notification, NotificationStatus, PartnerLink, utc_now,
)
from tracker.services.actions import post_update
from tests.factories import make_action, make_organisation, make_role, make_user

ADMIN, MANAGER, BOARD, HOLDER, OWNER, OVERSIGHT = "admin", "manager", "board", "owner (holds role)", "owner", "oversight"
INSIDE = (ADMIN, MANAGER, BOARD, HOLDER, OWNER, OVERSIGHT)
EVERYONE = set(INSIDE)
STAFF = {ADMIN, MANAGER}

# endpoint: (method, who may use it). Public and API endpoints are covered by their own tests.
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "dashboard.index": ("GET", EVERYONE),
    "auth.account": ("GET", EVERYONE),
    "reports.index": ("GET", EVERYONE),
    "reports.show": ("GET", EVERYONE),
    "reports.upload": ("GET", STAFF),
    "reports.paste": ("GET", STAFF),
    "reports.review": ("POST", STAFF),
    "plans.upload": ("GET", STAFF),
    "plans.mapping": ("GET", STAFF),
    "plans.preview": ("POST", STAFF),
    "plans.export": ("GET", {ADMIN, MANAGER, BOARD, OVERSIGHT}),
    "organisations.show": ("GET", EVERYONE),
    "organisations.audit": ("GET", STAFF),
    "organisations.audit_record": ("GET", {ADMIN}),
    "organisations.roles": ("GET", EVERYONE),
    "organisations.edit_role": ("GET", STAFF),
    "actions.index": ("GET", EVERYONE),
    "actions.reassign": ("POST", STAFF),
    "actions.show": ("GET", EVERYONE),
    "actions.audit": ("GET", STAFF),
    "actions.audit_record": ("GET", {ADMIN}),
    "actions.post": ("POST", STAFF | {HOLDER}),
    "actions.request_deadline_change": ("POST", STAFF | {HOLDER}),
    "actions.decide_deadline_change": ("POST", {ADMIN, BOARD}),
    "actions.verify": ("POST", {ADMIN, BOARD}),
    "actions.withdraw": ("POST", {ADMIN, MANAGER, BOARD}),
    "actions.owners": ("GET", STAFF),
    "actions.add_step": ("GET", STAFF),
    "actions.edit_update": ("GET", {MANAGER}),  # only the update's author
    "actions.download_evidence": ("GET", EVERYONE),
    "actions.revoke_partner_link": ("POST", STAFF),
    "notifications.settings": ("GET", EVERYONE),
    "notifications.outbox": ("GET", STAFF),
    "notifications.resend": ("POST", STAFF),
    "notifications.policy": ("GET", STAFF),
    "board.dashboard": ("GET", {ADMIN, MANAGER, BOARD, OVERSIGHT}),
    "board.pack": ("GET", {ADMIN, MANAGER, BOARD, OVERSIGHT}),
    "board.meetings": ("GET", {ADMIN, MANAGER, BOARD, OVERSIGHT}),
    "board.meeting": ("GET", {ADMIN, MANAGER, BOARD, OVERSIGHT}),
    "board.next_meeting": ("GET", {ADMIN, MANAGER, BOARD, OVERSIGHT}),
    "board.evidence_pack": ("GET", {ADMIN, MANAGER, BOARD, OVERSIGHT}),
    "board.record_meeting": ("GET", {ADMIN, MANAGER, BOARD}),
    "themes.index": ("GET", EVERYONE),
    "themes.search": ("GET", EVERYONE),
    "themes.show": ("GET", EVERYONE),
    "calendar.index": ("GET", EVERYONE),
    "calendar.create": ("POST", EVERYONE),
    "calendar.revoke": ("POST", EVERYONE),
    "auth.create_token": ("POST", EVERYONE),
    "people.index": ("GET", {ADMIN}),
    "people.invite": ("GET", {ADMIN}),
    "people.change_access": ("GET", {ADMIN}),
    "people.remove": ("GET", {ADMIN}),
    "people.sso_domains": ("POST", {ADMIN}),
    "partner_links.send": ("POST", STAFF),
    "partner_links.resend": ("POST", STAFF),
    "decisions.index": ("GET", {ADMIN, BOARD}),
    "decisions.send_back": ("GET", {ADMIN, BOARD}),
    "report_admin.withdraw": ("GET", STAFF),
    "action_lists.export": ("GET", EVERYONE),
    "oversight.index": ("GET", EVERYONE),
    "theme_tags.edit": ("GET", STAFF | {OVERSIGHT}),
    "oversight.export": ("GET", EVERYONE),
    "action_lists.bulk_status": ("GET", STAFF),
    "report_admin.edit": ("GET", STAFF),
    "report_admin.edit_recommendation": ("GET", STAFF),
    "asked_before.change": ("POST", STAFF),
}
# Pages that show only the signed-in user's own things (or what they may see across organisations).
PERSONAL = {"dashboard.index", "auth.account", "notifications.settings", "themes.index", "themes.search",
            "themes.show", "calendar.index", "calendar.create", "calendar.revoke", "auth.create_token",
            "oversight.index", "oversight.export"}
# Reached without a session (the partner link and calendar feed carry their own tokens; tested elsewhere).
PUBLIC = {"auth.sign_in", "auth.sign_in_with_link", "auth.sign_out", "health.healthz", "pages.accessibility",
          "partner.action", "calendar.feed", "static", "auth.forgot_password", "auth.reset_password",
          "auth.accept_invitation", "sso.start", "sso.callback"}
# Routes for one user's own objects, whose permissions have their own tests: revoking an API
# token (tests/web/test_people_and_tokens.py: another user's token answers 404).
OWN_OBJECTS = {"auth.revoke_token"}


@pytest.fixture
def world(app, tmp_path):
    organisation = make_organisation("Inside YOS")
    users = {
        ADMIN: make_user(organisation, AccessLevel.ADMIN),
        MANAGER: make_user(organisation, AccessLevel.MANAGER),
        BOARD: make_user(organisation, AccessLevel.BOARD),
        HOLDER: make_user(organisation, AccessLevel.OWNER),
        OWNER: make_user(organisation, AccessLevel.OWNER),
        OVERSIGHT: make_user(make_organisation("Youth Justice Board"), AccessLevel.OVERSIGHT),
    }
    outsider = make_user(make_organisation("Outside YOS"), AccessLevel.ADMIN)
    role = make_role(organisation, "YOS Head of Service", holder=users[HOLDER])
    action = make_action(organisation, owners=[role], due_on=date(2030, 1, 1))
    update = post_update(action, author=users[MANAGER], note="Progress", expected_version=1)
    stored = tmp_path / "evidence.txt"
    stored.write_text("evidence")
    app.config["UPLOAD_DIR"] = str(tmp_path)
    evidence = Evidence(update=update, action_id=action.id, filename="evidence.txt", media_type="text/plain",
                        size_bytes=8, sha256="0" * 64, stored_path="evidence.txt")
    change = DeadlineChange(action=action, due_on_before=action.due_on, requested_due_on=date(2030, 6, 1), reason="x")
    partner = Contact(organisation=organisation, email="police@example.org", name="Police partner")
    link = PartnerLink(action=action, contact=partner, nonce="n", expires_at=utc_now())
    failed_email = Notification(key="reminder:test", organisation_id=organisation.id, action_id=action.id,
                                kind="overdue", recipient="head@example.org", subject="s", body_text="t",
                                body_html="h", status=NotificationStatus.FAILED, last_error="550 no such user")
    meeting = BoardMeeting(organisation=organisation, held_on=date(2026, 1, 20), attendees="Chair")
    db.session.add_all([evidence, change, link, failed_email, meeting])
    db.session.commit()
    values = {
        "slug": organisation.slug, "report_id": action.recommendation.report_id, "action_id": action.id,
        "change_id": change.id, "recommendation_id": action.recommendation_id, "update_id": update.id,
        "evidence_id": evidence.id, "role_id": role.id, "link_id": link.id, "notification_id": failed_email.id,
        "meeting_id": meeting.id, "file_format": "csv", "theme_slug": "health", "user_id": users[MANAGER].id,
    }
    return users, outsider, values


def _request(client_request, app, endpoint, method, values):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    arguments = {name: values[name] for name in rule.arguments}
    url = client_request.url(endpoint, **arguments)
    if method == "GET":
        return client_request.client.get(url).status_code
    return client_request.client.post(url, data={"csrf_token": client_request.csrf_token()}).status_code


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    api = {endpoint for endpoint in endpoints if endpoint.startswith("api.")}
    assert endpoints - api - PUBLIC - OWN_OBJECTS - set(EXPECTED) == set()


@pytest.mark.parametrize("level", [*INSIDE, "another organisation"])
def test_the_permission_matrix(client_request, app, world, level):
    users, outsider, values = world
    client_request.login(outsider if level == "another organisation" else users[level])
    wrong = []
    for endpoint, (method, allowed) in EXPECTED.items():
        status = _request(client_request, app, endpoint, method, values)
        if endpoint in PERSONAL:
            expected_ok = True
        elif level == "another organisation":
            expected_ok = False
            if status != 404:
                wrong.append(f"{method} {endpoint}: {status}, expected 404")
            continue
        else:
            expected_ok = level in allowed
        if expected_ok and (status in (403, 404) or status >= 500):
            wrong.append(f"{method} {endpoint}: {status}, expected it to be allowed")
        if not expected_ok and status != 403:
            wrong.append(f"{method} {endpoint}: {status}, expected 403")
    assert wrong == []


def test_signed_out_visitors_are_sent_to_sign_in(client_request, app, world):
    _, _, values = world
    for endpoint, (method, _) in EXPECTED.items():
        if method != "GET":
            continue
        rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
        response = client_request.client.get(client_request.url(endpoint, **{k: values[k] for k in rule.arguments}))
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), endpoint
