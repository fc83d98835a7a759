"""Plan import, what the words mean: owners as existing roles, recommendations by their wording,
RAG letters, imported updates' dates and credit, step numbers, and notes said once."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tests.plans.builders import rows_workbook, title_block_plan
from tracker.extensions import db
from tracker.models import Action, Flag, Role, Status
from tracker.services import ServiceError
from tracker.services.actions import add_plan_step
from tracker.services.imports.plan_import import preview_plan, save_plan
from tracker.services.imports.plan_matching import NEW_ROLE, choice_key
from tracker.services.rag import rag_for

TODAY = date(2026, 3, 20)
ASSESSMENT = "Improve the quality of assessments of risk of harm to others"
EDUCATION = "Make sure children have good access to education, training and employment"
SAFETY = "Make sure every child has a plan to keep them safe"


@pytest.fixture
def today(travel):
    travel("2026-03-20")
    return TODAY


def _roles(organisation, *names):
    return [make_role(organisation, name) for name in names]


def test_a_plan_in_another_order_is_matched_by_wording_with_how_sure(app, today):
    organisation = make_organisation()
    _roles(organisation, "Head of Service")
    report = make_report(organisation)
    for number, text in (("1", ASSESSMENT), ("2", EDUCATION), ("3", SAFETY)):
        make_action(organisation, report=report, number=number, text=text, due_on=date(2026, 6, 30))
    plan = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Owner", "Deadline"],
            [
                "1",
                "Children get good access to education, training and employment",
                "Link with colleges",
                "Head of Service",
                "30/04/2026",
            ],
            [
                "2",
                "Assessments of risk of harm are better quality",
                "Audit assessments",
                "Head of Service",
                "30/04/2026",
            ],
            [
                "3",
                "Make sure every child has a plan to keep them safe",
                "Review safety plans",
                "Head of Service",
                "30/04/2026",
            ],
        ]
    )
    preview = preview_plan(organisation, plan, "plan.xlsx", today, report=report)
    assert {number: match.number for number, match in preview.matches.items()} == {"1": "2", "2": "1", "3": "3"}
    details = preview.match_details
    assert details["3"].how == "exact" and details["3"].described == "exact match (100%)"
    assert details["2"].described == "likely match (81% alike)" and details["1"].how == "exact"
    assert preview.refused_rows == []

    # The manager changes a match: plan recommendation 3 goes under the report's 1 instead.
    first = report.recommendations[0]
    changed = preview_plan(
        organisation, plan, "plan.xlsx", today, report=report, match_choices={choice_key("3"): first.id}
    )
    assert changed.matches["3"] is first and changed.match_details["3"].described == "chosen by you"
    save_plan(preview, actor="command line")
    db.session.commit()
    titles = {
        recommendation.number: sorted(action.title or "" for action in recommendation.actions)
        for recommendation in report.recommendations
    }
    assert titles == {"1": ["", "Audit assessments"], "2": ["", "Link with colleges"], "3": ["", "Review safety plans"]}


@pytest.mark.parametrize(
    ("rag", "status", "flag", "colour"),
    [
        ("R", Status.IN_PROGRESS, Flag.BLOCKED, "red"),
        ("red", Status.IN_PROGRESS, Flag.BLOCKED, "red"),
        ("A", Status.IN_PROGRESS, Flag.AT_RISK, "amber"),
        ("AMBER", Status.IN_PROGRESS, Flag.AT_RISK, "amber"),
        ("g", Status.IN_PROGRESS, None, "green"),
        ("Green", Status.IN_PROGRESS, None, "green"),
        ("B", Status.COMPLETED, None, "green"),
        ("Blue", Status.COMPLETED, None, "green"),
        ("complete", Status.COMPLETED, None, "green"),
        ("COMPLETE", Status.COMPLETED, None, "green"),
    ],
)
def test_each_rag_letter_and_word_is_read_right(app, today, rag, status, flag, colour):
    organisation = make_organisation()
    _roles(organisation, "Head of Service")
    plan = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Owner", "Deadline", "RAG"],
            ["1", "Do better", "The step", "Head of Service", "30/09/2026", rag],
        ]
    )
    save_plan(preview_plan(organisation, plan, "plan.xlsx", today), actor="command line")
    step = db.session.scalar(select(Action).where(Action.title == "The step"))
    assert (step.status, step.flag, rag_for(step, TODAY).colour) == (status, flag, colour)


def test_imported_updates_keep_their_dates_and_are_credited_to_the_sheet(app, today):
    organisation = make_organisation()
    manager = make_user(organisation)
    _roles(organisation, "Head of Service", "Practice Manager", "Chair of the Management Board")
    preview = preview_plan(organisation, title_block_plan(), "plan.xlsx", today)
    save_plan(preview, actor=manager)
    db.session.commit()
    audit = db.session.scalar(select(Action).where(Action.title == "Audit twenty assessments each quarter"))
    update = audit.updates[0]
    assert update.author is None and update.created_at.date() == date(2026, 1, 20)
    assert update.author_name == "Head of Service (imported from plan.xlsx, row 5)"
    done = db.session.scalar(select(Action).where(Action.title == "Review safety plans for open cases"))
    assert done.status is Status.COMPLETED and done.verified_at is None
    assert rag_for(done, TODAY).reason == "completed, awaiting board sign-off"
    assert all(update.author_id is None for action in db.session.scalars(select(Action)) for update in action.updates)

    other = make_organisation()
    _roles(other, "Head of Service")
    plan = rows_workbook(
        [
            [
                "Rec",
                "Recommendation",
                "Action",
                "Owner",
                "Deadline",
                "Status",
                "Update",
                "Updated by",
                "Date of update",
            ],
            [
                "1",
                "Do better",
                "Train staff",
                "Head of Service",
                "30/09/2026",
                "Signed off",
                "All trained.",
                "Sam Patel",
                "02/02/2026",
            ],
        ]
    )
    preview = preview_plan(other, plan, "board plan.csv", today)
    assert "waits for the board to sign it off" in preview.plan.rows[0].notes[0]
    save_plan(preview, actor=manager)
    step = db.session.scalar(select(Action).where(Action.title == "Train staff"))
    assert step.status is Status.COMPLETED and step.verified_at is None
    assert step.updates[0].author_name == "Sam Patel (imported from board plan.csv, row 2)"


def test_steps_are_numbered_1a_1b_and_carry_on_after_import(app, today):
    organisation = make_organisation()
    manager = make_user(organisation)
    roles = _roles(organisation, "Head of Service", "Practice Manager", "Chair of the Management Board")
    preview = preview_plan(organisation, title_block_plan(), "plan.xlsx", today)
    assert sorted(preview.step_numbers.values()) == ["1a", "1b", "1c", "2a", "2b", "2c"]
    report = save_plan(preview, actor=manager)
    first = report.recommendations[0]
    assert [action.reference for action in first.actions] == ["1", "1a", "1b", "1c"]
    step = add_plan_step(
        first, title="One more", owners=roles[:1], lead=None, due_on=date(2026, 3, 1), created_by=manager
    )
    assert step.reference == "1d"


def test_a_note_every_row_shares_is_said_once(app, today):
    organisation = make_organisation()
    _roles(organisation, "Head of Service")
    rows = [["Rec", "Recommendation", "Action", "Owner", "Deadline", "Progress update"]]
    rows += [
        ["1", "Do better", f"Step {number}", "Head of Service", "30/09/2026", "Going well."] for number in range(1, 6)
    ]
    preview = preview_plan(organisation, rows_workbook(rows), "plan.xlsx", today)
    assert preview.shared_notes == ["The update has no date: it will be dated the day of the import. (every row)"]
    assert all(not row.notes for row in preview.plan.rows)


def test_owners_map_to_existing_roles_and_no_role_is_made_unless_chosen(app, today):
    organisation = make_organisation()
    head, chair = _roles(organisation, "YOS Head of Service", "Chair of the YOS Management Board")
    plan = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Lead", "Deadline"],
            ["1", "Do better", "Audit", "Head of Service", "30/09/2026"],
            ["1", "Do better", "Report to the board", "Board Chair", "30/09/2026"],
            ["1", "Do better", "Train staff", "Practice Manager", "30/09/2026"],
        ]
    )
    preview = preview_plan(organisation, plan, "plan.xlsx", today)
    owners = preview.owners
    assert (owners["Head of Service"].role, owners["Head of Service"].how) == (head, "likely")
    assert (owners["Board Chair"].role, owners["Board Chair"].how) == (chair, "likely")
    assert owners["Practice Manager"].role is None and [match.phrase for match in preview.unmatched_owners] == [
        "Practice Manager"
    ]
    with pytest.raises(ServiceError, match="Choose a role for each owner"):
        save_plan(preview, actor="command line")
    assert db.session.scalar(select(func.count()).select_from(Role)) == 2

    chosen = preview_plan(
        organisation, plan, "plan.xlsx", today, owner_choices={choice_key("Practice Manager"): str(head.id)}
    )
    save_plan(chosen, actor="command line")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Role)) == 2
    assert "Board Chair" in chair.names and "Practice Manager" in head.names  # next time, an exact match
    train = db.session.scalar(select(Action).where(Action.title == "Train staff"))
    assert [role.name for role in train.owner_roles] == ["YOS Head of Service"]

    again = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Lead", "Deadline"],
            ["1", "Do more", "Audit", "Youth Panel Coordinator", "30/09/2026"],
        ]
    )
    preview = preview_plan(
        organisation, again, "second.xlsx", today, owner_choices={choice_key("Youth Panel Coordinator"): NEW_ROLE}
    )
    assert preview.new_roles == ["Youth Panel Coordinator"]
    save_plan(preview, actor="command line")
    assert db.session.scalar(select(func.count()).select_from(Role)) == 3
