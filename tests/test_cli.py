import json

import pytest

from tests.conftest import SHARED, skip_without_shared
from tests.factories import make_organisation
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Membership, Organisation, Report, Role, Update, User


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_create_organisation_and_user_with_a_piped_password(runner, app):
    result = runner.invoke(args=["tracker", "create-organisation", "leicester-city", "--name", "Leicester City YOS"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["tracker", "create-user", "Head@Leicester.example", "--org", "leicester-city", "--access", "manager"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="head@leicester.example").one()
    assert user.check_password("a long enough password")
    membership = db.session.query(Membership).one()
    assert membership.access_level is AccessLevel.MANAGER
    assert "sign-in link" not in result.output


def test_create_user_without_a_password_prints_a_sign_in_link(runner, app):
    make_organisation(slug="org")
    db.session.commit()
    result = runner.invoke(
        args=["tracker", "create-user", "new@example.org", "--org", "org", "--access", "board"], input=""
    )
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5000/sign-in/" in result.output


def test_bad_input_gets_a_clear_message_and_changes_nothing(runner, app):
    assert runner.invoke(args=["tracker", "create-organisation", "Bad Slug!", "--name", "x"]).exit_code == 1
    result = runner.invoke(
        args=["tracker", "create-user", "a@b.example", "--org", "missing", "--access", "manager"],
        input="a long enough password\n",
    )
    assert result.exit_code == 1 and "no organisation with the slug 'missing'" in result.output
    assert db.session.query(Organisation).count() == 0 and db.session.query(User).count() == 0


def test_set_role_holder_finds_the_role_by_any_alias(runner, app):
    organisation = make_organisation(slug="org")
    role = Role(organisation=organisation, name="Chair of the YOS Management Board")
    db.session.add(role)
    db.session.commit()
    result = runner.invoke(
        args=[
            "tracker",
            "set-role-holder",
            "--org",
            "org",
            "--role",
            "The Chair of the YOS Management Board",
            "--email",
            "chair@example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(role)
    assert role.holder.email == "chair@example.org"
    assert db.session.query(Role).count() == 1
    runner.invoke(
        args=[
            "tracker",
            "set-role-holder",
            "--org",
            "org",
            "--role",
            "Chair of the YOS Management Board",
            "--email",
            "next.chair@example.org",
        ]
    )
    db.session.refresh(role)
    assert role.holder.email == "next.chair@example.org"
    assert [tenure.ended_at is None for tenure in role.tenures] == [False, True]


def test_seed_demo_loads_a_usable_organisation_and_prints_sign_in_details(runner, app, tmp_path):
    credentials = tmp_path / "sign-in.txt"
    result = runner.invoke(args=["tracker", "seed-demo", "--credentials-file", str(credentials)])
    assert result.exit_code == 0, result.output
    assert "manager@northfield.example" in result.output
    assert db.session.query(Action).count() == 5
    again = runner.invoke(args=["tracker", "seed-demo", "--if-empty", "--credentials-file", str(credentials)])
    assert "already has data" in again.output and db.session.query(Action).count() == 5
    assert "manager@northfield.example" in again.output  # the details from the first time, shown again


def test_seed_demo_at_a_larger_scale(runner, app, tmp_path):
    result = runner.invoke(
        args=[
            "tracker",
            "seed-demo",
            "--organisations",
            "3",
            "--reports",
            "2",
            "--actions-per-report",
            "4",
            "--credentials-file",
            str(tmp_path / "sign-in.txt"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert db.session.query(Organisation).count() == 3
    assert db.session.query(Action).count() == 5 + 2 * 2 * 4
    assert db.session.query(Update).count() == 2 + 2 * 2 * 4 * 5
    manager = db.session.query(User).filter_by(email="manager@service-0002.example").one()
    password = result.output.split("password for every demo user: ")[1].split(")")[0]
    assert manager.check_password(password)


def test_parse_prints_json_and_import_saves_in_one_go(runner, app, tmp_path):
    from tests.web.test_reports import REPORT_TEXT

    report_file = tmp_path / "eastbrook.txt"
    report_file.write_text(REPORT_TEXT)
    result = runner.invoke(args=["tracker", "parse", str(report_file), "--json"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert [item["number"] for item in parsed["recommendations"]] == ["1", "2", "3", "4"]
    assert parsed["publication_date"] == "2025-03" and parsed["date_precision"] == "month"

    make_organisation(slug="eastbrook")
    db.session.commit()
    result = runner.invoke(args=["tracker", "import", str(report_file), "--org", "eastbrook"])
    assert result.exit_code == 0, result.output
    report = db.session.get(Report, int(result.output.strip()))
    assert len(report.recommendations) == 4


def test_parse_of_an_unreadable_file_exits_2_with_one_line(runner, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(args=["tracker", "parse", str(empty), "--json"])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_parse_reads_a_shared_report(runner):
    skip_without_shared()
    result = runner.invoke(args=["tracker", "parse", str(SHARED / "reports" / "leicester-city-2016.txt"), "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.output)["recommendations"]) == 5


def test_import_keeps_owners_found_in_the_question_and_in_an_item(runner, app, tmp_path):
    from tracker.models import OwnerSource, Recommendation

    report_file = tmp_path / "westbrook.txt"
    report_file.write_text(
        "Inspection of Westbrook local authority children's services\n\nPublished: 14 March 2025\n\n"
        "Areas for priority action\n\n"
        "Leaders across the partnership should strengthen how they share information about children.\n\n"
        "Leaders in health should reduce the waiting times for neurodevelopmental assessments.\n\n"
        "What does the local authority need to improve?\n\n"
        "1. Improve the quality of plans for children in need so that they say what must change.\n"
    )
    make_organisation(slug="westbrook")
    db.session.commit()
    result = runner.invoke(args=["tracker", "import", str(report_file), "--org", "westbrook"])
    assert result.exit_code == 0, result.output
    saved = db.session.query(Recommendation).order_by(Recommendation.position).all()
    assert [(item.owner_phrases, item.owner_source) for item in saved] == [
        (["Leaders across the partnership"], OwnerSource.SUBJECT),
        (["Leaders in health"], OwnerSource.SUBJECT),
        (["the local authority"], OwnerSource.QUESTION),
    ]
