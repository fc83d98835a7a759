import io
from datetime import date, timedelta

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Contact, Evidence, PartnerLink, Update
from tracker.services.people import partner_links

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Northfield YOS")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Priya Shah")
    role = make_role(organisation, "YOS Head of Service", holder=manager)
    action = make_action(organisation, owners=[role], due_on=date(2030, 1, 1))
    db.session.commit()
    return organisation, manager, role, action


def _post_update(client_request, action, files=(), **fields):
    data = {"note": "", "status": "unchanged", "flag": "unchanged", "version": str(action.version), **fields}
    if files:
        data["evidence"] = [(io.BytesIO(content), name) for name, content in files]
    return client_request.client.post(
        client_request.url("actions.post", action_id=action.id),
        data={"csrf_token": client_request.csrf_token(), **data},
        content_type="multipart/form-data",
    )


def test_an_owner_completes_with_evidence_and_only_members_can_download_it(client_request, setting, app):
    organisation, manager, _, action = setting
    client_request.login(manager)
    response = _post_update(
        client_request,
        action,
        files=[("audit report.pdf", PDF)],
        note="Audit done; report attached",
        status="completed",
    )
    assert response.status_code == 302
    evidence = db.session.query(Evidence).one()
    assert evidence.filename == "audit_report.pdf" and evidence.media_type == "application/pdf"
    download = client_request.client.get(f"/evidence/{evidence.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    outsider = make_user(make_organisation(), AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(outsider)
    assert client_request.client.get(f"/evidence/{evidence.id}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00binary", "not a type accepted"),
        ("empty.pdf", b"", "is empty"),
        ("big.txt", b"a" * (10 * 1024 * 1024 + 1), "larger than 10 MB"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(client_request, setting, name, content, message):
    _, manager, _, action = setting
    client_request.login(manager)
    response = _post_update(client_request, action, files=[(name, content)], note="With a file")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.query(Update).count() == 0 and db.session.query(Evidence).count() == 0


def test_an_upload_over_the_request_limit_gets_the_413_page(client_request, setting, app):
    _, manager, _, action = setting
    client_request.login(manager)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = _post_update(client_request, action, files=[("big.txt", b"a" * 4096)], note="x")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
    assert response.status_code == 413 and "The file is too large" in response.get_data(as_text=True)


def test_flags_deadline_requests_and_decisions_through_the_pages(client_request, setting, app):
    organisation, manager, _, action = setting
    board = make_user(organisation, AccessLevel.BOARD)
    db.session.commit()
    client_request.login(manager)
    response = _post_update(client_request, action, flag="at_risk", flag_reason="no health partner on the board")
    assert response.status_code == 302
    page = client_request.get("actions.show", action_id=action.id)
    assert page.select_one(".app-rag-reason").text.strip() == "At risk: no health partner on the board"
    client_request.post(
        "actions.request_deadline_change",
        action_id=action.id,
        data={"new_due_on": ["31", "3", "2030"], "reason": "New case system arrives late"},
    )
    client_request.login(board)
    page = client_request.get("actions.show", action_id=action.id)
    change_form = page.select_one("#deadline-change ~ form")
    assert "New case system arrives late" in page.select_one("#deadline-change").find_next("p").text
    client_request.post(
        "actions.decide_deadline_change",
        change_id=int(change_form["action"].split("/")[2]),
        data={"decision": "approve", "note": "", "version": change_form.select_one("[name=version]")["value"]},
    )
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert action.due_on == date(2030, 3, 31) and action.original_due_on == date(2030, 1, 1)
    page = client_request.get("actions.show", action_id=action.id)
    assert "(originally 1 January 2030)" in page.text


def test_the_action_list_filters_searches_and_pages(client_request, setting, app, travel):
    travel("2026-03-01")
    organisation, manager, role, action = setting
    for number in range(30):
        make_action(
            organisation,
            owners=[role],
            due_on=date(2026, 2, 1) + timedelta(days=number),
            text=f"Recommendation about topic {number}",
        )
    db.session.commit()
    client_request.login(manager)
    page = client_request.get("actions.index", slug=organisation.slug)
    assert "31 actions." in page.text and len(page.select("tbody tr")) == 25
    page = client_request.get("actions.index", slug=organisation.slug, page=2)
    assert len(page.select("tbody tr")) == 6
    page = client_request.get("actions.index", slug=organisation.slug, overdue=1)
    assert "28 actions match the filters." in page.text
    page = client_request.get("actions.index", slug=organisation.slug, q="TOPIC 17")
    assert [row.select_one("a").text.strip().split(". ", 1)[1] for row in page.select("tbody tr")] == [
        "Recommendation about topic 17"
    ]
    page = client_request.get("actions.index", slug=organisation.slug, rag="green")
    assert "1 action matches the filters." in page.text
    # Nonsense in the query string is ignored, not an error.
    client_request.get("actions.index", slug=organisation.slug, status="nonsense", owner="x", due_within="-4")


def test_a_role_holder_change_through_the_roles_page(client_request, setting):
    organisation, manager, role, action = setting
    client_request.login(manager)
    client_request.post(
        "organisations.edit_role",
        slug=organisation.slug,
        role_id=role.id,
        data={"email": "new.head@example.org", "name": "Jo Bloggs", "deputy_email": ""},
        _expected_redirect=f"/organisations/{organisation.slug}/roles",
    )
    page = client_request.get("organisations.roles", slug=organisation.slug)
    assert "Jo Bloggs" in page.select_one("tbody").text
    page = client_request.get("organisations.edit_role", slug=organisation.slug, role_id=role.id)
    assert "Priya Shah" in page.text and "(now)" in page.text


def test_partner_links_work_once_per_action_and_stop_when_they_should(client, setting, app):
    organisation, manager, role, action = setting
    police = Contact(organisation=organisation, email="inspector@police.example", name="Inspector Lee")
    role.holder = police
    other_action = make_action(organisation, owners=[role])
    db.session.commit()
    with app.test_request_context():
        url = partner_links.partner_link_for(action, police)
        assert partner_links.partner_link_for(action, police) == url  # reused, not minted per email
    db.session.commit()
    path = url.removeprefix(app.config["BASE_URL"])
    page = client.get(path)
    assert page.status_code == 200 and "Inspector Lee" in page.get_data(as_text=True)
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "note": "Intelligence sharing agreed",
            "status": "in_progress",
            "flag": "unchanged",
            "version": "1",
        },
    )
    assert response.status_code == 302
    update = db.session.query(Update).one()
    assert update.author_contact_id == police.id and update.author_id is None
    assert client.get(path.replace(f"/actions/{action.id}/", f"/actions/{other_action.id}/")).status_code == 403
    link = db.session.query(PartnerLink).one()
    partner_links.revoke(link, by=manager)
    db.session.commit()
    refused = client.get(path)
    assert refused.status_code == 403 and "expired or been withdrawn" in refused.get_data(as_text=True)
