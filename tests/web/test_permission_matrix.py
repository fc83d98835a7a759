"""Every route, for every access level and for another organisation's user.

EXPECTED lists, for each endpoint, who may use it. The test fails for any route that is not
in EXPECTED, so a new route cannot ship without a decision about who may use it.
Allowed: anything but 403, 404 or a server error. Not allowed: 403. Outsiders: 404.
The oversight user here reads this one organisation through a grant that lists only it; a
system administrator belongs to no organisation, so organisation pages answer them 404 too,
and the system administrators' pages answer everyone else 403.
"""

from datetime import date

import pytest

from tests.factories import (
    make_action,
    make_organisation,
    make_oversight_user,
    make_role,
    make_system_admin,
    make_user,
)
from tracker.extensions import db
from tracker.models import (
    AccessLevel,
    BoardMeeting,
    Contact,
    DeadlineChange,
    Evidence,
    Notification,
    NotificationStatus,
    PartnerLink,
    utc_now,
)
from tracker.services.actions import post_update
from tracker.services.people import oversight_grants

ADMIN, MANAGER, BOARD, HOLDER, OWNER, OVERSIGHT = (
    "admin",
    "manager",
    "board",
    "owner (holds role)",
    "owner",
    "oversight",
)
SYSTEM_ADMIN = "system administrator"
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
    "organisations.merge_role": ("GET", STAFF),
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
    "personal_data.redact_update": ("GET", STAFF),
    "personal_data.remove_evidence": ("GET", STAFF),
    "personal_data.download": ("GET", {ADMIN}),
    "personal_data.forget": ("GET", {ADMIN}),
    "personal_data.edit_privacy_notice": ("GET", {ADMIN}),
    "system_admin.index": ("GET", {SYSTEM_ADMIN}),
    "system_admin.grant": ("GET", {SYSTEM_ADMIN}),
    "system_admin.withdraw": ("POST", {SYSTEM_ADMIN}),
    "system_admin.sso": ("GET", {SYSTEM_ADMIN}),
    "asked_before.change": ("POST", STAFF),
}
# The system administrators' pages: 403 for everyone else, whatever organisation they are in.
SYSTEM = {endpoint for endpoint in EXPECTED if endpoint.startswith("system_admin.")}
# Pages that show only the signed-in user's own things (or what they may see across organisations).
PERSONAL = {
    "dashboard.index",
    "auth.account",
    "notifications.settings",
    "themes.index",
    "themes.search",
    "themes.show",
    "calendar.index",
    "calendar.create",
    "calendar.revoke",
    "auth.create_token",
    "oversight.index",
    "oversight.export",
}
# Reached without a session (the partner link and calendar feed carry their own tokens; tested elsewhere).
PUBLIC = {
    "auth.sign_in",
    "auth.sign_in_with_link",
    "auth.sign_out",
    "health.healthz",
    "pages.accessibility",
    "partner.action",
    "calendar.feed",
    "static",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.accept_invitation",
    "sso.start",
    "sso.callback",
    "personal_data.privacy_for_visitor",
    "personal_data.privacy",
}
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
        OVERSIGHT: make_oversight_user([organisation]),
        SYSTEM_ADMIN: make_system_admin(),
    }
    outsider = make_user(make_organisation("Outside YOS"), AccessLevel.ADMIN)
    role = make_role(organisation, "YOS Head of Service", holder=users[HOLDER])
    action = make_action(organisation, owners=[role], due_on=date(2030, 1, 1))
    update = post_update(action, author=users[MANAGER], note="Progress", expected_version=1)
    stored = tmp_path / "evidence.txt"
    stored.write_text("evidence")
    app.config["UPLOAD_DIR"] = str(tmp_path)
    evidence = Evidence(
        update=update,
        action_id=action.id,
        filename="evidence.txt",
        media_type="text/plain",
        size_bytes=8,
        sha256="0" * 64,
        stored_path="evidence.txt",
    )
    change = DeadlineChange(action=action, due_on_before=action.due_on, requested_due_on=date(2030, 6, 1), reason="x")
    partner = Contact(organisation=organisation, email="police@example.org", name="Police partner")
    link = PartnerLink(action=action, contact=partner, nonce="n", expires_at=utc_now())
    failed_email = Notification(
        key="reminder:test",
        organisation_id=organisation.id,
        action_id=action.id,
        kind="overdue",
        recipient="head@example.org",
        subject="s",
        body_text="t",
        body_html="h",
        status=NotificationStatus.FAILED,
        last_error="550 no such user",
    )
    meeting = BoardMeeting(organisation=organisation, held_on=date(2026, 1, 20), attendees="Chair")
    db.session.add_all([evidence, change, link, failed_email, meeting])
    db.session.commit()
    values = {
        "slug": organisation.slug,
        "report_id": action.recommendation.report_id,
        "action_id": action.id,
        "change_id": change.id,
        "recommendation_id": action.recommendation_id,
        "update_id": update.id,
        "evidence_id": evidence.id,
        "role_id": role.id,
        "link_id": link.id,
        "notification_id": failed_email.id,
        "meeting_id": meeting.id,
        "file_format": "csv",
        "theme_slug": "health",
        "user_id": users[MANAGER].id,
        "grant_id": oversight_grants.active_grants_of(users[OVERSIGHT])[0].id,
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


@pytest.mark.parametrize("level", [*INSIDE, SYSTEM_ADMIN, "another organisation"])
def test_the_permission_matrix(client_request, app, world, level):
    users, outsider, values = world
    client_request.login(outsider if level == "another organisation" else users[level])
    wrong = []
    for endpoint, (method, allowed) in EXPECTED.items():
        status = _request(client_request, app, endpoint, method, values)
        if endpoint in SYSTEM:
            expected_ok = level in allowed
        elif endpoint in PERSONAL:
            # The comparison is refused to someone who reads no organisation: nothing to compare.
            expected_ok = not (level == SYSTEM_ADMIN and endpoint.startswith("oversight."))
        elif level in ("another organisation", SYSTEM_ADMIN):
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


def _state():
    from sqlalchemy import func, select

    from tracker.models import Membership, OversightGrant

    return (
        sorted((m.user_id, m.organisation_id, m.access_level.value) for m in db.session.scalars(select(Membership))),
        db.session.scalar(select(func.count()).select_from(OversightGrant)),
    )


def test_an_organisation_admin_cannot_give_oversight_by_any_route(client_request, app, world):
    """The invite form, the change-access form, hand-made POSTs to both with `oversight`, and the
    system administrators' routes: each refuses, and nothing changes."""
    users, _, values = world
    slug = values["slug"]
    client_request.login(users[ADMIN])
    before = _state()
    for page in (
        client_request.get("people.invite", slug=slug),
        client_request.get("people.change_access", slug=slug, user_id=users[MANAGER].id),
    ):
        offered = {radio["value"] for radio in page.select("input[name=level]")}
        assert offered == {"admin", "manager", "board", "owner"}
        assert "Oversight" not in page.get_text()
    refusal = "Oversight is not an access level within an organisation"
    invited = client_request.post(
        "people.invite",
        slug=slug,
        _expected_status=400,
        data={"email": "new.reader@example.org", "name": "New", "level": "oversight"},
    )
    assert refusal in invited.get_text()
    changed = client_request.post(
        "people.change_access", slug=slug, user_id=users[MANAGER].id, _expected_status=400, data={"level": "oversight"}
    )
    assert refusal in changed.get_text()
    for endpoint, arguments in (
        ("system_admin.grant", {}),
        ("system_admin.withdraw", {"grant_id": values["grant_id"]}),
        ("system_admin.sso", {"slug": slug}),
    ):
        response = client_request.client.post(
            client_request.url(endpoint, **arguments),
            data={
                "csrf_token": client_request.csrf_token(),
                "email": users[MANAGER].email,
                "body": "Our own body",
                "scope": "all",
                "domains": "example.org",
            },
        )
        assert response.status_code == 403, endpoint
    assert client_request.client.post(
        f"/organisations/{slug}/people/sso-domains",
        data={"csrf_token": client_request.csrf_token(), "domains": "example.org"},
    ).status_code in (404, 405)
    assert _state() == before
    assert "System administration" not in client_request.get("dashboard.index").get_text()


def test_a_one_organisation_grant_reads_nothing_of_another(client_request, app, world):
    from tracker.services.people import accounts

    users, _, values = world
    other = make_organisation("Elsewhere YOS")
    theirs = make_action(other, due_on=date(2030, 1, 1), text="Improve health assessments at Elsewhere")
    mine = db.session.get(Evidence, values["evidence_id"]).update.action
    mine.recommendation.text = "Improve health assessments at Inside"
    token = accounts.create_api_token(users[OVERSIGHT], actor="test")
    db.session.commit()
    client_request.login(users[OVERSIGHT])
    client = client_request.client
    report_id = theirs.recommendation.report_id
    for path in (
        f"/actions/{theirs.id}",
        f"/reports/{report_id}",
        f"/reports/{report_id}/evidence-pack.pdf",
        f"/organisations/{other.slug}/actions",
        f"/organisations/{other.slug}/board/pack.pdf",
        f"/organisations/{other.slug}/board/pack.csv",
        f"/organisations/{other.slug}/actions/export.csv",
        f"/organisations/{other.slug}/plans/export.xlsx",
        f"/organisations/{other.slug}/board",
        f"/recommendations/{theirs.recommendation_id}/themes",
    ):
        assert client.get(path).status_code == 404, path
    retag = client.post(
        f"/recommendations/{theirs.recommendation_id}/themes",
        data={"csrf_token": client_request.csrf_token(), "themes": ["health"]},
    )
    assert retag.status_code == 404
    # What the grant does read still answers, so the refusals above are about the organisation.
    assert client.get(f"/actions/{values['action_id']}").status_code == 200
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/actions/{theirs.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/reports/{report_id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/actions?organisation={other.slug}", headers=headers).status_code == 404
    listed = client.get("/api/v1/actions", headers=headers).get_json()["actions"]
    assert [action["id"] for action in listed] == [values["action_id"]]
    reports = client.get("/api/v1/reports", headers=headers).get_json()["reports"]
    assert {report["id"] for report in reports} == {values["report_id"]}
    comparison = client_request.get("oversight.index").get_text()
    assert "Inside YOS" in comparison and "Elsewhere YOS" not in comparison
    exported = client.get("/oversight/organisations.csv").get_data(as_text=True)
    assert "Inside YOS" in exported and "Elsewhere YOS" not in exported
    found = client_request.get("themes.search", q="health assessments").get_text()
    assert "Inside" in found and "Elsewhere" not in found
    themes_page = client_request.get("themes.index")
    assert "Elsewhere YOS" not in themes_page.get_text()
