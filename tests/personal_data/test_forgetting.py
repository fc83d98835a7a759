"""Forgetting a person: name, email and sign-in records go; the audit trail still reads."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role, make_user
from tests.personal_data.helpers import rows_holding
from tracker import clock
from tracker.extensions import db
from tracker.models import (
    AccessLevel,
    ApiToken,
    AuditEvent,
    Notification,
    NotificationStatus,
    Role,
    Status,
    Update,
    User,
)
from tracker.services import ServiceError, actions
from tracker.services.audit_sentences import sentence
from tracker.services.people import accounts, invitations, partner_links
from tracker.services.people import members as people
from tracker.services.people import organisations as organisation_service
from tracker.services.privacy import forgetting
from tracker.services.privacy.person_data import person_data

EMAIL = "sam.leaver@council.example"


@pytest.fixture
def leaver(app):
    organisation = make_organisation(name="Northtown YOS")
    admin = make_user(organisation, AccessLevel.ADMIN, name="Ada Admin")
    sam = make_user(organisation, AccessLevel.MANAGER, email=EMAIL, name="Sam Leaver")
    role = organisation_service.set_role_holder(organisation, "Head of Service", EMAIL, actor="test")
    action = make_action(organisation, owners=[role])
    update = actions.post_update(
        action,
        author=sam,
        note="Plans reviewed with team managers.",
        new_status=Status.IN_PROGRESS,
        expected_version=action.version,
    )
    accounts.authenticate(EMAIL, sam.test_password)
    accounts.authenticate(EMAIL, "a wrong password")
    invitations.request_reset(EMAIL, "127.0.0.1")
    invitations.queue_invitation(sam, organisation, invited_by=admin, access_label="Manager")
    accounts.create_api_token(sam, name="reports", actor=sam)
    partner_role = make_role(organisation, name="Police lead", holder="pat.partner@police.example")
    partner_links.create_link(action, partner_role.holder)
    db.session.commit()
    return organisation, admin, sam, role, action, update


def test_forgetting_removes_every_trace_of_the_email_and_keeps_the_record(leaver, client_request):
    organisation, admin, sam, role, action, update = leaver
    assert rows_holding(EMAIL)  # the search finds what is there
    label = forgetting.forget(sam, actor=admin, organisation=organisation)
    db.session.commit()

    assert label == f"a former member of staff (#{sam.id})"
    assert rows_holding(EMAIL) == []
    assert rows_holding("Sam Leaver") == []
    update = db.session.get(Update, update.id)
    assert update.author_name == label and update.note == "Plans reviewed with team managers."
    role = db.session.get(Role, role.id)
    assert role.holder is None and role.tenures[-1].ended_at is not None
    sentences = [sentence(event, clock.local_zone()) for event in db.session.scalars(select(AuditEvent))]
    assert f"A former member of staff (#{sam.id}) posted an update" in " ".join(sentences)
    assert any(
        text.startswith("Ada Admin removed the personal details of a former member of staff") for text in sentences
    )
    user = db.session.get(User, sam.id)
    assert not user.active and user.password_hash is None and user.forgotten_at is not None
    assert db.session.scalars(select(ApiToken).filter_by(user_id=sam.id)).all() == []
    assert (
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.event.like("user.sign%"), AuditEvent.actor_id == sam.id)
        ).all()
        == []
    )


def test_a_forgotten_person_can_no_longer_sign_in_and_their_session_ends(leaver, client_request, app):
    organisation, admin, sam, role, action, update = leaver
    client_request.login(sam)
    client_request.get("dashboard.index")
    forgetting.forget(sam, actor=admin, organisation=organisation)
    db.session.commit()
    client_request.get("dashboard.index", _expected_status=302)  # the old session no longer works
    client_request.logout()
    response = client_request.client.post(
        client_request.url("auth.sign_in"),
        data={"email": EMAIL, "password": sam.test_password, "csrf_token": client_request.csrf_token()},
    )
    assert response.status_code != 302  # not signed in: the form is shown again


def test_pending_emails_to_them_are_cancelled(leaver):
    organisation, admin, sam, role, action, update = leaver
    forgetting.forget(sam, actor="command line")
    db.session.commit()
    statuses = {
        row.status
        for row in db.session.scalars(
            select(Notification).where(Notification.recipient == f"a former member of staff (#{sam.id})")
        )
    }
    assert statuses == {NotificationStatus.CANCELLED}


def test_the_last_administrator_cannot_be_forgotten(leaver):
    organisation, admin, sam, role, action, update = leaver
    with pytest.raises(ServiceError, match="last administrator of Northtown YOS"):
        forgetting.forget(admin, actor="command line")
    db.session.rollback()
    assert db.session.get(User, admin.id).email == admin.email


def test_from_one_organisation_a_person_with_access_elsewhere_is_refused(leaver):
    organisation, admin, sam, role, action, update = leaver
    other = make_organisation(name="Southtown YOS")
    people.invite(other, EMAIL, name="Sam Leaver", level=AccessLevel.OWNER, actor="test")
    with pytest.raises(ServiceError, match="also has access to Southtown YOS"):
        forgetting.forget(sam, actor=admin, organisation=organisation)
    db.session.rollback()
    forgetting.forget(db.session.get(User, sam.id), actor="command line")  # everywhere, from the command line
    db.session.commit()
    assert rows_holding(EMAIL) == []


def test_an_unknown_address_is_refused(app):
    with pytest.raises(ServiceError, match="Nobody with the email address nobody@example.org"):
        forgetting.person_by_email("nobody@example.org")


def test_subject_access_lists_everything_held(leaver):
    organisation, admin, sam, role, action, update = leaver
    data = person_data(sam)
    assert data["account"]["email"] == EMAIL and data["account"]["name"] == "Sam Leaver"
    assert [m["organisation"] for m in data["memberships"]] == [organisation.slug]
    assert data["roles_held"][0]["role"] == "Head of Service" and data["roles_held"][0]["started_at"]
    assert [item["note"] for item in data["updates_written"]] == ["Plans reviewed with team managers."]
    assert {email["kind"] for email in data["emails_sent_to_them"]} == {"password_reset", "invitation"}
    assert all("reset-password/" not in str(email["body"]) for email in data["emails_sent_to_them"])
    assert any(event["event"] == "action.update_posted" for event in data["audit_events_about_them"])
    assert all(event["organisation_id"] in (None, organisation.id) for event in data["audit_events_about_them"])


def test_subject_access_from_one_organisation_holds_only_its_data(leaver):
    organisation, admin, sam, role, action, update = leaver
    other = make_organisation(name="Southtown YOS")
    people.invite(other, EMAIL, name="Sam Leaver", level=AccessLevel.MANAGER, actor="test")
    other_role = make_role(other, name="Southtown lead", holder=sam)
    other_action = make_action(other, owners=[other_role])
    actions.post_update(other_action, author=sam, note="Southtown work", expected_version=other_action.version)
    db.session.commit()
    data = person_data(sam, organisation)
    assert [m["organisation"] for m in data["memberships"]] == [organisation.slug]
    assert "Southtown work" not in str(data) and "Southtown lead" not in str(data)
    assert all(event["organisation_id"] == organisation.id for event in data["audit_events_about_them"])
    assert "api_tokens" not in data["account"]
    assert "Southtown work" in str(person_data(sam))


def test_the_commands(leaver, app):
    organisation, admin, sam, role, action, update = leaver
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["tracker", "person-data", "nobody@example.org"])
    assert unknown.exit_code == 2 and "Nobody with the email address nobody@example.org" in unknown.output
    shown = runner.invoke(args=["tracker", "person-data", EMAIL.upper()])
    assert shown.exit_code == 0
    data = json.loads(shown.output)
    assert data["account"]["email"] == EMAIL and data["scope"] == "every organisation"
    refused = runner.invoke(args=["tracker", "forget-person", admin.email])
    assert refused.exit_code == 1 and "last administrator" in refused.output
    done = runner.invoke(args=["tracker", "forget-person", EMAIL])
    assert done.exit_code == 0 and f"a former member of staff (#{sam.id})" in done.output
    db.session.expire_all()
    assert rows_holding(EMAIL) == []
    again = runner.invoke(args=["tracker", "forget-person", EMAIL])
    assert again.exit_code == 2 and "Nobody with the email address" in again.output
