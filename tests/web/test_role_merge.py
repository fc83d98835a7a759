"""The Roles page's merge: choose, confirm, merged; refused for itself, another organisation's
role, anyone but staff, and without the form's CSRF token."""

from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Role


def _world():
    organisation = make_organisation("Eastbrook YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    target = make_role(organisation, "Chair of the YOS Management Board", holder="chair@example.org")
    source = make_role(organisation, "Board Chair")
    action = make_action(organisation, owners=[source])
    db.session.commit()
    return organisation, manager, source, target, action


def test_a_manager_merges_a_role_after_confirming(client_request, app):
    organisation, manager, source, target, action = _world()
    client_request.login(manager)
    roles = client_request.get("organisations.roles", slug=organisation.slug)
    assert roles.find("a", href=f"/organisations/{organisation.slug}/roles/{source.id}/merge")
    page = client_request.get("organisations.merge_role", slug=organisation.slug, role_id=source.id)
    assert [option["value"] for option in page.select("select[name=into] option")] == ["", str(target.id)]
    confirm = client_request.post(
        "organisations.merge_role",
        {"into": str(target.id)},
        _expected_status=200,
        slug=organisation.slug,
        role_id=source.id,
    )
    assert confirm.h1.text.strip() == "Merge Board Chair into Chair of the YOS Management Board?"
    summary = confirm.select_one(".govuk-summary-list").text
    assert "Actions that move" in summary and "Board Chair" in summary
    assert db.session.get(Role, source.id) is not None  # nothing changes before confirming
    source_id = source.id
    client_request.post(
        "organisations.merge_role",
        {"into": str(target.id), "confirmed": "yes"},
        _expected_redirect=f"/organisations/{organisation.slug}/roles",
        slug=organisation.slug,
        role_id=source.id,
    )
    db.session.expire_all()
    assert db.session.get(Role, source_id) is None
    assert [role.name for role in action.owner_roles] == ["Chair of the YOS Management Board"]
    assert db.session.scalar(select(AuditEvent).filter_by(event="role.merged")).actor_id == manager.id


def test_merging_into_itself_or_another_organisation_is_refused(client_request, app):
    organisation, manager, source, target, action = _world()
    elsewhere = make_role(make_organisation("Other YOS"), "Chair of the YOS Management Board")
    db.session.commit()
    client_request.login(manager)
    for into in (source.id, elsewhere.id):
        page = client_request.post(
            "organisations.merge_role",
            {"into": str(into), "confirmed": "yes"},
            _expected_status=400,
            slug=organisation.slug,
            role_id=source.id,
        )
        assert "Choose one of this organisation's other roles" in page.select_one(".govuk-error-summary").text
    client_request.get("organisations.merge_role", _expected_status=404, slug=organisation.slug, role_id=elsewhere.id)
    db.session.expire_all()
    assert db.session.get(Role, source.id) is not None and db.session.get(Role, elsewhere.id) is not None


def test_only_staff_may_merge_and_the_form_needs_its_csrf_token(client_request, app):
    organisation, manager, source, target, action = _world()
    board = make_user(organisation, AccessLevel.BOARD)
    db.session.commit()
    client_request.login(board)
    client_request.post(
        "organisations.merge_role",
        {"into": str(target.id), "confirmed": "yes"},
        _expected_status=403,
        slug=organisation.slug,
        role_id=source.id,
    )
    client_request.login(manager)
    response = client_request.client.post(
        client_request.url("organisations.merge_role", slug=organisation.slug, role_id=source.id),
        data={"into": str(target.id), "confirmed": "yes"},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Role, source.id) is not None
