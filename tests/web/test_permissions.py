"""Every route declares who may use it, and no id in a URL reaches another organisation."""

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Status


def test_every_route_declares_a_permission(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue  # files built from assets/, public by nature
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "permission", None):
            undeclared.append(f"{rule.rule} ({rule.endpoint})")
    assert undeclared == []


@pytest.fixture
def two_organisations(app):
    ours = make_organisation("Ours YOS")
    theirs = make_organisation("Theirs YOS")
    their_action = make_action(theirs)
    manager = make_user(ours, AccessLevel.MANAGER)
    db.session.commit()
    return ours, theirs, their_action, manager


def test_a_user_gets_404_for_another_organisations_report_and_action(client_request, two_organisations):
    ours, theirs, their_action, manager = two_organisations
    client_request.login(manager)
    client_request.get("reports.show", report_id=their_action.recommendation.report_id, _expected_status=404)
    client_request.get("actions.show", action_id=their_action.id, _expected_status=404)
    client_request.get("reports.index", slug=theirs.slug, _expected_status=404)
    client_request.get("organisations.audit", slug=theirs.slug, _expected_status=404)
    client_request.post(
        "actions.post",
        action_id=their_action.id,
        _expected_status=404,
        data={"note": "not mine", "status": "unchanged", "version": "1"},
    )
    db.session.refresh(their_action)
    assert their_action.updates == []


def test_ids_that_do_not_exist_answer_404(client_request, two_organisations):
    _, _, _, manager = two_organisations
    client_request.login(manager)
    client_request.get("actions.show", action_id=999_999, _expected_status=404)
    client_request.get("reports.show", report_id=999_999, _expected_status=404)
    client_request.get("reports.index", slug="no-such-organisation", _expected_status=404)


def test_oversight_users_read_every_organisation_but_change_nothing(client_request, two_organisations):
    ours, theirs, their_action, _ = two_organisations
    regional = make_organisation("Regional oversight")
    viewer = make_user(regional, AccessLevel.OVERSIGHT)
    db.session.commit()
    client_request.login(viewer)
    page = client_request.get("actions.show", action_id=their_action.id)
    assert page.select_one("form[action$='/updates']") is None
    client_request.post(
        "actions.post",
        action_id=their_action.id,
        _expected_status=403,
        data={"note": "oversight note", "status": "unchanged", "version": "1"},
    )
    client_request.get("organisations.audit", slug=theirs.slug, _expected_status=403)


@pytest.mark.parametrize(
    ("access", "holds_role", "may_post"),
    [
        (AccessLevel.ADMIN, False, True),
        (AccessLevel.MANAGER, False, True),
        (AccessLevel.OWNER, True, True),
        (AccessLevel.OWNER, False, False),
        (AccessLevel.BOARD, False, False),
        (AccessLevel.OVERSIGHT, False, False),
    ],
)
def test_who_may_post_an_update(client_request, app, access, holds_role, may_post):
    organisation = make_organisation()
    user = make_user(organisation, access)
    role = make_role(organisation, holder=user if holds_role else None)
    action = make_action(organisation, owners=[role])
    db.session.commit()
    client_request.login(user)
    form = client_request.get("actions.show", action_id=action.id).select_one("form[action$='/updates']")
    assert (form is not None) is may_post
    client_request.post(
        "actions.post",
        action_id=action.id,
        _expected_status=302 if may_post else 403,
        data={"note": "Started the work", "status": Status.IN_PROGRESS.value, "version": "1"},
    )
    db.session.refresh(action)
    assert (action.status is Status.IN_PROGRESS) is may_post


def test_pages_need_sign_in(client_request, two_organisations):
    _, theirs, their_action, _ = two_organisations
    for endpoint, values in [
        ("dashboard.index", {}),
        ("actions.show", {"action_id": their_action.id}),
        ("reports.index", {"slug": theirs.slug}),
        ("auth.account", {}),
    ]:
        response = client_request.client.get(client_request.url(endpoint, **values))
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")
