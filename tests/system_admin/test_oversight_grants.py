"""Oversight grants and system administrators: the service, the page and the commands."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_oversight_user, make_system_admin, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Membership, OversightGrant, User
from tracker.services import ServiceError
from tracker.services.audit_sentences import sentence
from tracker.services.people import oversight_grants


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _events(name):
    return list(db.session.scalars(select(AuditEvent).filter_by(event=name).order_by(AuditEvent.id)))


def test_a_grant_lists_what_it_reads_and_is_audited_and_withdrawn(app):
    north, south = make_organisation("North YOS"), make_organisation("South YOS")
    reader = make_user(None, email="olu@yjb.example")
    made = oversight_grants.grant(
        reader, body="  Youth   Justice Board ", organisations=[south, north, south], actor="command line"
    )
    assert made.body_name == "Youth Justice Board" and not made.all_organisations
    assert [organisation.name for organisation in made.organisations] == ["North YOS", "South YOS"]
    assert made.scope_text == "North YOS and South YOS"
    (event,) = _events("oversight.granted")
    assert event.after == {
        "user": "olu@yjb.example",
        "body": "Youth Justice Board",
        "organisations": ["North YOS", "South YOS"],
    }
    oversight_grants.withdraw(made, actor="command line")
    assert made.withdrawn_at is not None and made.withdrawn_by_label == "command line"
    (event,) = _events("oversight.withdrawn")
    assert (
        "withdrew olu@yjb.example's oversight for Youth Justice Board, which read North YOS and South YOS"
        in sentence(event, ZoneInfo("Europe/London"))
    )
    with pytest.raises(ServiceError, match="already withdrawn"):
        oversight_grants.withdraw(made, actor="command line")


@pytest.mark.parametrize(
    "body, organisations, message",
    [
        ("", None, "Enter the name of the oversight body"),
        ("x" * 201, None, "200 characters or fewer"),
        ("Youth Justice Board", [], "Choose the organisations"),
    ],
)
def test_bad_grants_are_refused_and_change_nothing(app, body, organisations, message):
    reader = make_user(None)
    with pytest.raises(ServiceError, match=message):
        oversight_grants.grant(reader, body=body, organisations=organisations, actor="test")
    assert db.session.scalars(select(OversightGrant)).all() == []


def test_the_same_body_twice_is_refused(app):
    reader = make_oversight_user(None, body="Youth Justice Board")
    with pytest.raises(ServiceError, match="already reads for Youth Justice Board"):
        oversight_grants.grant(reader, body="Youth Justice Board", organisations=None, actor="test")


def test_no_membership_can_hold_oversight(app):
    from tracker.services.people import members as people
    from tracker.services.people import organisations

    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    member = make_user(organisation, AccessLevel.OWNER)
    membership = db.session.scalars(select(Membership).filter_by(user_id=member.id)).one()
    for attempt in (
        lambda: people.parse_level("oversight"),
        lambda: people.invite(organisation, "x@example.org", name="", level=AccessLevel.OVERSIGHT, actor=admin),
        lambda: people.change_level(organisation, membership, AccessLevel.OVERSIGHT, actor=admin),
        lambda: organisations.add_user(
            "y@example.org", organisation=organisation, access=AccessLevel.OVERSIGHT, actor="command line"
        ),
    ):
        with pytest.raises(ServiceError, match="Oversight is not an access level within an organisation"):
            attempt()
    assert membership.access_level is AccessLevel.OWNER
    assert db.session.scalars(select(User).filter(User.email.in_(["x@example.org", "y@example.org"]))).all() == []


def test_the_page_is_for_system_administrators_and_gives_and_withdraws(client_request, app):
    north, south = make_organisation("North YOS"), make_organisation("South YOS")
    make_action(north)
    reader = make_user(None, email="reader@region.example", name="Rae Reader")
    administrator = make_system_admin()
    db.session.commit()
    client_request.login(administrator)
    page = client_request.get("dashboard.index")
    assert page.find("a", href="/system").get_text(strip=True) == "System administration"
    page = client_request.get("system_admin.grant")
    assert {box["value"] for box in page.select("input[name=organisations]")} == {north.slug, south.slug}

    refused = client_request.post(
        "system_admin.grant",
        _expected_status=400,
        data={"email": "nobody@region.example", "body": "Regional Partnership", "scope": "all"},
    )
    assert "There is no account for nobody@region.example" in refused.get_text()
    refused = client_request.post(
        "system_admin.grant",
        _expected_status=400,
        data={"email": reader.email, "body": "Regional Partnership", "scope": "listed"},
    )
    assert "Choose the organisations the body oversees" in refused.get_text()
    refused = client_request.post(
        "system_admin.grant",
        _expected_status=400,
        data={
            "email": reader.email,
            "body": "Regional Partnership",
            "scope": "listed",
            "organisations": ["no-such-org"],
        },
    )
    assert "Choose organisations from the list" in refused.get_text()
    assert db.session.scalars(select(OversightGrant)).all() == []

    client_request.post(
        "system_admin.grant",
        data={"email": reader.email, "body": "Regional Partnership", "scope": "listed", "organisations": [north.slug]},
    )
    made = db.session.scalars(select(OversightGrant)).one()
    assert [organisation.id for organisation in made.organisations] == [north.id]
    assert made.granted_by_id == administrator.id
    page = client_request.get("system_admin.index")
    row = page.find("td", string="Regional Partnership").find_parent("tr")
    assert "North YOS" in row.get_text() and "Active" in row.get_text()

    client_request.post("system_admin.withdraw", grant_id=made.id)
    db.session.refresh(made)
    assert made.withdrawn_by_id == administrator.id
    assert (
        "Withdrawn"
        in client_request.get("system_admin.index")
        .find("td", string="Regional Partnership")
        .find_parent("tr")
        .get_text()
    )
    assert [
        event.event
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.event.like("oversight.%")).order_by(AuditEvent.id)
        )
    ] == ["oversight.granted", "oversight.withdrawn"]


def test_a_withdrawn_grant_reads_nothing_from_the_next_request(client_request, app):
    north = make_organisation("North YOS")
    action = make_action(north)
    reader = make_oversight_user([north])
    db.session.commit()
    client_request.login(reader)
    assert client_request.client.get(f"/actions/{action.id}").status_code == 200
    oversight_grants.withdraw_for(reader, body=None, actor="test")
    db.session.commit()
    assert client_request.client.get(f"/actions/{action.id}").status_code == 404
    # Reading no organisation any more, the comparison has nothing to show: refused, not an empty table.
    client_request.get("oversight.index", _expected_status=403)


def test_sso_domains_belong_to_one_organisation(client_request, app):
    north, south = make_organisation("North YOS"), make_organisation("South YOS")
    administrator = make_system_admin()
    db.session.commit()
    client_request.login(administrator)
    client_request.post("system_admin.sso", slug=north.slug, data={"domains": "North.gov.example, @nhs.example"})
    assert north.sso_domain_names == ["nhs.example", "north.gov.example"]
    refused = client_request.post(
        "system_admin.sso", slug=south.slug, _expected_status=400, data={"domains": "south.gov.example nhs.example"}
    )
    assert "nhs.example belongs to North YOS" in refused.get_text()
    refused = client_request.post(
        "system_admin.sso", slug=south.slug, _expected_status=400, data={"domains": "not a domain!"}
    )
    assert "is not an email domain" in refused.get_text()
    db.session.expire_all()
    assert south.sso_domain_names == [] and north.sso_domain_names == ["nhs.example", "north.gov.example"]
    (event,) = _events("organisation.sso_domains_changed")
    assert event.after == {"domains": ["nhs.example", "north.gov.example"]}


def test_the_commands(runner, app):
    north = make_organisation("North YOS", slug="north")
    make_organisation("South YOS", slug="south")
    make_user(north, AccessLevel.MANAGER, email="manager@north.example")
    db.session.commit()

    result = runner.invoke(args=["tracker", "make-system-admin", "manager@north.example"])
    assert result.exit_code == 0 and "is now a system administrator" in result.output
    assert runner.invoke(args=["tracker", "make-system-admin", "nobody@north.example"]).exit_code == 1

    result = runner.invoke(
        args=[
            "tracker",
            "grant-oversight",
            "olu@yjb.example",
            "--body",
            "Youth Justice Board",
            "--org",
            "north",
            "--name",
            "Olu",
        ],
        input="",
    )
    assert result.exit_code == 0, result.output
    assert "may now read" in result.output and "/sign-in/" in result.output
    assert runner.invoke(args=["tracker", "grant-oversight", "olu@yjb.example", "--body", "X"]).exit_code == 2
    assert (
        runner.invoke(
            args=["tracker", "grant-oversight", "olu@yjb.example", "--body", "X", "--all", "--org", "south"]
        ).exit_code
        == 2
    )
    result = runner.invoke(args=["tracker", "grant-oversight", "olu@yjb.example", "--body", "X", "--org", "missing"])
    assert result.exit_code == 1 and "no organisation with the slug" in result.output

    result = runner.invoke(args=["tracker", "set-sso-domains", "north", "north.example"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["tracker", "set-sso-domains", "south", "north.example"])
    assert result.exit_code == 1 and "belongs to" in result.output
    result = runner.invoke(
        args=["tracker", "create-user", "x@north.example", "--org", "north", "--access", "oversight"]
    )
    assert result.exit_code == 2

    result = runner.invoke(args=["tracker", "withdraw-oversight", "olu@yjb.example", "--body", "Youth Justice Board"])
    assert result.exit_code == 0 and "no longer reads North" in result.output
    assert runner.invoke(args=["tracker", "withdraw-oversight", "olu@yjb.example"]).exit_code == 1
    result = runner.invoke(args=["tracker", "make-system-admin", "manager@north.example", "--remove"])
    assert result.exit_code == 0 and "no longer a system administrator" in result.output
    db.session.expire_all()
    assert not db.session.scalars(select(User).filter_by(email="manager@north.example")).one().is_system_admin
    assert [
        event.event
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.event.in_(["oversight.granted", "oversight.withdrawn", "user.system_admin_changed"]))
            .order_by(AuditEvent.id)
        )
    ] == ["user.system_admin_changed", "oversight.granted", "oversight.withdrawn", "user.system_admin_changed"]
    assert [domain for domain in north.sso_domain_names] == ["north.example"]


def test_seed_demo_prints_an_oversight_reader_and_a_system_administrator(runner, app, tmp_path):
    result = runner.invoke(
        args=[
            "tracker",
            "seed-demo",
            "--organisations",
            "2",
            "--reports",
            "1",
            "--actions-per-report",
            "1",
            "--credentials-file",
            str(tmp_path / "sign-in.txt"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "oversight@region.example" in result.output and "system.admin@tracker.example" in result.output
    reader = db.session.scalars(select(User).filter_by(email="oversight@region.example")).one()
    (made,) = oversight_grants.active_grants_of(reader)
    assert not made.all_organisations and len(made.organisations) == 2
    assert db.session.scalars(select(User).filter_by(email="system.admin@tracker.example")).one().is_system_admin
    assert db.session.scalars(select(Membership).filter_by(user_id=reader.id)).all() == []


def test_the_database_holds_each_domain_for_one_organisation(app):
    from sqlalchemy.exc import IntegrityError

    from tracker.models import SsoDomain

    north, south = make_organisation("North YOS"), make_organisation("South YOS")
    db.session.add(SsoDomain(domain="shared.example", organisation=north))
    db.session.flush()
    db.session.add(SsoDomain(domain="shared.example", organisation=south))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
