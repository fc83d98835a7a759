"""Errors sit on the field they are about, and every summary entry links to that field."""

from datetime import date, timedelta

from tests.factories import make_action, make_organisation, make_role, make_user
from tests.web.error_pattern import check_error_pattern
from tracker.extensions import db
from tracker.models import AccessLevel


def test_an_evidence_error_shows_on_the_evidence_field_not_the_progress_note(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation, owners=[make_role(organisation, "Head of Service")])
    db.session.commit()
    client_request.login(manager)
    page = client_request.post(
        "actions.post",
        action_id=action.id,
        _expected_status=400,
        data={"note": "All done", "status": "completed", "version": "1"},
    )
    errors = check_error_pattern(page)
    assert errors == {"evidence": "Attach evidence (a file or a link) before marking the action completed."}
    assert page.select_one("#note").find_parent(class_="govuk-form-group--error") is None
    assert page.title.text.startswith("Error: ")


def test_form_and_service_errors_on_the_update_form_each_link_to_their_field(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation)
    db.session.commit()
    client_request.login(manager)
    page = client_request.post(
        "actions.post",
        action_id=action.id,
        _expected_status=400,
        data={"note": "x" * 10_001, "status": "unchanged", "version": "1"},
    )
    assert set(check_error_pattern(page)) == {"note"}
    page = client_request.post(
        "actions.post",
        action_id=action.id,
        _expected_status=400,
        data={"note": "Waiting", "status": "unchanged", "flag": "blocked", "version": "1"},
    )
    assert check_error_pattern(page) == {"flag_reason": "Say why the action is blocked."}
    page = client_request.post(
        "actions.post",
        action_id=action.id,
        _expected_status=400,
        data={"note": "See", "status": "unchanged", "links": "intranet/page", "version": "1"},
    )
    assert set(check_error_pattern(page)) == {"links"}
    db.session.refresh(action)
    assert action.updates == []


def test_the_sign_in_page_links_each_error_to_its_field(client_request, app):
    organisation = make_organisation()
    user = make_user(organisation, AccessLevel.OWNER)
    db.session.commit()
    page = client_request.post("auth.sign_in", data={"email": "", "password": ""}, _expected_status=400)
    assert set(check_error_pattern(page)) == {"email", "password"}
    page = client_request.post("auth.sign_in", data={"email": user.email, "password": "not it"}, _expected_status=400)
    assert check_error_pattern(page) == {"password": "The email address or password is not right"}


def test_the_rag_reason_keeps_the_words_as_written(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation, due_on=date.today() + timedelta(days=200))
    db.session.commit()
    client_request.login(manager)
    client_request.post(
        "actions.post",
        action_id=action.id,
        data={
            "note": "",
            "status": "unchanged",
            "flag": "at_risk",
            "version": "1",
            "flag_reason": "Commissioned RHI training slips to March 2027",
        },
    )
    page = client_request.get("actions.show", action_id=action.id)
    assert page.select_one(".app-rag-reason").text.strip() == "At risk: Commissioned RHI training slips to March 2027"


def test_a_deadline_request_error_links_to_the_date_and_marks_it(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation, due_on=date.today() + timedelta(days=200))
    db.session.commit()
    client_request.login(manager)
    page = client_request.post(
        "actions.request_deadline_change",
        action_id=action.id,
        _expected_status=400,
        data={"new_due_on": ["1", "1", "2020"], "reason": "Late"},
    )
    assert check_error_pattern(page) == {"new_due_on-day": "The new deadline cannot be in the past."}
    assert page.select_one("#new_due_on-day")["class"].count("govuk-input--error") == 1
    page = client_request.post(
        "actions.request_deadline_change",
        action_id=action.id,
        _expected_status=400,
        data={"new_due_on": ["", "", ""], "reason": ""},
    )
    assert set(check_error_pattern(page)) == {"new_due_on-day", "reason"}
