"""Property-based fuzzing: whatever a user can type or upload gets an answer, never a 500."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Report, Update
from tracker.services.people import accounts

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
update_bodies = st.fixed_dictionaries(
    {},
    optional={
        "note": st.one_of(st.text(max_size=200), json_values),
        "status": st.one_of(
            st.sampled_from(["not_started", "in_progress", "completed", "verified", "withdrawn", "x"]), json_values
        ),
        "version": st.one_of(st.integers(min_value=-2, max_value=5), json_values),
    },
)


@pytest.fixture
def api_setup(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation(slug="fuzz")
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation, owners=[make_role(organisation, holder=manager)])
    token = accounts.create_api_token(manager, actor="test")
    db.session.commit()
    return token, action, manager, organisation


@FUZZ
@given(body=st.one_of(update_bodies, json_values))
def test_the_api_answers_any_update_body_without_a_server_error(client, api_setup, body):
    token, action, *_ = api_setup
    response = client.post(
        f"/api/v1/actions/{action.id}/updates",
        headers={"Authorization": f"Bearer {token}"},
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code in {201, 400, 409, 422}, response.get_data(as_text=True)
    assert response.is_json and response.get_json()["message" if response.status_code != 201 else "update_id"]


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["status", "overdue", "organisation", "owner", "page", "per_page"]),
        st.text(max_size=20),
        max_size=6,
    )
)
def test_the_api_answers_any_list_query_without_a_server_error(client, api_setup, query):
    token, *_ = api_setup
    response = client.get("/api/v1/actions", query_string=query, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in {200, 400, 404}


@FUZZ
@given(content=st.binary(max_size=4096), name=st.text(min_size=1, max_size=40))
def test_any_uploaded_report_gets_an_answer_and_saves_nothing(client_request, api_setup, content, name):
    _, _, manager, organisation = api_setup
    if client_request.user is None:
        client_request.login(manager)
    response = client_request.client.post(
        client_request.url("reports.upload", slug=organisation.slug),
        content_type="multipart/form-data",
        data={"csrf_token": client_request.csrf_token(), "report": (io.BytesIO(content), name)},
    )
    assert response.status_code in {200, 400}
    assert db.session.query(Report).count() == 1  # only the fixture's: uploading saves nothing before review


@FUZZ
@given(
    content=st.binary(max_size=2048), note=st.text(max_size=100), flag=st.text(max_size=10), links=st.text(max_size=100)
)
def test_any_update_form_with_any_file_gets_an_answer(client_request, api_setup, content, note, flag, links):
    _, action, manager, _ = api_setup
    if client_request.user is None:
        client_request.login(manager)
    db.session.expire_all()
    version = db.session.get(type(action), action.id).version
    response = client_request.client.post(
        client_request.url("actions.post", action_id=action.id),
        content_type="multipart/form-data",
        data={
            "csrf_token": client_request.csrf_token(),
            "note": note,
            "status": "unchanged",
            "flag": flag,
            "links": links,
            "version": str(version),
            "evidence": (io.BytesIO(content), "file.bin"),
        },
    )
    assert response.status_code in {302, 400}


@pytest.mark.parametrize(
    "path",
    ["/organisations/fu%00zz/actions", "/api/v1/actions?organisation=fu%00zz", "/organisations/fuzz/actions?q=a%00b"],
)
def test_nul_characters_are_refused_not_a_server_error(client_request, api_setup, path):
    token, _, manager, _ = api_setup
    client_request.login(manager)
    response = client_request.client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (400, 404)


def test_a_nul_character_in_a_form_is_refused_and_saves_nothing(client_request, api_setup):
    _, action, manager, _ = api_setup
    client_request.login(manager)
    response = client_request.client.post(
        f"/actions/{action.id}/updates",
        data={
            "csrf_token": client_request.csrf_token(),
            "note": "before\x00after",
            "status": "unchanged",
            "version": "1",
        },
    )
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    assert db.session.query(Update).count() == 0
