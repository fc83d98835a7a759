"""The People page: invite (email sent straight after the commit), accept, change access,
remove with role handover; every refusal changes nothing."""

from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Membership, Notification, NotificationStatus, Role, User
from tracker.services import ServiceError
from tracker.services.people import members as people
from tracker.services.people import organisations


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(Membership)),
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
        db.session.scalar(select(func.count()).select_from(Notification)),
    )


def _link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return next(word for word in body.split() if "/invitations/" in word or "/reset-password/" in word)


def _invite(client_request, organisation, email="new.person@example.org", level="manager", status=302):
    return client_request.post(
        "people.invite",
        slug=organisation.slug,
        _expected_status=status,
        data={"email": email, "name": "New Person", "level": level},
    )


def test_an_admin_invites_someone_who_accepts_and_chooses_a_password(client_request, app, smtp_server):
    organisation = make_organisation("Westshire YOS")
    admin = make_user(organisation, AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(admin)
    _invite(client_request, organisation)
    # The email left straight after the commit: no scheduler ran.
    ((recipients, message),) = smtp_server.messages
    assert recipients == ["new.person@example.org"]
    assert "Westshire YOS" in message["Subject"]
    notification = db.session.scalars(select(Notification)).one()
    assert notification.status is NotificationStatus.SENT and notification.kind == "invitation"
    assert db.session.scalars(select(AuditEvent.event)).all().count("user.invited") == 1
    page = client_request.get("people.index", slug=organisation.slug)
    assert "new.person@example.org" in page.text and "Invited" in page.text

    path = _link_in(message).removeprefix(app.config["BASE_URL"])
    client_request.logout()
    assert client_request.client.get(path).status_code == 200
    short = client_request.client.post(
        path, data={"csrf_token": client_request.csrf_token(), "password": "short", "confirm": "short"}
    )
    assert short.status_code == 400 and "Use at least 12 characters" in short.get_data(as_text=True)
    response = client_request.client.post(
        path,
        data={
            "csrf_token": client_request.csrf_token(),
            "password": "a long new password",
            "confirm": "a long new password",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client_request.client.get("/").status_code == 200
    # Used once: the same link now says so.
    client_request.logout()
    again = client_request.client.get(path)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)


def test_forged_and_expired_invitation_links_are_refused(client_request, app, travel, smtp_server):
    travel("2026-03-01")
    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(admin)
    _invite(client_request, organisation)
    path = _link_in(smtp_server.messages[0][1]).removeprefix(app.config["BASE_URL"])
    forged = client_request.client.get(path[:-3] + "abc")
    assert forged.status_code == 400 and "This link is not valid" in forged.get_data(as_text=True)
    travel("2026-03-09")  # INVITATION_DAYS is 7
    expired = client_request.client.get(path)
    assert expired.status_code == 400 and "This link has expired" in expired.get_data(as_text=True)
    user = db.session.scalars(select(User).filter_by(email="new.person@example.org")).one()
    assert user.password_hash is None


def test_an_invitation_waits_in_the_outbox_while_the_mail_server_is_down(client_request, app, smtp_server):
    from tracker.services.reminders.run import deliver_outbox

    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(admin)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    try:
        response = client_request.client.post(
            client_request.url("people.invite", slug=organisation.slug),
            data={"csrf_token": client_request.csrf_token(), "email": "later@example.org", "level": "board"},
            follow_redirects=True,
        )
        assert "it will be sent as soon as the mail server answers" in response.get_data(as_text=True)
    finally:
        app.config["MAIL_PORT"] = port
    notification = db.session.scalars(select(Notification)).one()
    assert notification.status is NotificationStatus.PENDING and notification.attempts == 1
    notification.next_attempt_at -= timedelta(hours=1)
    db.session.commit()
    assert deliver_outbox().sent == 1
    assert smtp_server.messages[0][0] == ["later@example.org"]


def test_bad_invitations_are_refused_and_change_nothing(client_request, app, smtp_server):
    organisation = make_organisation("Eastshire YOS")
    admin = make_user(organisation, AccessLevel.ADMIN)
    member = make_user(organisation, AccessLevel.OWNER)
    db.session.commit()
    client_request.login(admin)
    before = _counts()
    page = _invite(client_request, organisation, email=member.email.upper(), status=400)
    assert f"{member.email} already has access to Eastshire YOS" in page.text
    page = _invite(client_request, organisation, level="emperor", status=400)
    assert "Choose an access level from the list" in page.text
    page = _invite(client_request, organisation, email="someone@council.test", status=400)
    assert "Enter an email address in the correct format" in page.text
    page = _invite(client_request, organisation, email="not an address", status=400)
    assert "Enter an email address in the correct format" in page.text
    assert _counts() == before and smtp_server.messages == []


def test_changing_access_is_audited_and_an_admin_cannot_demote_themselves(client_request, app):
    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    member = make_user(organisation, AccessLevel.OWNER)
    db.session.commit()
    client_request.login(admin)
    client_request.post("people.change_access", slug=organisation.slug, user_id=member.id, data={"level": "board"})
    membership = people.membership_in(organisation, member.id)
    db.session.refresh(membership)
    assert membership.access_level is AccessLevel.BOARD
    event = db.session.scalars(select(AuditEvent).filter_by(event="membership.changed")).one()
    assert event.before["access"] == "owner" and event.after["access"] == "board" and event.actor_id == admin.id
    page = client_request.post(
        "people.change_access",
        slug=organisation.slug,
        user_id=member.id,
        data={"level": "superuser"},
        _expected_status=400,
    )
    assert "Choose an access level from the list" in page.text
    page = client_request.post(
        "people.change_access",
        slug=organisation.slug,
        user_id=admin.id,
        data={"level": "manager"},
        _expected_status=400,
    )
    assert "You cannot remove your own administrator access" in page.text
    page = client_request.post("people.remove", slug=organisation.slug, user_id=admin.id, _expected_status=400)
    assert "You cannot remove yourself" in page.text
    db.session.expire_all()
    assert people.membership_in(organisation, admin.id).access_level is AccessLevel.ADMIN


def test_the_last_admin_cannot_be_removed_or_demoted(app):
    organisation = make_organisation("Lonely YOS")
    admin = make_user(organisation, AccessLevel.ADMIN)
    someone = make_user(make_organisation(), AccessLevel.ADMIN)
    db.session.commit()
    membership = people.membership_in(organisation, admin.id)
    for attempt in (
        lambda: people.remove(organisation, membership, {}, actor=someone),
        lambda: people.change_level(organisation, membership, AccessLevel.MANAGER, actor=someone),
    ):
        try:
            attempt()
        except ServiceError as error:
            assert "is the last administrator of Lonely YOS" in str(error)
        else:
            raise AssertionError("the last administrator was removed")
    db.session.rollback()
    assert people.membership_in(organisation, admin.id).access_level is AccessLevel.ADMIN


def test_removing_someone_hands_each_role_over_or_leaves_it_unheld(client_request, app):
    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    leaving = make_user(organisation, AccessLevel.MANAGER, name="Leaving Person")
    successor = make_user(organisation, AccessLevel.MANAGER, name="Next Person")
    head = make_role(organisation, "YOS Head of Service", holder=leaving)
    chair = organisations.set_role_holder(organisation, "Chair of the Management Board", leaving.email, actor="test")
    db.session.commit()
    client_request.login(admin)
    page = client_request.get("people.remove", slug=organisation.slug, user_id=leaving.id)
    assert page.select_one(f"#role-{head.id}") and page.select_one(f"#role-{chair.id}")
    before = _counts()
    page = client_request.post(
        "people.remove",
        slug=organisation.slug,
        user_id=leaving.id,
        data={f"role-{head.id}": str(successor.id)},
        _expected_status=400,
    )
    assert "Choose who takes over Chair of the Management Board, or leave it unheld" in page.text
    assert _counts() == before
    client_request.post(
        "people.remove",
        slug=organisation.slug,
        user_id=leaving.id,
        data={f"role-{head.id}": str(successor.id), f"role-{chair.id}": "unheld"},
    )
    db.session.expire_all()
    assert people.membership_in(organisation, leaving.id) is None
    assert db.session.get(Role, head.id).holder.user_id == successor.id
    assert db.session.get(Role, chair.id).holder is None
    events = db.session.scalars(select(AuditEvent.event)).all()
    assert events.count("role.holder_changed") == 1 + 2 and "membership.removed" in events  # one when set up
