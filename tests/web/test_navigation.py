"""Every page a user may open can be reached from the navigation.

For each access level, the test signs in and walks the site breadth-first from the landing
page, following links (and GET forms) within the app, GET only, without downloading files. It
then checks that it reached every GET route that level may use: the routes in `app.url_map`
whose permission declaration (tracker/permissions.py) lets that level in.

Each level's user is made by a small builder function, so a new kind of user is one more entry
in BUILDERS. Besides the four levels within an organisation, it walks as an oversight reader (a
grant over the seeded organisation) and as a system administrator (no organisation at all).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from werkzeug.exceptions import HTTPException

from tests.factories import (
    make_action,
    make_organisation,
    make_oversight_user,
    make_report,
    make_role,
    make_system_admin,
    make_user,
)
from tracker.extensions import db
from tracker.models import AccessLevel, BoardMeeting, Organisation, Status, Update, User
from tracker.permissions import LEVELS_FOR, OWNER_NEEDS_ROLE, Capability
from tracker.services import evidence
from tracker.services.actions import add_plan_step, post_update

# Files, not pages: the walk does not download them.
DOWNLOADS = {
    "action_lists.export",
    "actions.audit_record",
    "actions.download_evidence",
    "board.evidence_pack",
    "board.pack",
    "organisations.audit_record",
    "oversight.export",
    "personal_data.download",
    "plans.export",
}
# A step of a wizard, shown only after a POST (a plan file uploaded), never linked; and a route
# that only sends you on to another page (an organisation to its reports).
NOT_PAGES = {"plans.mapping", "organisations.show"}
# Reached without signing in, or with a token of their own: not part of the signed-in navigation.
NOT_NAVIGATION = {"public", "partner link for one action", "calendar feed token", "API token"}
LIMIT = 400  # pages per walk: the seeded site has far fewer


def _admin(organisation: Organisation) -> User:
    return make_user(organisation, AccessLevel.ADMIN, name="Ada Admin")


def _manager(organisation: Organisation) -> User:
    return make_user(organisation, AccessLevel.MANAGER, name="Morgan Manager")


def _board(organisation: Organisation) -> User:
    return make_user(organisation, AccessLevel.BOARD, name="Bola Board")


def _owner(organisation: Organisation) -> User:
    return make_user(organisation, AccessLevel.OWNER, name="Olu Owner")


def _oversight(organisation: Organisation) -> User:
    """An oversight reader: a grant, given by a system administrator, over this organisation."""
    user = make_oversight_user([organisation], body="Youth Justice Board")
    user.name = "Oona Oversight"
    return user


def _system_admin(organisation: Organisation) -> User:
    """A system administrator, who belongs to no organisation."""
    user = make_system_admin()
    user.name = "Sami System"
    return user


SYSTEM_ADMINISTRATOR = None  # not an access level: the system-wide flag

# level name: (the access level its declarations are checked against, how to make its user)
BUILDERS: dict[str, tuple[AccessLevel | None, Callable[[Organisation], User]]] = {
    "admin": (AccessLevel.ADMIN, _admin),
    "manager": (AccessLevel.MANAGER, _manager),
    "board": (AccessLevel.BOARD, _board),
    "owner": (AccessLevel.OWNER, _owner),
    "oversight": (AccessLevel.OVERSIGHT, _oversight),
    "system administrator": (SYSTEM_ADMINISTRATOR, _system_admin),
}


@pytest.fixture
def site(app, travel):
    """One organisation with something behind every route: a report, actions (one completed and
    waiting for sign-off, one with a plan step), updates by each person who may post, a meeting."""
    travel("2026-01-05")
    organisation = make_organisation("Navshire YOS", slug="navshire")
    people = {name: build(organisation) for name, (_, build) in BUILDERS.items()}
    head = make_role(organisation, "YOS Head of Service", holder=people["owner"])
    chair = make_role(organisation, "Chair of the YOS Management Board", holder=people["board"])
    chair.is_board_chair = True
    report = make_report(organisation, "Inspection of youth justice services in Navshire", date(2025, 6, 1))
    done = make_action(
        organisation,
        report=report,
        owners=[chair],
        number="1",
        due_on=date(2026, 6, 1),
        text="Children in the youth justice system are in education, training or employment",
    )
    open_action = make_action(
        organisation,
        report=report,
        owners=[head],
        number="2",
        due_on=date(2026, 6, 1),
        text="Health and mental health needs are assessed in every case",
    )
    add_plan_step(
        open_action.recommendation,
        title="Agree a health pathway",
        owners=[head],
        lead=head,
        due_on=date(2026, 3, 1),
        created_by=people["manager"],
    )
    post_update(
        done,
        author=people["manager"],
        note="Every child has a place",
        new_status=Status.COMPLETED,
        links=["https://intranet.example.org/places.pdf"],
        expected_version=done.version,
    )
    updates = {
        name: post_update(
            open_action, author=people[name], note=f"Progress from {name}", expected_version=open_action.version
        ).id
        for name in ("admin", "manager", "owner")
    }
    [evidence_file] = evidence.attach(
        db.session.get(Update, updates["manager"]),
        evidence.check_files([evidence.EvidenceFile("health-pathway.txt", b"The agreed health pathway")]),
    )
    meeting = BoardMeeting(organisation=organisation, held_on=date(2025, 12, 10), notes="Quarterly meeting")
    db.session.add(meeting)
    db.session.commit()
    values = {
        "slug": organisation.slug,
        "report_id": report.id,
        "recommendation_id": open_action.recommendation_id,
        "action_id": done.id,
        "role_id": head.id,
        "meeting_id": meeting.id,
        "user_id": people["owner"].id,
        "evidence_id": evidence_file.id,
        "theme_slug": "health",
    }
    # Each person who may post edits their own update; the board's user edits none (the owner's, refused).
    return people, {name: {**values, "update_id": updates.get(name, updates["owner"])} for name in people}


def _allowed(permission: str | None, level: AccessLevel | None) -> bool:
    if permission is None or permission in NOT_NAVIGATION:
        return False
    if permission == "signed in":
        return True
    if permission == "system administrators":
        return level is SYSTEM_ADMINISTRATOR
    if level is SYSTEM_ADMINISTRATOR:
        return False  # a system administrator reads no organisation's pages
    capability = Capability(permission.split(": ", 1)[1])
    # An owner's POST_UPDATE and REQUEST_DEADLINE_CHANGE need the role; the seeded owner holds one.
    return level in LEVELS_FOR[capability] or (level is AccessLevel.OWNER and capability in OWNER_NEEDS_ROLE)


def declared_routes(app, level: AccessLevel | None) -> dict[str, str]:
    """Every GET page route whose permission declaration lets this level in, by endpoint."""
    return {
        rule.endpoint: rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in DOWNLOADS | NOT_PAGES
        and _allowed(getattr(app.view_functions[rule.endpoint], "permission", None), level)
    }


def usable_routes(app, client, level: AccessLevel | None, values: dict) -> set[str]:
    """The declared routes this user may really open, with their parameters filled from the
    seeded data: a view may refuse more than its declaration says (only an update's author
    edits it; only staff change a recommendation's themes)."""
    usable = set()
    for endpoint, rule in declared_routes(app, level).items():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda match: str(values[match.group(1)]), rule)
        status = client.get(path).status_code
        assert status < 500 and status != 404, f"{path} answered {status}: seed what it needs"
        if status != 403:
            usable.add(endpoint)
    return usable


def _targets(page: BeautifulSoup) -> list[str]:
    links = [anchor["href"] for anchor in page.select("a[href]") if not anchor.has_attr("download")]
    links += [
        form.get("action") or "" for form in page.select("form") if (form.get("method") or "get").lower() == "get"
    ]
    return links


def walk(app, client) -> set[str]:
    """The endpoints reached by following links from the landing page, breadth-first."""
    adapter = app.url_map.bind("localhost")
    seen, reached = {"/"}, set()
    queue = deque(["/"])
    while queue and len(seen) < LIMIT:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        try:
            endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
        except HTTPException:
            continue
        if response.status_code == 200 and response.mimetype == "text/html":
            reached.add(endpoint)
        elif response.status_code in (301, 302, 303):
            target = urlsplit(urljoin(path, response.headers["Location"])).path
            if target not in seen:
                seen.add(target)
                queue.append(target)
            reached.add(endpoint)  # a route that sends you on (an organisation to its reports)
            continue
        else:
            continue
        for href in _targets(BeautifulSoup(response.get_data(as_text=True), "html.parser")):
            parts = urlsplit(urljoin(path, href))
            if parts.netloc not in ("", "localhost") or parts.scheme not in ("", "http"):
                continue  # outside the app
            target = parts.path  # each page once, whatever its filters or sort order
            if target.startswith("/static/") or target in seen:
                continue
            try:
                found, _ = adapter.match(target, method="GET")
            except HTTPException:
                continue  # not a GET route of the app (a POST-only form target)
            if found in DOWNLOADS:
                continue
            seen.add(target)
            queue.append(target)
    return reached


@pytest.mark.parametrize("level_name", list(BUILDERS))
def test_every_page_a_level_may_open_is_reached_from_the_navigation(app, site, client_request, level_name):
    level, _ = BUILDERS[level_name]
    people, values = site
    client_request.login(people[level_name])
    usable = usable_routes(app, client_request.client, level, values[level_name])
    reached = walk(app, client_request.client)
    missing = usable - reached
    assert not missing, f"{level_name} cannot reach {sorted(missing)} by following links"
    public = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "permission", "") == "public"}
    assert reached <= usable | NOT_PAGES | public, f"{level_name} was shown links to {sorted(reached - usable)}"


def test_what_each_level_may_use_follows_the_declarations(app, site, client_request):
    people, values = site
    client_request.login(people["owner"])
    owner = usable_routes(app, client_request.client, AccessLevel.OWNER, values["owner"])
    assert {"dashboard.index", "actions.show", "oversight.index", "actions.edit_update"} <= owner
    assert not owner & {"people.index", "decisions.index", "organisations.edit_role", "theme_tags.edit"}
    client_request.login(people["board"])
    board = usable_routes(app, client_request.client, AccessLevel.BOARD, values["board"])
    assert {"decisions.index", "decisions.send_back", "board.dashboard"} <= board
    assert "actions.edit_update" not in board  # the board posts no updates, so edits none


def test_the_oversight_comparison_is_in_an_oversight_user_s_navigation(app, site, client_request):
    viewer = make_oversight_user([make_organisation("Elsewhere YOS")])
    db.session.commit()
    client_request.login(viewer)
    menu = client_request.get("dashboard.index").select_one("nav[aria-label='Main menu']")
    links = {anchor.text.strip(): anchor["href"] for anchor in menu.select("a")}
    assert links["Organisations compared"] == client_request.url("oversight.index")
    people, _ = site
    client_request.login(people["manager"])
    menu = client_request.get("dashboard.index").select_one("nav[aria-label='Main menu']")
    assert "Organisations compared" not in {anchor.text.strip() for anchor in menu.select("a")}  # on the dashboard
