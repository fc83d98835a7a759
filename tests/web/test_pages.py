from datetime import date

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel


def test_healthz_needs_no_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_pages_get_the_404_page(client_request):
    response = client_request.client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_errors_get_the_500_page_without_a_traceback(app, another_app):
    from tracker.permissions import public

    broken = another_app(PROPAGATE_EXCEPTIONS=False)

    @broken.get("/broken")
    @public
    def fail():
        raise RuntimeError("secret internal detail")

    response = broken.test_client().get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_security_headers(client):
    response = client.get("/sign-in")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self' 'nonce-" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_layout_has_the_service_name_and_no_crown(client_request):
    page = client_request.get("auth.sign_in")
    assert "Inspection recommendation tracker" in page.select_one(".govuk-service-navigation__service-name").text
    assert page.select(".govuk-header__logotype, .govuk-footer__crown, .govuk-footer__licence-logo") == []
    assert page.select_one("html")["lang"] == "en"
    assert page.select_one("a.govuk-skip-link")["href"] == "#main-content"


def test_the_dashboard_shows_my_actions_overdue_and_due_soon(client_request, travel):
    travel("2026-05-01")
    organisation = make_organisation()
    owner = make_user(organisation, AccessLevel.OWNER)
    mine = make_role(organisation, "YOS Head of Service", holder=owner)
    others = make_role(organisation, "Chair of the YOS Management Board")
    make_action(organisation, owners=[mine], due_on=date(2026, 12, 1), text="Mine, later")
    make_action(organisation, owners=[others], due_on=date(2026, 4, 20), text="Overdue one")
    make_action(organisation, owners=[others], due_on=date(2026, 5, 20), text="Due soon one")
    db.session.commit()
    client_request.login(owner)
    page = client_request.get("dashboard.index")
    tables = {table.select_one("caption").text.strip(): table for table in page.select("table")}
    assert "Mine, later" in tables["Your actions (1)"].text
    assert "Overdue one" in tables["Overdue (1)"].text and "Red" in tables["Overdue (1)"].text
    assert "11 days overdue" in tables["Overdue (1)"].text
    assert "Due soon one" in tables["Due in the next 30 days (1)"].text
    assert "Overdue one" not in tables["Due in the next 30 days (1)"].text


def test_the_dashboard_shows_the_most_urgent_and_links_to_the_rest(client_request, travel):
    travel("2026-05-01")
    organisation = make_organisation(slug="busy")
    manager = make_user(organisation, AccessLevel.MANAGER)
    for day in range(1, 13):
        make_action(organisation, due_on=date(2026, 4, day), text=f"Overdue since 2026-04-{day:02d}")
    db.session.commit()
    client_request.login(manager)
    page = client_request.get("dashboard.index")
    overdue = next(table for table in page.select("table") if table.select_one("caption").text.startswith("Overdue"))
    rows = overdue.select("tbody tr")
    assert len(rows) == 10 and "Overdue since 2026-04-01" in rows[0].text
    more = overdue.find_next("p")
    assert "The 10 most urgent of 12." in more.text
    assert more.select_one("a")["href"] == "/organisations/busy/actions?overdue=1"


def test_accessibility_statement_is_public(client_request):
    page = client_request.get("pages.accessibility")
    assert page.select_one("h1").text == "Accessibility statement"


def test_a_month_only_publication_date_is_shown_as_unconfirmed(client_request):
    from tracker.models import Report

    organisation = make_organisation(slug="dated")
    manager = make_user(organisation, AccessLevel.MANAGER)
    db.session.add_all(
        [
            Report(
                organisation=organisation,
                title="Month only",
                publication_date=date(2018, 12, 1),
                publication_date_confirmed=False,
                ratings={},
                extracted_text="",
            ),
            Report(
                organisation=organisation,
                title="Confirmed",
                publication_date=date(2016, 5, 17),
                publication_date_confirmed=True,
                ratings={},
                extracted_text="",
            ),
        ]
    )
    db.session.commit()
    client_request.login(manager)
    rows = {
        row.select_one("a").text: row.select("td")[1].text.strip()
        for row in client_request.get("reports.index", slug="dated").select("tbody tr")
    }
    assert rows == {"Month only": "December 2018 (day not confirmed)", "Confirmed": "17 May 2016"}


def test_the_dashboard_lists_each_action_once(client_request, travel):
    travel("2026-05-01")
    organisation = make_organisation(slug="once")
    owner = make_user(organisation, AccessLevel.OWNER)
    mine = make_role(organisation, "YOS Head of Service", holder=owner)
    overdue_and_mine = make_action(organisation, owners=[mine], due_on=date(2026, 4, 20), text="Mine and overdue")
    make_action(organisation, owners=[mine], due_on=date(2026, 5, 10), text="Mine and due soon")
    db.session.commit()
    client_request.login(owner)
    page = client_request.get("dashboard.index")
    links = [link["href"] for link in page.select("main a[href^='/actions/']")]
    assert len(links) == len(set(links)) == 2
    assert links[0] == f"/actions/{overdue_and_mine.id}"
    overdue = page.find("h2", string=lambda text: text and text.startswith("Overdue"))
    assert overdue.text.strip() == "Overdue (1)"
    note = overdue.find_next("p")
    assert "1 is listed above and not repeated here." in note.text
    assert note.select_one("a")["href"] == "/organisations/once/actions?overdue=1"
