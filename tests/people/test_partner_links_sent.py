"""Managers send, resend and revoke partner update links from the action page."""

from datetime import date

from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Contact, PartnerLink


def _world():
    organisation = make_organisation("Northfield YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    colleague = make_user(organisation, AccessLevel.OWNER)
    police = Contact(organisation=organisation, email="sergeant.khan@police.example", name="Sergeant Khan")
    role = make_role(organisation, "Northfield Constabulary")
    role.holder = police
    staff_role = make_role(organisation, "YOS Head of Service", holder=colleague)
    action = make_action(
        organisation,
        owners=[role, staff_role],
        due_on=date(2030, 3, 1),
        number="3",
        text="Share arrest information with the YOS every morning",
    )
    db.session.commit()
    return organisation, manager, police, colleague, action


def _link(message) -> str:
    return next(word for word in message.get_body(("plain",)).get_content().split() if "/partner/actions/" in word)


def test_a_manager_sends_a_link_that_names_everything_and_opens_without_sign_in(client_request, app, smtp_server):
    organisation, manager, police, _, action = _world()
    client_request.login(manager)
    page = client_request.get("actions.show", action_id=action.id)
    options = [option.text for option in page.select("#partner-contact option")]
    assert options == ["Sergeant Khan (sergeant.khan@police.example)"]  # people with accounts sign in instead
    client_request.post("partner_links.send", action_id=action.id, data={"contact": str(police.id)})
    ((recipients, message),) = smtp_server.messages
    assert recipients == ["sergeant.khan@police.example"]
    body = message.get_body(("plain",)).get_content()
    assert "Northfield YOS" in message["Subject"] and "recommendation 3" in message["Subject"]
    assert action.recommendation.report.title in body and "Share arrest information" in body
    # It promises only what the partner page offers: no "ask for more time" there, so none here.
    assert "more time" not in body.lower() and "deadline" not in body.lower()
    # "See the action" is the partner page itself, never a sign-in page.
    assert "/sign-in" not in body and "/actions/" not in body.replace("/partner/actions/", "")
    partner = app.test_client()
    opened = partner.get(_link(message).removeprefix(app.config["BASE_URL"]))
    assert opened.status_code == 200 and "Sergeant Khan" in opened.get_data(as_text=True)
    assert "Post an update" in opened.get_data(as_text=True) and "Status" in opened.get_data(as_text=True)

    link = db.session.scalars(select(PartnerLink)).one()
    client_request.post("partner_links.resend", action_id=action.id, link_id=link.id)
    assert len(smtp_server.messages) == 2 and _link(smtp_server.messages[1][1]) == _link(message)
    client_request.post("actions.revoke_partner_link", action_id=action.id, link_id=link.id)
    assert partner.get(_link(message).removeprefix(app.config["BASE_URL"])).status_code == 403
    events = db.session.scalars(select(AuditEvent.event)).all()
    assert (
        events.count("partner_link.sent") == 2 and "partner_link.revoked" in events and "partner_link.created" in events
    )


def test_links_go_only_to_partners_holding_the_action(client_request, app, smtp_server):
    organisation, manager, police, colleague, action = _world()
    outsider = Contact(organisation=organisation, email="someone@elsewhere.example", name="Someone")
    db.session.add(outsider)
    db.session.commit()
    client_request.login(manager)
    colleague_contact = db.session.scalars(select(Contact).filter_by(user_id=colleague.id)).one()
    for contact_id in (str(outsider.id), str(colleague_contact.id), "", "not-a-number"):
        response = client_request.client.post(
            client_request.url("partner_links.send", action_id=action.id),
            data={"csrf_token": client_request.csrf_token(), "contact": contact_id},
            follow_redirects=True,
        )
        assert "No link was sent" in response.get_data(as_text=True)
    assert db.session.scalars(select(PartnerLink)).all() == [] and smtp_server.messages == []
