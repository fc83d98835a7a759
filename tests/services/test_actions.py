from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Flag, Status
from tracker.services.actions import InvalidUpdate, StaleVersion, post_update
from tracker.services.rag import is_overdue, rag_for


@pytest.fixture
def action_and_author(app):
    organisation = make_organisation()
    return make_action(organisation, due_on=date(2026, 6, 1)), make_user(organisation, AccessLevel.MANAGER)


def test_an_update_moves_the_status_bumps_the_version_and_is_audited(action_and_author):
    action, author = action_and_author
    update = post_update(action, author=author, note="Kick-off held", new_status=Status.IN_PROGRESS, expected_version=1)
    assert (update.status_before, update.status_after) == (Status.NOT_STARTED, Status.IN_PROGRESS)
    assert action.status is Status.IN_PROGRESS and action.version == 2
    assert action.updates == [update]
    event = db.session.query(AuditEvent).filter_by(event="action.update_posted").one()
    assert event.actor_id == author.id and event.subject_id == action.id
    assert event.before["status"] == "not_started" and event.before["version"] == 1
    assert event.after["status"] == "in_progress" and event.after["note"] == "Kick-off held"
    assert event.occurred_at.utcoffset().total_seconds() == 0


def test_a_stale_version_is_refused_and_says_what_changed(action_and_author):
    action, author = action_and_author
    post_update(action, author=author, note="First", new_status=Status.IN_PROGRESS, expected_version=1)
    db.session.commit()
    with pytest.raises(StaleVersion, match="set it to in progress with the note \u201cFirst\u201d"):
        post_update(action, author=author, note="Second, from an old form", new_status=None, expected_version=1)
    db.session.rollback()
    db.session.refresh(action)
    assert [update.note for update in action.updates] == ["First"] and action.version == 2


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.NOT_STARTED, Status.VERIFIED),
        (Status.IN_PROGRESS, Status.WITHDRAWN),
        (Status.IN_PROGRESS, Status.NOT_STARTED),
        (Status.VERIFIED, Status.IN_PROGRESS),
        (Status.WITHDRAWN, Status.IN_PROGRESS),
    ],
)
def test_transitions_that_need_the_board_or_go_backwards_are_refused(app, start, target):
    organisation = make_organisation()
    action = make_action(organisation, status=start)
    with pytest.raises(InvalidUpdate):
        post_update(action, author=make_user(organisation), note="try", new_status=target, expected_version=1)
    assert action.status is start and action.version == 1


def test_completing_needs_a_note_saying_what_was_done(action_and_author):
    action, author = action_and_author
    with pytest.raises(InvalidUpdate, match="evidence"):
        post_update(action, author=author, note="  ", new_status=Status.COMPLETED, expected_version=1)
    with pytest.raises(InvalidUpdate, match="Enter a progress note"):
        post_update(action, author=author, note="", new_status=None, expected_version=1)


def test_overdue_and_rag_are_derived_with_a_reason(app):
    organisation = make_organisation()
    action = make_action(organisation, due_on=date(2026, 6, 1))
    assert rag_for(action, date(2026, 6, 13)).label == "Red: 12 days overdue"
    assert is_overdue(action, date(2026, 6, 2)) and not is_overdue(action, date(2026, 6, 1))
    assert rag_for(action, date(2026, 6, 1)).label == "Amber: due today"
    assert rag_for(action, date(2026, 4, 1)).label == "Amber: not started, due in 61 days"
    assert rag_for(action, date(2025, 6, 1)).colour == "green"
    action.flag, action.flag_reason = Flag.AT_RISK, "no health partner on the board"
    assert rag_for(action, date(2026, 1, 1)).label == "Amber: at risk: no health partner on the board"
    action.status = Status.COMPLETED
    assert not is_overdue(action, date(2027, 1, 1))
    assert rag_for(action, date(2027, 1, 1)).label == "Green: completed, awaiting board sign-off"
