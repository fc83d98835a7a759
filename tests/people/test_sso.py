"""Single sign-on against a real OpenID Connect provider on loopback."""

import pytest
from sqlalchemy import func, select

from tests.factories import make_organisation, make_user
from tests.people.oidc import choose_account, oidc_provider, start
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Membership, SsoDomain, User
from tracker.services.people import invitations
from tracker.services.people import members as people


@pytest.fixture
def provider(app):
    with oidc_provider(app) as issuer:
        yield issuer


@pytest.fixture
def council(app):
    organisation = make_organisation("Council YOS")
    organisation.sso_domains.append(SsoDomain(domain="council.example"))
    make_user(organisation, AccessLevel.MANAGER, email="alice.smith@council.example")
    make_user(organisation, AccessLevel.MANAGER, email="carol.white@council.example")
    make_user(make_organisation(), AccessLevel.MANAGER, email="bob.jones@gmail.example")
    db.session.commit()
    return organisation


def _state():
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Membership)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    )


def _refused(client, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 403, response.get_data(as_text=True)[:500]
    assert message in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in


def test_an_invited_person_signs_in_with_their_council_account(client_request, app, provider, council):
    page = client_request.get("auth.sign_in")
    assert page.find("button", string=lambda text: text and "Sign in with Council account" in text)
    callback = choose_account(start(client_request.client, client_request.csrf_token()), "alice")
    response = client_request.client.get(callback)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client_request.client.get("/").status_code == 200
    user = db.session.scalars(select(User).filter_by(email="alice.smith@council.example")).one()
    assert user.sso_subject == f"{provider}|alice" and user.last_signed_in_at is not None
    event = db.session.scalars(select(AuditEvent).filter_by(event="user.signed_in_with_sso")).one()
    assert event.after["first_time"] is True


def test_sso_never_creates_access_and_refuses_other_domains_and_unverified_email(
    client_request, app, provider, council
):
    before = _state()
    client = client_request.client
    _refused(
        client,
        choose_account(start(client, client_request.csrf_token()), "dave"),
        "dave.brown@council.example has not been invited",
    )
    _refused(
        client,
        choose_account(start(client, client_request.csrf_token()), "bob"),
        "Accounts from gmail.example cannot sign in here",
    )
    _refused(
        client, choose_account(start(client, client_request.csrf_token()), "carol"), "email address is not verified"
    )
    assert _state() == before


def test_state_nonce_replay_and_expiry_are_refused(client_request, app, provider, council, travel):
    client = client_request.client
    before = _state()
    callback = choose_account(start(client, client_request.csrf_token()), "alice")
    _refused(client, callback.replace("state=", "state=forged"), "does not match a sign-in started in this browser")

    # A nonce that is not the one this sign-in sent (an answer meant for another sign-in).
    callback = choose_account(start(client, client_request.csrf_token()), "alice", nonce="someone-elses-nonce")
    _refused(client, callback, "could not be trusted")

    # Replayed: the same answer a second time.
    callback = choose_account(start(client, client_request.csrf_token()), "alice")
    assert client.get(callback).status_code == 302
    client_request.logout()
    _refused(client, callback, "already used")
    assert _state()[:2] == before[:2]

    # Expired: finished more than 10 minutes after starting.
    travel("2026-07-01T09:00:00")
    authorize = start(client, client_request.csrf_token())
    travel("2026-07-01T09:11:00")
    _refused(client, choose_account(authorize, "alice"), "This sign-in has expired")


def test_a_different_account_with_the_same_email_is_refused(client_request, app, provider, council):
    alice = db.session.scalars(select(User).filter_by(email="alice.smith@council.example")).one()
    alice.sso_subject = f"{provider}|someone-else"
    db.session.commit()
    _refused(
        client_request.client,
        choose_account(start(client_request.client, client_request.csrf_token()), "alice"),
        "linked to a different single sign-on account",
    )


def test_an_sso_sign_in_uses_up_the_invitation_link_still_open(client_request, app, provider, council, smtp_server):
    admin = make_user(council, AccessLevel.ADMIN)
    dave = people.invite(council, "dave.brown@council.example", name="Dave Brown", level=AccessLevel.OWNER, actor=admin)
    invitations.queue_invitation(dave, council, invited_by=admin, access_label="Action owner")
    link = invitations.make_link(dave, invitations.INVITATION)
    db.session.commit()
    path = link.removeprefix(app.config["BASE_URL"])
    assert client_request.client.get(path).status_code == 200  # open before signing in

    callback = choose_account(start(client_request.client, client_request.csrf_token()), "dave")
    assert client_request.client.get(callback).status_code == 302
    client_request.logout()
    response = client_request.client.get(path)
    assert "This link has already been used" in response.get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).filter_by(event="user.signed_in_with_sso")).one()
    assert event.after["invitation_used_up"] is True


def test_an_sso_sign_in_with_no_invitation_out_keeps_other_sessions(client_request, app, provider, council):
    alice = db.session.scalars(select(User).filter_by(email="alice.smith@council.example")).one()
    alice.password_hash = None  # signs in only through single sign-on; never sent an invitation
    db.session.commit()
    token = alice.session_token
    assert (
        client_request.client.get(
            choose_account(start(client_request.client, client_request.csrf_token()), "alice")
        ).status_code
        == 302
    )
    db.session.refresh(alice)
    assert alice.session_token == token


def test_an_sso_sign_in_reaches_only_the_organisation_that_owns_the_domain(client_request, app, provider, council):
    """Invited to an organisation that does not own council.example, Dave cannot sign in with it."""
    other = make_organisation("Other YOS")
    make_user(other, AccessLevel.OWNER, email="dave.brown@council.example")
    db.session.commit()
    _refused(
        client_request.client,
        choose_account(start(client_request.client, client_request.csrf_token()), "dave"),
        "dave.brown@council.example has not been invited",
    )


def test_an_organisation_admin_can_no_longer_set_sso_domains(client_request, app):
    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(admin)
    page = client_request.get("people.index", slug=organisation.slug)
    assert page.find("input", attrs={"name": "domains"}) is None
    assert "A system administrator of this service sets these domains" in page.get_text()
    for path in (
        f"/organisations/{organisation.slug}/people/sso-domains",
        f"/system/organisations/{organisation.slug}/sso-domains",
    ):
        response = client_request.client.post(
            path, data={"csrf_token": client_request.csrf_token(), "domains": "council.example"}
        )
        assert response.status_code in (403, 404, 405), path
    db.session.refresh(organisation)
    assert organisation.sso_domain_names == []
