"""Sign-out ends the session everywhere; session protection; no-store; password changes need the
current password; forgot password; API tokens expire and can be listed and revoked."""

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.factories import make_organisation, make_user
from tracker.extensions import db
from tracker.models import ApiToken, Notification, User
from tracker.services.people import accounts

OTHER_BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) SomeOtherBrowser/1.0"}


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_stolen_session_cookie_stops_working_everywhere_after_sign_out(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    client_request.login(user)
    stolen = _session_cookie(client_request.client)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 200  # the copy works while its owner is signed in
    client_request.post("auth.sign_out", _expected_redirect="/sign-in")
    for headers in ({}, OTHER_BROWSER):
        replay = app.test_client()
        replay.set_cookie("session", stolen)
        for path in ("/", "/account", f"/organisations/{user.memberships[0].organisation.slug}/reports"):
            response = replay.get(path, headers=headers)
            assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), path
        # ...nor can it set a new password.
        response = replay.post(
            "/account", headers=headers, data={"password": "stolen and changed", "confirm": "stolen and changed"}
        )
        assert response.status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(user.test_password)


def test_session_protection_holds_for_permanent_sessions(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    client_request.login(user)
    with client_request.client.session_transaction() as session:
        assert session.permanent
    copied = app.test_client()
    copied.set_cookie("session", _session_cookie(client_request.client))
    response = copied.get("/", headers=OTHER_BROWSER)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_signed_in_pages_and_api_answers_are_not_stored(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    client_request.login(user)
    assert client_request.client.get("/").headers["Cache-Control"] == "no-store"
    assert client_request.client.get("/account").headers["Cache-Control"] == "no-store"
    with app.test_request_context():
        token = accounts.create_api_token(user, name="test", actor="test")
    db.session.commit()
    answer = app.test_client().get("/api/v1/actions", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert app.test_client().get("/api/v1/actions").headers["Cache-Control"] == "no-store"


def test_changing_the_password_needs_the_current_one(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    client_request.login(user)
    for current, message in (
        ("", "Enter your current password"),
        ("wrong guess", "Your current password is not right"),
    ):
        page = client_request.post(
            "auth.account",
            _expected_status=400,
            data={"current_password": current, "password": "a new long password", "confirm": "a new long password"},
        )
        assert message in page.text
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(user.test_password)


def test_forgot_password_answers_the_same_sends_a_single_use_link_and_is_throttled(
    client_request, app, smtp_server, travel
):
    travel("2026-04-01")
    user = make_user(make_organisation())
    db.session.commit()
    token = client_request.csrf_token()
    # Unbuffered: each response stays open until closed, as on a server that is still sending it.
    known = client_request.client.post(
        "/forgot-password", data={"csrf_token": token, "email": user.email}, buffered=False
    )
    unknown = client_request.client.post(
        "/forgot-password", data={"csrf_token": token, "email": "nobody@example.org"}, buffered=False
    )
    assert known.status_code == unknown.status_code == 200

    def main(response, email):
        return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("main").text.replace(email, "X")

    assert main(known, user.email) == main(unknown, "nobody@example.org")
    assert smtp_server.messages == []  # nothing is sent while the request is answered...
    known.close(), unknown.close()  # ...but once the server has sent the page and closed it
    ((recipients, message),) = smtp_server.messages
    assert recipients == [user.email]
    assert db.session.scalars(select(Notification)).one().organisation_id is None  # not in any manager's outbox
    link = next(word for word in message.get_body(("plain",)).get_content().split() if "/reset-password/" in word)
    path = link.removeprefix(app.config["BASE_URL"])
    response = client_request.client.post(
        path, data={"csrf_token": token, "password": "my new password!", "confirm": "my new password!"}
    )
    assert response.status_code == 302
    client_request.logout()
    used = client_request.client.get(path)
    assert used.status_code == 400 and "already been used" in used.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("my new password!")

    # A second link expires after PASSWORD_RESET_MINUTES.
    token = client_request.csrf_token()
    client_request.client.post("/forgot-password", data={"csrf_token": token, "email": user.email}).close()
    link = next(
        word
        for word in smtp_server.messages[-1][1].get_body(("plain",)).get_content().split()
        if "/reset-password/" in word
    )
    travel("2026-04-01T13:30:00")
    expired = client_request.client.get(link.removeprefix(app.config["BASE_URL"]))
    assert expired.status_code == 400 and "This link has expired" in expired.get_data(as_text=True)

    # Throttled: five requests per address in 15 minutes.
    for _ in range(5):
        client_request.client.post("/forgot-password", data={"csrf_token": token, "email": "flood@example.org"})
    throttled = client_request.client.post("/forgot-password", data={"csrf_token": token, "email": "flood@example.org"})
    assert throttled.status_code == 429 and "Too many requests" in throttled.get_data(as_text=True)


def test_password_sign_in_can_be_turned_off(client_request, app):
    user = make_user(make_organisation())
    db.session.commit()
    token = client_request.csrf_token()
    app.config["PASSWORD_SIGN_IN"] = False
    try:
        page = client_request.get("auth.sign_in")
        assert "Password sign-in is turned off" in page.text and not page.select("input[name=password]")
        response = client_request.client.post(
            "/sign-in", data={"csrf_token": token, "email": user.email, "password": user.test_password}
        )
        assert response.status_code == 400 and client_request.client.get("/").status_code == 302
        assert client_request.client.get("/forgot-password").status_code == 404
    finally:
        app.config["PASSWORD_SIGN_IN"] = True


def test_api_tokens_expire_and_can_be_listed_and_revoked_on_the_web(client_request, app, travel):
    travel("2026-05-01")
    user = make_user(make_organisation())
    other = make_user(make_organisation())
    db.session.commit()
    client_request.login(user)
    page = client_request.post("auth.create_token", data={"name": "Power BI", "days": "30"}, _expected_status=200)
    token = page.select_one("code.app-token").text
    api = app.test_client()
    assert api.get("/api/v1/actions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    account = client_request.get("auth.account")
    assert "Power BI" in account.text
    travel("2026-06-01")  # 31 days later
    assert api.get("/api/v1/actions", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    client_request.login(user)  # the session itself lasted 8 hours
    assert "Power BI" not in client_request.get("auth.account").text

    page = client_request.post("auth.create_token", data={"name": "Reporting", "days": "90"}, _expected_status=200)
    token = page.select_one("code.app-token").text
    api_token = db.session.scalars(select(ApiToken).filter_by(name="Reporting")).one()
    with app.test_request_context():
        others = accounts.create_api_token(other, name="theirs", actor="test")
    db.session.commit()
    their_token = db.session.scalars(select(ApiToken).filter_by(name="theirs")).one()
    assert (
        client_request.client.post(
            client_request.url("auth.revoke_token", token_id=their_token.id),
            data={"csrf_token": client_request.csrf_token()},
        ).status_code
        == 404
    )
    assert api.get("/api/v1/actions", headers={"Authorization": f"Bearer {others}"}).status_code == 200
    client_request.post("auth.revoke_token", token_id=api_token.id)
    assert api.get("/api/v1/actions", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    bad = client_request.client.post(
        client_request.url("auth.create_token"),
        follow_redirects=True,
        data={"csrf_token": client_request.csrf_token(), "name": "x", "days": "3650"},
    )
    assert "The token was not created" in bad.get_data(as_text=True)


def test_api_tokens_from_the_command_line(app):
    from tracker.cli import tracker

    user = make_user(make_organisation())
    db.session.commit()
    runner = app.test_cli_runner()
    created = runner.invoke(tracker, ["create-token", user.email, "--name", "nightly export", "--days", "7"])
    assert created.exit_code == 0 and created.output.startswith("trk_")
    listed = runner.invoke(tracker, ["list-tokens", user.email])
    assert "nightly export" in listed.output and "expires" in listed.output
    token_id = listed.output.split("\t")[0]
    revoked = runner.invoke(tracker, ["revoke-token", token_id])
    assert revoked.exit_code == 0 and "no longer works" in revoked.output
    assert "has no API tokens" in runner.invoke(tracker, ["list-tokens", user.email]).output
    assert runner.invoke(tracker, ["create-token", user.email, "--days", "0"]).exit_code != 0


def test_create_user_uses_the_same_email_rule_as_the_sign_in_form(app):
    from tracker.cli import tracker

    make_organisation(slug="rule-yos")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        tracker,
        ["create-user", "someone@council.test", "--org", "rule-yos", "--access", "manager"],
        input="a long enough password\n",
    )
    assert result.exit_code != 0 and "Enter an email address in the correct format" in result.output
    assert db.session.scalars(select(User).filter_by(email="someone@council.test")).first() is None


def test_expired_tokens_stay_refused(app, travel):
    travel("2026-01-01")
    user = make_user(make_organisation())
    with app.test_request_context():
        token = accounts.create_api_token(user, name="short", actor="test", days=1)
    db.session.commit()
    travel("2026-01-02T12:00:01")
    assert accounts.user_for_api_token(token) is None
    assert accounts.user_for_api_token(token + "x") is None
    travel("2026-01-01T18:00:00")
    assert accounts.user_for_api_token(token).id == user.id


def test_someone_without_a_password_needs_a_fresh_sign_in_to_choose_one(client_request, app, travel):
    travel("2026-08-01T09:00:00")
    user = make_user(make_organisation())
    user.password_hash = None
    db.session.commit()
    with app.test_request_context():
        path = accounts.make_sign_in_link(user).removeprefix(app.config["BASE_URL"])
    assert client_request.client.get(path).status_code == 302
    client_request.user = user
    travel("2026-08-01T09:11:00")  # more than 10 minutes after signing in
    page = client_request.post(
        "auth.account", _expected_status=400, data={"password": "chosen too late", "confirm": "chosen too late"}
    )
    assert "Sign out and sign in again, then change your password" in page.text
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash is None
    db.session.refresh(user)
    with app.test_request_context():
        path = accounts.make_sign_in_link(user).removeprefix(app.config["BASE_URL"])
    client_request.logout()
    assert client_request.client.get(path).status_code == 302
    client_request.user = user
    travel("2026-08-01T09:15:00")  # four minutes after this sign-in
    client_request.post("auth.account", data={"password": "chosen in good time", "confirm": "chosen in good time"})
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("chosen in good time")
