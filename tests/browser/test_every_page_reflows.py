"""Every page a signed-in person can reach, at phone and desktop widths, for each access level.

The pages are found by walking `app.url_map`, so a page added later is checked without anyone
remembering to list it. Each URL parameter is filled from the demo data by its name: `slug`,
`theme_slug` and `file_format` by hand, any `<name>_id` from the first row of the model whose
class name is or ends with that name (`meeting_id` -> BoardMeeting). A new GET route with a
parameter that cannot be filled fails the test, rather than going unchecked.

At 320 x 640 (WCAG 1.4.10 Reflow) and 1280 x 800 each page must be no wider than the window,
any region that scrolls sideways must be focusable and labelled, and axe-core must find no
serious or critical issue.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from tests.browser.conftest import check_accessibility, screenshot
from tracker import clock
from tracker.extensions import db
from tracker.models import Action, BoardMeeting, Notification, NotificationStatus, Organisation, Status
from tracker.services import demo, evidence
from tracker.services.actions import post_update, request_deadline_change
from tracker.services.board.theme_classifier import THEMES
from tracker.services.evidence import EvidenceFile
from tracker.services.people import invitations, organisations, oversight_grants, partner_links

PASSWORD = "phone-width-demo-password"
VIEWPORTS = {"phone": {"width": 320, "height": 640}, "desktop": {"width": 1280, "height": 800}}
LEVELS = ["admin", "manager", "board", "owner", "oversight", "system admin"]
# GET routes that are not pages to look at, and why. Anything else that cannot be reached fails.
NOT_PAGES = {
    "static": "files, not pages",
    "health.healthz": "JSON for load balancers",
    "auth.sign_in_with_link": "a one-time link that signs the visitor in (tested in tests/web/test_auth.py)",
    "calendar.feed": "an iCalendar file for calendar apps",
}
LONG_TEXT = (
    "The partnership commissioned https://intranet.northfield.example/children/services/"
    "risk-and-safety-management/quality-assurance/dip-sample-2026-final-version.pdf "
    "and Supercalifragilisticexpialidociouspartnershipagreementreference2026 is signed."
)


def _seed() -> dict[str, str]:
    """The demo organisation, an oversight viewer, and one of everything a page can show."""
    today = clock.today()
    organisation = demo.seed_demo_organisation(password=PASSWORD, today=today)
    users = {key: organisations.user_by_email(email) for key, (email, _, _) in demo.DEMO_USERS.items()}
    organisations.create_organisation("youth-justice-board", "Youth Justice Board", actor="test")
    reader = oversight_grants.account_for("oversight@yjb.example", name="Olu Adeyemi", password=PASSWORD, actor="test")
    oversight_grants.grant(reader, body="Youth Justice Board", organisations=None, actor="test")
    administrator = oversight_grants.account_for(demo.DEMO_SYSTEM_ADMIN[0], password=PASSWORD, actor="test")
    oversight_grants.set_system_admin(administrator, True, actor="test")
    actions = list(db.session.scalars(select(Action).filter_by(organisation_id=organisation.id).order_by(Action.id)))
    files = evidence.check_files([EvidenceFile("risk-review-checklist-signed-by-every-team-manager.txt", b"Signed")])
    update = post_update(
        actions[3],
        author=users["owner"],
        note=LONG_TEXT,
        evidence_count=1,
        links=["https://intranet.northfield.example/" + "a" * 120],
        expected_version=actions[3].version,
    )
    evidence.attach(update, files)
    request_deadline_change(
        actions[3],
        requested_by=users["owner"],
        new_due_on=actions[3].due_on + timedelta(days=90),
        reason="The new case system arrives late",
        today=today,
    )
    post_update(
        actions[1],
        author=users["manager"],
        new_status=Status.IN_PROGRESS,
        expected_version=actions[1].version,
        note="Started",
    )
    post_update(
        actions[1],
        author=users["manager"],
        new_status=Status.COMPLETED,
        links=["https://example.org/done"],
        note="Done, with the checklist in use",
        expected_version=actions[1].version,
    )
    role = actions[2].owner_roles[0]
    organisations.set_role_deputy(organisation, role, "police@partner.example", actor="test")
    link = partner_links.create_link(actions[2], role.deputy)
    db.session.add_all(
        [
            BoardMeeting(
                organisation=organisation,
                held_on=today - timedelta(days=20),
                attendees="Chair; Head of Service",
                notes="Reviewed the plan",
                decisions="Agreed the new deadline",
            ),
            Notification(
                key="reminder:walk",
                organisation_id=organisation.id,
                action_id=actions[0].id,
                kind="overdue",
                recipient="head@example.org",
                subject="Overdue: recommendation 1",
                body_text="t",
                body_html="h",
                status=NotificationStatus.FAILED,
                last_error="550 no such user",
            ),
        ]
    )
    db.session.commit()
    # The pages an emailed link opens: a person choosing a password from an invitation or a reset.
    invited = users["owner"]
    return {
        "slug": organisation.slug,
        "partner_link": partner_links.url_for_link(link),
        "auth.accept_invitation": invitations.make_link(invited, invitations.INVITATION),
        "auth.reset_password": invitations.make_link(invited, invitations.PASSWORD_RESET),
    }


def _row_id(name: str, organisation: Organisation) -> int | None:
    """The id of the first row of the model that `<name>_id` names, preferring the organisation's."""
    wanted = name.removesuffix("_id").replace("_", "")
    models = [
        mapper.class_
        for mapper in db.Model.registry.mappers
        if mapper.class_.__name__.lower() == wanted or mapper.class_.__name__.lower().endswith(wanted)
    ]
    if not models:
        return None
    model = min(models, key=lambda model: len(model.__name__))
    query = select(model.id).order_by(model.id).limit(1)
    if hasattr(model, "organisation_id"):
        query = query.where(model.organisation_id == organisation.id)
    return db.session.scalar(query)


def _urls(app, seeded: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """A URL for every GET route, and the routes whose parameters could not be filled."""
    organisation = db.session.scalar(select(Organisation).filter_by(slug=seeded["slug"]))
    by_name = {"slug": organisation.slug, "theme_slug": THEMES[0].slug, "file_format": "csv"}
    urls, unresolved = {}, []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES or rule.endpoint.startswith("api."):
            continue
        if rule.endpoint == "partner.action":
            urls[rule.endpoint] = "/partner/" + seeded["partner_link"].split("/partner/", 1)[1]
            continue
        if rule.endpoint in ("auth.accept_invitation", "auth.reset_password"):
            urls[rule.endpoint] = urlsplit(seeded[rule.endpoint]).path
            continue
        values = {}
        for name in rule.arguments:
            value = (
                by_name.get(name) if name in by_name else _row_id(name, organisation) if name.endswith("_id") else None
            )
            if value is None:
                unresolved.append(f"{rule.endpoint} ({name})")
            values[name] = value
        if None not in values.values():
            with app.test_request_context():
                urls[rule.endpoint] = url_for(rule.endpoint, **values)
    return urls, unresolved


WIDTH_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.scrollWidth, viewport = window.innerWidth;
  if (width > viewport) {
    const culprits = [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().right > viewport + 1)
      .filter(el => ![...el.children].some(child => child.getBoundingClientRect().right > viewport + 1)).slice(0, 3)
      .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + [...el.classList].join('.'));
    problems.push(`page is ${width}px wide in a ${viewport}px window: ${culprits.join(', ')}`);
  }
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (el.tabIndex < 0 || !labelled || el.getAttribute('role') !== 'region')
      problems.push('a region that scrolls sideways is not focusable, labelled and a region: '
        + el.outerHTML.slice(0, 80));
  }
  return problems;
}"""


@pytest.fixture
def seeded(app):
    return _seed()


def _sign_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")


def test_every_get_route_can_be_walked(app, seeded):
    urls, unresolved = _urls(app, seeded)
    assert unresolved == [], (
        "GET routes whose parameters this test cannot fill from demo data: teach _urls their "
        "names, or add them to NOT_PAGES with a reason"
    )
    assert {"actions.show", "actions.audit", "board.next_meeting", "organisations.roles"} <= set(urls)


@pytest.mark.parametrize("level", LEVELS)
def test_every_page_reflows_at_320_pixels_and_passes_axe(app, live_server, browser, seeded, level):
    urls, unresolved = _urls(app, seeded)
    assert unresolved == []
    email = {"oversight": "oversight@yjb.example", "system admin": demo.DEMO_SYSTEM_ADMIN[0]}.get(
        level
    ) or demo.DEMO_USERS[level][0]
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    _sign_in(page, live_server, email)
    problems, visited = [], []
    try:
        for endpoint, path in sorted(urls.items()):
            response = page.request.get(live_server + path, max_redirects=0)
            if response.status != 200 or not response.headers.get("content-type", "").startswith("text/html"):
                continue  # not this person's page (403, 404, a redirect) or a download
            visited.append(endpoint)
            for viewport_name in ("phone", "desktop"):
                page.set_viewport_size(VIEWPORTS[viewport_name])
                page.goto(live_server + path)
                problems += [
                    f"{endpoint} at {viewport_name} width: {problem}" for problem in page.evaluate(WIDTH_PROBLEMS)
                ]
                try:
                    check_accessibility(page, f"{endpoint} at {viewport_name} width")
                except AssertionError as error:
                    problems.append(str(error))
            if level == "manager" and endpoint in SCREENSHOTS:
                page.set_viewport_size(VIEWPORTS["phone"])
                page.goto(live_server + path)
                screenshot(page, SCREENSHOTS[endpoint])
    finally:
        context.close()
    if level == "system admin":  # belongs to no organisation: reads none, runs the installation
        assert {"dashboard.index", "system_admin.index", "system_admin.grant", "system_admin.sso"} <= set(visited)
        assert "actions.show" not in visited
    else:
        assert "dashboard.index" in visited and "actions.show" in visited
    assert problems == [], "\n".join(problems)


SCREENSHOTS = {"actions.show": "phone-action-page", "actions.index": "phone-action-list"}
