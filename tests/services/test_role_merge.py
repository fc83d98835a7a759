"""Merging a role into another: actions, names, holder, deputy and board chair follow; audited."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AuditEvent, Role
from tracker.services import ServiceError
from tracker.services.audit_sentences import sentence
from tracker.services.people import organisations
from tracker.services.role_merge import merge_plan, merge_roles


def test_a_role_merged_into_another_hands_over_its_actions_names_and_holder(app):
    organisation = make_organisation()
    manager = make_user(organisation)
    target = make_role(organisation, "Chair of the YOS Management Board")
    source = make_role(organisation, "Board Chair", holder="chair@example.org", aliases=("The Board Chair",))
    source.is_board_chair = True
    other = make_role(organisation, "Head of Service")
    only_source = make_action(organisation, owners=[source])
    both = make_action(organisation, owners=[source, target])  # the source leads it
    untouched = make_action(organisation, owners=[other])
    versions = only_source.version, both.version

    plan = merge_plan(source, target)
    assert (plan.actions, plan.shared, plan.holder_moves, plan.board_chair_moves) == (2, 1, True, True)
    merge_roles(source, target, actor=manager)
    db.session.commit()

    assert db.session.get(Role, source.id) is None
    assert [role.name for role in only_source.owner_roles] == ["Chair of the YOS Management Board"]
    assert [(owner.role.name, owner.is_lead) for owner in both.owners] == [("Chair of the YOS Management Board", True)]
    assert (only_source.version, both.version) == (versions[0] + 1, versions[1] + 1)
    assert [role.name for role in untouched.owner_roles] == ["Head of Service"]
    assert target.names == ["Chair of the YOS Management Board", "Board Chair", "The Board Chair"]
    assert target.holder.email == "chair@example.org" and target.is_board_chair
    assert organisations.find_role(organisation, "board chair") is target  # reports and plans still find it
    event = db.session.scalar(select(AuditEvent).filter_by(event="role.merged"))
    assert event.actor_id == manager.id and event.before["role"] == "Board Chair"
    assert sentence(event, ZoneInfo("Europe/London")).endswith(
        "merged the role “Board Chair” into “Chair of the YOS Management Board”: "
        "2 actions moved, and “Board Chair” is now another name for it."
    )


def test_the_target_keeps_its_own_holder_and_deputy(app):
    organisation = make_organisation()
    target = make_role(organisation, "Head of Service", holder="head@example.org")
    source = make_role(organisation, "YOS Head of Service", holder="old@example.org")
    organisations.set_role_deputy(organisation, source, "deputy@example.org", actor="test")
    merge_roles(source, target, actor="test")
    db.session.commit()
    assert target.holder.email == "head@example.org" and target.deputy.email == "deputy@example.org"


def test_a_role_cannot_be_merged_into_itself_or_across_organisations(app):
    organisation = make_organisation()
    role = make_role(organisation, "Head of Service")
    elsewhere = make_role(make_organisation(), "Head of Service")
    with pytest.raises(ServiceError, match="into itself"):
        merge_roles(role, role, actor="test")
    with pytest.raises(ServiceError, match="same organisation"):
        merge_roles(role, elsewhere, actor="test")
    assert db.session.get(Role, role.id) is not None and db.session.get(Role, elsewhere.id) is not None


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_the_merge_roles_command(runner, app):
    organisation = make_organisation(slug="north")
    target = make_role(organisation, "Chair of the YOS Management Board")
    source = make_role(organisation, "Board Chair")
    action = make_action(organisation, owners=[source])
    db.session.commit()
    missing = runner.invoke(args=["tracker", "merge-roles", "--org", "north", "Nobody", "Board Chair"])
    assert missing.exit_code == 1 and "no role called 'Nobody'" in missing.output
    result = runner.invoke(
        args=["tracker", "merge-roles", "--org", "north", "board chair", "Chair of the YOS Management Board"]
    )
    assert result.exit_code == 0, result.output
    assert "1 action moved" in result.output
    db.session.expire_all()
    assert [role.id for role in action.owner_roles] == [target.id]
