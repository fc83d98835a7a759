"""Saving an imported plan: one transaction, audited, refused rows, a linked report, the round trip."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tests.plans.builders import rows_workbook, title_block_plan
from tracker.boardpack.xlsx import board_pack_xlsx
from tracker.exports.plan import plan_xlsx
from tracker.extensions import db
from tracker.models import Action, AuditEvent, Flag, Recommendation, Report, Role, Status
from tracker.services import ServiceError
from tracker.services.board import pack as board_pack
from tracker.services.imports.plan_export import plan_rows
from tracker.services.imports.plan_import import preview_plan as _preview_plan
from tracker.services.imports.plan_import import save_plan
from tracker.services.imports.plan_matching import NEW_ROLE

TODAY = date(2026, 3, 20)


@pytest.fixture
def today(travel):
    travel("2026-03-20")
    return TODAY


def preview_plan(organisation, data, filename, today, **options):
    """The preview with "Create a new role" chosen for every owner that is none of the roles."""
    preview = _preview_plan(organisation, data, filename, today, **options)
    if preview.unmatched_owners:
        choices = {match.key: NEW_ROLE for match in preview.unmatched_owners}
        preview = _preview_plan(organisation, data, filename, today, owner_choices=choices, **options)
    return preview


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions(organisation) -> list[tuple]:
    actions = db.session.scalars(
        select(Action)
        .filter_by(organisation_id=organisation.id)
        .join(Action.recommendation)
        .order_by(Recommendation.number, Action.id)
    ).all()
    return sorted(
        (
            action.recommendation.number,
            action.recommendation.text,
            action.title or "",
            tuple(role.name for role in action.owner_roles),
            action.due_on,
            action.original_due_on,
            action.status,
            action.flag,
        )
        for action in actions
    )


def test_a_standalone_plan_is_saved_with_steps_owners_statuses_and_first_updates(app, today):
    organisation = make_organisation()
    manager = make_user(organisation)
    existing = make_role(organisation, "Head of Service")
    preview = preview_plan(organisation, title_block_plan(), "plan.xlsx", today)
    assert preview.owners["Head of Service"].role is existing
    assert preview.new_roles == ["Chair of the Management Board", "Practice Manager"]
    assert preview.due_on == {"1": date(2026, 3, 31), "2": date(2026, 6, 30)}
    report = save_plan(preview, actor=manager)
    db.session.commit()
    assert report.title == "Action plan: plan.xlsx" and len(report.recommendations) == 2
    first = report.recommendations[0]
    main, *steps = first.actions
    assert main.title is None and main.due_on == date(2026, 3, 31) and main.status is Status.IN_PROGRESS
    assert [step.title for step in steps][0] == "Audit twenty assessments each quarter"
    assert steps[1].flag is Flag.AT_RISK and steps[1].updates[0].note == "Two of three sessions held."
    assert steps[1].updates[0].created_at.date() == date(2026, 2, 15)
    assert _count(Role) == 3
    event = db.session.scalar(select(AuditEvent).filter_by(event="plan.imported"))
    assert event.after["steps"] == 6 and event.actor_id == manager.id


def test_a_plan_imported_twice_is_detected(app, today):
    organisation = make_organisation()
    save_plan(preview_plan(organisation, title_block_plan(), "plan.xlsx", today), actor="command line")
    db.session.commit()
    again = preview_plan(organisation, title_block_plan(), "copy of plan.xlsx", today)
    assert "already imported" in again.imported_before
    with pytest.raises(ServiceError, match="already imported"):
        save_plan(again, actor="command line")


def test_a_refused_row_saves_nothing_unless_the_manager_skips_it(app, today):
    organisation = make_organisation()
    data = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Owner", "Deadline", "Status"],
            ["1", "Do better", "Step one", "Lead", "31/03/2026", "Green"],
            ["1", "Do better", "Step two", "Lead", "TBC", "Green"],
            ["2", "Do more", "Step three", "Lead", "30/04/2026", "Purple"],
        ]
    )
    preview = preview_plan(organisation, data, "plan.xlsx", today)
    assert [row.line for row in preview.refused_rows] == [3, 4]
    with pytest.raises(ServiceError, match="2 rows cannot be imported"):
        save_plan(preview, actor="command line")
    db.session.rollback()
    assert _count(Action) == 0 and _count(Report) == 0 and _count(Role) == 0
    report = save_plan(preview_plan(organisation, data, "plan.xlsx", today), actor="command line", skip_refused=True)
    assert [action.title for recommendation in report.recommendations for action in recommendation.actions] == [
        None,
        "Step one",
    ]
    fixed = preview_plan(
        organisation, data, "plan.xlsx", today, fixes={(3, "deadline"): "30/03/2026", (4, "status"): "Amber"}
    )
    assert fixed.refused_rows == [] and "already imported" in fixed.imported_before


def test_a_step_later_than_its_recommendation_is_refused(app, today):
    organisation = make_organisation()
    data = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Deadline"],
            ["1", "Do better", None, "31/03/2026"],
            ["1", "Do better", "Step", "30/06/2026"],
        ]
    )
    preview = preview_plan(organisation, data, "plan.xlsx", today)
    assert "later than the recommendation" in preview.refused_rows[0].problems[0]


def test_linking_to_an_imported_report_matches_by_number_and_text(app, today):
    organisation = make_organisation()
    report = make_report(organisation, published=date(2025, 6, 1))
    make_action(
        organisation,
        report=report,
        number="1",
        due_on=date(2026, 6, 30),
        text="Improve the quality of assessments of risk of harm to others",
    )
    make_action(
        organisation,
        report=report,
        number="2",
        due_on=date(2026, 6, 30),
        text="Make sure that every child has a plan to keep them safe",
    )
    preview = preview_plan(organisation, title_block_plan(), "plan.xlsx", today, report=report)
    assert {number: recommendation.number for number, recommendation in preview.matches.items()} == {"1": "1", "2": "2"}
    assert preview.refused_rows == []
    save_plan(preview, actor="command line")
    db.session.commit()
    assert [len(recommendation.actions) for recommendation in report.recommendations] == [4, 4]
    unknown = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Deadline"],
            ["9", "Something the report never said", "Step", "31/03/2026"],
        ]
    )
    refused = preview_plan(organisation, unknown, "other.xlsx", today, report=report)
    assert "not in the report" in refused.refused_rows[0].problems[0]


def test_the_round_trip_through_the_plan_export(app, today):
    first = make_organisation("First YOS")
    save_plan(preview_plan(first, title_block_plan(), "plan.xlsx", today), actor="command line")
    db.session.commit()
    exported = plan_xlsx("First YOS: action plan", plan_rows(first))
    empty = make_organisation("Empty YOS")
    preview = preview_plan(empty, exported, "export.xlsx", today)
    assert preview.refused_rows == []
    save_plan(preview, actor="command line")
    db.session.commit()
    assert _actions(empty) == _actions(first)


def test_the_round_trip_through_the_excel_board_pack(app, today):
    first = make_organisation("First YOS")
    save_plan(preview_plan(first, title_block_plan(), "plan.xlsx", today), actor="command line")
    db.session.commit()
    pack = board_pack_xlsx(board_pack.board_pack(first, today))
    empty = make_organisation("Empty YOS")
    preview = preview_plan(empty, pack, "board pack.xlsx", today)
    assert preview.plan.sheet_name == "Actions" and preview.refused_rows == []
    save_plan(preview, actor="command line")
    db.session.commit()
    assert _actions(empty) == _actions(first)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_the_import_plan_command(runner, app, tmp_path, today):
    make_organisation(slug="north")
    db.session.commit()
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(title_block_plan())
    result = runner.invoke(args=["tracker", "import-plan", str(plan), "--org", "north", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Recommendation 1: Improve the quality" in result.output
    assert "not matched: choose a role for \u201cPractice Manager\u201d" in result.output
    assert "Dry run" in result.output and _count(Action) == 0
    result = runner.invoke(args=["tracker", "import-plan", str(plan), "--org", "north"])
    assert result.exit_code == 1 and "Choose a role for each owner" in result.output and _count(Action) == 0
    result = runner.invoke(args=["tracker", "import-plan", str(plan), "--org", "north", "--create-roles"])
    assert result.exit_code == 0, result.output
    assert _count(Action) == 8
    again = runner.invoke(args=["tracker", "import-plan", str(plan), "--org", "north"])
    assert again.exit_code == 1 and "already imported" in again.output
    assert "Step 1a: Audit twenty" in again.output
    out = tmp_path / "out.xlsx"
    assert runner.invoke(args=["tracker", "export-plan", "--org", "north", "--out", str(out)]).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_the_import_plan_command_exits_2_for_an_unusable_file(runner, app, tmp_path):
    make_organisation(slug="north")
    db.session.commit()
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"%PDF-1.4 this is a PDF")
    result = runner.invoke(args=["tracker", "import-plan", str(bad), "--org", "north"])
    assert result.exit_code == 2 and "not a spreadsheet" in result.output
    refused = tmp_path / "refused.csv"
    refused.write_text("Recommendation,Action,Deadline\nDo better,Step,TBC\n")
    result = runner.invoke(args=["tracker", "import-plan", str(refused), "--org", "north"])
    assert result.exit_code == 1 and "PROBLEM" in result.output and "--skip-refused" in result.output
    assert _count(Action) == 0


def test_the_import_plan_command_links_to_a_report(runner, app, tmp_path, today):
    organisation = make_organisation(slug="north")
    report = make_report(organisation)
    make_action(
        organisation,
        report=report,
        number="1",
        due_on=date(2026, 6, 30),
        text="Improve the quality of assessments of risk of harm to others",
    )
    other = make_report(make_organisation(slug="south"))
    db.session.commit()
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "Rec;Action;Owner;Deadline;Status\n1;Audit assessments;Head of Service;Q1 2026/27;Complete\n", encoding="cp1252"
    )
    refused = runner.invoke(args=["tracker", "import-plan", str(plan), "--org", "north", "--report", str(other.id)])
    assert refused.exit_code == 1 and "is not one of" in refused.output
    result = runner.invoke(
        args=["tracker", "import-plan", str(plan), "--org", "north", "--report", str(report.id), "--create-roles"]
    )
    assert result.exit_code == 0, result.output
    step = db.session.scalar(select(Action).where(Action.title == "Audit assessments"))
    assert step.recommendation.report_id == report.id and step.status is Status.COMPLETED
    assert step.due_on == date(2026, 6, 30) and [role.name for role in step.owner_roles] == ["Head of Service"]
