"""Single sign-on against a real OpenID Connect provider on loopback."""

import pytest
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Membership, User
from tests.factories import make_organisation, make_user
from tests.people.oidc import choose_account, oidc_provider, start


@pytest.fixture
def provider(app):
    with oidc_provider(app) as issuer:
        yield issuer


@pytest.fixture
def council(app):
    organisation = make_organisation("Council YOS")
    organisation.sso_email_domains = "council.example"
    make_user(organisation, AccessLevel.MANAGER, email="alice.smith@council.example")
    make_user(organisation, AccessLevel.MANAGER, email="carol.white@council.example")
    make_user(make_organisation(), AccessLevel.MANAGER, email="bob.jones@gmail.example")
    db.session.commit()
    return organisation


def _state():
    return (db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(Membership)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


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


def test_sso_never_creates_access_and_refuses_other_domains_and_unverified_email(client_request, app, provider, council):
    before = _state()
    client = client_request.client
    _refused(client, choose_account(start(client, client_request.csrf_token()), "dave"),
             "dave.brown@council.example has not been invited")
    _refused(client, choose_account(start(client, client_request.csrf_token()), "bob"),
             "Accounts from gmail.example cannot sign in here")
    _refused(client, choose_account(start(client, client_request.csrf_token()), "carol"),
             "email address is not verified")
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
    _refused(client_request.client, choose_account(start(client_request.client, client_request.csrf_token()), "alice"),
             "linked to a different single sign-on account")


def test_sso_domains_are_set_on_the_people_page(client_request, app):
    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    db.session.commit()
    client_request.login(admin)
    client_request.post("people.sso_domains", slug=organisation.slug, data={"domains": "Council.example, @nhs.example"})
    db.session.refresh(organisation)
    assert organisation.sso_email_domains == "council.example nhs.example"
    response = client_request.client.post(client_request.url("people.sso_domains", slug=organisation.slug),
                                          data={"csrf_token": client_request.csrf_token(), "domains": "not a domain!"},
                                          follow_redirects=True)
    assert "The domains were not saved" in response.get_data(as_text=True)
    db.session.refresh(organisation)
    assert organisation.sso_email_domains == "council.example nhs.example"
