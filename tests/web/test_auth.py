from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent
from tracker.services.people import accounts


def _sign_in(client_request, email, password, next_url=None):
    token = client_request.get("auth.sign_in").select_one("input[name=csrf_token]")["value"]
    url = client_request.url("auth.sign_in") + (f"?next={next_url}" if next_url else "")
    return client_request.client.post(url, data={"email": email, "password": password, "csrf_token": token})


def test_sign_in_and_out(client_request, app):
    user = make_user(make_organisation(), AccessLevel.MANAGER)
    db.session.commit()
    response = _sign_in(client_request, user.email.upper(), user.test_password)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    client_request.user = user
    page = client_request.get("dashboard.index")
    assert page.select_one("h1").text == "Dashboard"
    client_request.post("auth.sign_out", _expected_redirect="/sign-in")
    client_request.get("dashboard.index", _expected_status=302)


def test_a_wrong_password_is_refused_with_a_message_and_audited(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    response = _sign_in(client_request, user.email, "not the password")
    assert response.status_code == 400
    assert "The email address or password is not right" in response.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(event="user.sign_in_failed", subject_id=user.id).count() == 1
    client_request.get("dashboard.index", _expected_status=302)


def test_passwords_are_stored_hashed(app):
    user = make_user()
    assert user.password_hash and user.test_password not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_after_sign_in_only_local_paths_are_followed(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = _sign_in(client_request, user.email, user.test_password, next_url=hostile)
        assert response.headers["Location"] == "/"
        client_request.client.delete_cookie("session")
    response = _sign_in(client_request, user.email, user.test_password, next_url="/account")
    assert response.headers["Location"] == "/account"


def test_forms_without_a_csrf_token_are_refused(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    response = client_request.client.post(
        client_request.url("auth.sign_in"), data={"email": user.email, "password": user.test_password}
    )
    assert response.status_code == 400
    assert "Your form has expired" in response.get_data(as_text=True)


def test_session_cookie_flags(app, client_request):
    user = make_user(make_organisation())
    db.session.commit()
    response = _sign_in(client_request, user.email, user.test_password)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from tracker import create_app

    production = create_app("production", SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert production.config["SESSION_COOKIE_SECURE"] is True


def test_a_sign_in_link_works_once(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    with app.test_request_context():
        link = accounts.make_sign_in_link(user)
    path = link.removeprefix(app.config["BASE_URL"])
    response = client_request.client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    client_request.client.delete_cookie("session")
    assert client_request.client.get(path).status_code == 400
    assert client_request.client.get("/sign-in/not-a-token").status_code == 400


def test_changing_the_password_signs_out_other_sessions(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    other_browser = app.test_client()
    token = (
        other_browser.get("/sign-in")
        .get_data(as_text=True)
        .split('name="csrf_token" type="hidden" value="')[1]
        .split('"')[0]
    )
    other_browser.post("/sign-in", data={"email": user.email, "password": user.test_password, "csrf_token": token})
    assert other_browser.get("/").status_code == 200
    client_request.login(user)
    client_request.post(
        "auth.account",
        data={
            "current_password": user.test_password,
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
        _expected_redirect="/",
    )
    assert other_browser.get("/").status_code == 302
    client_request.get("dashboard.index")


# Sign-in throttling (growing delays, never a lockout): tests/security/test_accounts.py.


def test_a_session_from_before_sign_in_does_not_survive_it(client_request, app):
    """Session fixation: whatever was in the session before signing in is dropped."""
    user = make_user(make_organisation())
    db.session.commit()
    with client_request.client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _sign_in(client_request, user.email, user.test_password)
    with client_request.client.session_transaction() as session:
        assert "planted" not in session and session.get("_user_id")
