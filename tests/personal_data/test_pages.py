"""The personal data pages: redaction, a person's data, forgetting, the privacy notice."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import normalise_whitespace
from tests.factories import make_action, make_organisation, make_role, make_user
from tests.personal_data.helpers import rows_holding
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Status, Update, User
from tracker.services import actions

NOTE = "Met with Jamie Okafor's family at home."


@pytest.fixture
def world(app):
    organisation = make_organisation(name="Northtown YOS")
    admin = make_user(organisation, AccessLevel.ADMIN, name="Ada Admin")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Max Manager")
    owner = make_user(organisation, AccessLevel.OWNER, name="Olu Owner", email="olu@northtown.example")
    role = make_role(organisation, holder=owner)
    action = make_action(organisation, owners=[role])
    update = actions.post_update(
        action, author=owner, note=NOTE, new_status=Status.IN_PROGRESS, expected_version=action.version
    )
    db.session.commit()
    return organisation, admin, manager, owner, action, update


def test_a_manager_redacts_an_update_from_a_confirmation_page(world, client_request):
    organisation, admin, manager, owner, action, update = world
    client_request.login(manager)
    page = client_request.get("actions.show", action_id=action.id)
    assert page.select_one(f"a[href='/updates/{update.id}/redact']") is not None
    page = client_request.get("personal_data.redact_update", update_id=update.id)
    assert NOTE in page.select_one(".govuk-inset-text").text
    page = client_request.post("personal_data.redact_update", {"reason": ""}, _expected_status=400, update_id=update.id)
    assert "Say why it is being removed" in page.select_one(".govuk-error-summary").text
    assert db.session.get(Update, update.id).redacted_at is None
    client_request.post("personal_data.redact_update", {"reason": "It named a child"}, update_id=update.id)
    page = client_request.get("actions.show", action_id=action.id)
    history = normalise_whitespace(page.select_one(".app-history__item").text)
    assert "Update redacted by Max Manager on" in history and ": It named a child" in history
    assert "Jamie" not in page.text
    assert rows_holding("Jamie Okafor") == []


def test_redacting_twice_says_so_and_changes_nothing(world, client_request):
    organisation, admin, manager, owner, action, update = world
    client_request.login(manager)
    client_request.post("personal_data.redact_update", {"reason": "It named a child"}, update_id=update.id)
    events = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    page = client_request.post(
        "personal_data.redact_update", {"reason": "Again"}, _expected_status=400, update_id=update.id
    )
    assert "already redacted" in page.select_one(".govuk-error-summary").text
    page = client_request.get("personal_data.redact_update", update_id=update.id, _expected_status=302, _follow=False)
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == events
    db.session.expire_all()
    assert db.session.get(Update, update.id).redacted_reason == "It named a child"


def test_another_organisations_update_cannot_be_redacted(world, client_request):
    organisation, admin, manager, owner, action, update = world
    outsider = make_user(make_organisation(), AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(outsider)
    client_request.get("personal_data.redact_update", _expected_status=404, update_id=update.id)
    client_request.post("personal_data.redact_update", {"reason": "x"}, _expected_status=404, update_id=update.id)
    assert db.session.get(Update, update.id).note == NOTE


def test_an_owner_cannot_redact(world, client_request):
    organisation, admin, manager, owner, action, update = world
    client_request.login(owner)
    client_request.post("personal_data.redact_update", {"reason": "x"}, _expected_status=403, update_id=update.id)
    assert db.session.get(Update, update.id).note == NOTE


def test_an_admin_downloads_a_persons_data(world, client_request):
    organisation, admin, manager, owner, action, update = world
    client_request.login(admin)
    response = client_request.client.get(
        client_request.url("personal_data.download", slug=organisation.slug, user_id=owner.id)
    )
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "olu@northtown.example"
    assert [item["note"] for item in data["updates_written"]] == [NOTE]
    # The factory sets the holder directly, as data from before tenures were recorded: no dates.
    assert data["roles_held"] == [
        {
            "role": "YOS Head of Service",
            "organisation": organisation.slug,
            "as": "holder",
            "started_at": None,
            "ended_at": None,
        }
    ]
    assert db.session.scalars(select(AuditEvent).filter_by(event="person_data.exported")).one().actor_id == admin.id


def test_an_admin_forgets_a_person_after_confirming(world, client_request):
    organisation, admin, manager, owner, action, update = world
    client_request.login(admin)
    page = client_request.get("personal_data.forget", slug=organisation.slug, user_id=owner.id)
    assert page.select_one("h1").text == "Forget Olu Owner"
    role_select = page.select_one("select[name^=role-]")
    page = client_request.post(
        "personal_data.forget", {}, _expected_status=400, slug=organisation.slug, user_id=owner.id
    )
    assert "Choose who takes over" in page.select_one(".govuk-error-summary").text
    assert rows_holding("olu@northtown.example")
    client_request.post(
        "personal_data.forget", {role_select["name"]: str(manager.id)}, slug=organisation.slug, user_id=owner.id
    )
    assert rows_holding("olu@northtown.example") == []
    db.session.expire_all()
    assert db.session.get(User, owner.id).forgotten_at is not None
    page = client_request.get("actions.show", action_id=action.id)
    assert f"a former member of staff (#{owner.id})" in page.select_one(".app-history__item").text


def test_an_admin_cannot_forget_themselves_from_the_page(world, client_request):
    """From a People page the last administrator is always the one asking (the command line
    refuses the last administrator too: tests/personal_data/test_forgetting.py)."""
    organisation, admin, manager, owner, action, update = world
    client_request.login(admin)
    page = client_request.get("personal_data.forget", slug=organisation.slug, user_id=admin.id)
    assert "You cannot forget yourself" in page.select_one(".govuk-error-summary").text
    assert page.select_one("main form") is None
    client_request.post("personal_data.forget", {}, _expected_status=400, slug=organisation.slug, user_id=admin.id)
    db.session.expire_all()
    assert db.session.get(User, admin.id).forgotten_at is None


def test_someone_with_access_elsewhere_is_not_forgotten_from_one_organisation(world, client_request):
    organisation, admin, manager, owner, action, update = world
    elsewhere = make_organisation(name="Southtown YOS")
    from tracker.services.people import members as people

    people.invite(elsewhere, owner.email, name="Olu Owner", level=AccessLevel.OWNER, actor="test")
    db.session.commit()
    client_request.login(admin)
    page = client_request.post(
        "personal_data.forget", {}, _expected_status=400, slug=organisation.slug, user_id=owner.id
    )
    assert "also has access to Southtown YOS" in page.select_one(".govuk-error-summary").text
    assert rows_holding("olu@northtown.example")


def test_the_privacy_notice_is_linked_from_every_page_and_editable_by_admins(world, client_request):
    organisation, admin, manager, owner, action, update = world
    page = client_request.get("personal_data.privacy_for_visitor")
    assert page.select_one("footer a[href='/privacy']") is not None
    assert "The organisation that gave you access" in page.text
    client_request.login(admin)
    page = client_request.get("personal_data.privacy_for_visitor")
    assert "Northtown YOS uses" in page.text
    client_request.post(
        "personal_data.edit_privacy_notice", {"notice": "Our own notice.\n\nSecond paragraph."}, slug=organisation.slug
    )
    client_request.logout()
    page = client_request.get("personal_data.privacy", slug=organisation.slug)
    assert [p.text for p in page.select("main p.govuk-body")][:2] == ["Our own notice.", "Second paragraph."]
    client_request.get("personal_data.privacy", slug="no-such-organisation", _expected_status=404)
    client_request.login(manager)
    client_request.get("personal_data.edit_privacy_notice", slug=organisation.slug, _expected_status=403)


def test_another_organisations_evidence_cannot_be_removed(world, client_request):
    organisation, admin, manager, owner, action, update = world
    from tracker.services import evidence as evidence_service
    from tracker.services.evidence import EvidenceFile

    [evidence] = evidence_service.attach(update, evidence_service.check_files([EvidenceFile("a.txt", b"notes\n")]))
    outsider = make_user(make_organisation(), AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(outsider)
    client_request.post("personal_data.remove_evidence", {"reason": "x"}, _expected_status=404, evidence_id=evidence.id)
    client_request.login(manager)
    client_request.post("personal_data.remove_evidence", {"reason": "Case notes"}, evidence_id=evidence.id)
    page = client_request.get("actions.show", action_id=action.id)
    assert "File removed by Max Manager" in page.select_one(".app-history__item").text
    client_request.get("actions.download_evidence", _expected_status=404, evidence_id=evidence.id)


def test_an_admin_cannot_download_or_forget_someone_of_another_organisation(world, client_request):
    organisation, admin, manager, owner, action, update = world
    stranger = make_user(make_organisation(), AccessLevel.MANAGER, email="stranger@elsewhere.example")
    db.session.commit()
    client_request.login(admin)
    client_request.get("personal_data.download", _expected_status=404, slug=organisation.slug, user_id=stranger.id)
    client_request.post("personal_data.forget", {}, _expected_status=404, slug=organisation.slug, user_id=stranger.id)
    db.session.expire_all()
    assert db.session.get(User, stranger.id).forgotten_at is None
