from tests.conftest import normalise_whitespace
from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Status


def test_a_manager_posts_an_update_and_sees_it_in_the_history_and_the_audit_log(client_request, app):
    organisation = make_organisation("Northfield YOS")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Priya Shah")
    role = make_role(organisation, "YOS Head of Service")
    action = make_action(organisation, owners=[role], text="Review plans when circumstances change")
    db.session.commit()
    client_request.login(manager)

    report_page = client_request.get("reports.show", report_id=action.recommendation.report_id)
    link = report_page.select_one(f"a[href='/actions/{action.id}']")
    assert "Review plans when circumstances change" in link.text

    page = client_request.get("actions.show", action_id=action.id)
    assert page.select_one("h1").text.strip() == "Recommendation 1"
    assert page.select_one("input[name=version]")["value"] == "1"
    assert "No updates yet." in page.select_one("#history").find_next("p").text

    client_request.post(
        "actions.post",
        action_id=action.id,
        data={"note": "Checklist agreed with team managers", "status": "in_progress", "version": "1"},
        _expected_redirect=f"/actions/{action.id}#history",
    )

    page = client_request.get("actions.show", action_id=action.id)
    history = page.select(".app-history__item")
    assert len(history) == 1
    assert "Priya Shah" in history[0].text
    assert "Not started → In progress" in normalise_whitespace(history[0].text)
    assert "Checklist agreed with team managers" in history[0].text
    assert page.select_one("#audit").find_next("a")["href"] == f"/actions/{action.id}/audit"

    log = client_request.get("actions.audit", action_id=action.id).select(".app-audit-log__what")
    assert normalise_whitespace(log[0].text) == (
        "Priya Shah posted an update and changed the status from not started to in progress: "
        "\u201cChecklist agreed with team managers\u201d."
    )

    audit_page = client_request.get("organisations.audit", slug=organisation.slug)
    assert "Checklist agreed with team managers" in audit_page.select_one(".app-audit-log").text


def test_a_stale_form_is_refused_with_what_changed(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation)
    db.session.commit()
    client_request.login(manager)
    client_request.post(
        "actions.post", action_id=action.id, data={"note": "Mine came first", "status": "in_progress", "version": "1"}
    )
    page = client_request.post(
        "actions.post",
        action_id=action.id,
        _expected_status=400,
        data={"note": "From an old tab", "status": "unchanged", "version": "1"},
    )
    summary = page.select_one(".govuk-error-summary").text
    assert "changed by someone else" in summary and "Mine came first" in summary
    db.session.refresh(action)
    assert [update.note for update in action.updates] == ["Mine came first"]


def test_a_status_the_form_does_not_offer_is_refused(client_request, app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER)
    action = make_action(organisation)
    db.session.commit()
    client_request.login(manager)
    page = client_request.post(
        "actions.post",
        action_id=action.id,
        _expected_status=400,
        data={"note": "Sign it off", "status": "verified", "version": "1"},
    )
    assert "Not a valid choice" in page.select_one(".govuk-error-summary").text
    db.session.refresh(action)
    assert action.status is Status.NOT_STARTED and action.updates == []
