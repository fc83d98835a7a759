"""Board meetings, and what changed between them, for a scripted quarter."""

from datetime import date

import pytest

from tests.factories import make_action, make_organisation, make_user
from tracker import clock
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, DeadlineChangeStatus, Status
from tracker.models.board import BoardMeeting
from tracker.services import ServiceError
from tracker.services.actions import decide_deadline_change, post_update, request_deadline_change, verify_action
from tracker.services.board.meetings import changes_between, changes_since_last_meeting, record_meeting

EVIDENCE = ["https://intranet.example.org/board-minutes.pdf"]


def _meeting(board, held_on: date) -> BoardMeeting:
    meeting = record_meeting(
        board.organisation,
        held_on=held_on,
        attendees="Bola Board (chair), Morgan Manager",
        notes="",
        decisions="",
        recorded_by=board.member,
        today=clock.today(),
    )
    db.session.commit()
    return meeting


def test_changes_since_the_last_meeting_for_a_scripted_quarter(board_organisation, travel):
    board = board_organisation
    one, two, three, four = (board.actions[key] for key in ("1", "2", "3", "iv"))

    travel("2026-01-10")
    post_update(one, author=board.member, note="Partners invited", new_status=Status.IN_PROGRESS, expected_version=1)
    travel("2026-01-20")
    _meeting(board, date(2026, 1, 20))
    # Posted on the meeting's own day: the board saw it, so it is not news at the next meeting.
    post_update(two, author=board.manager, note="Reviewed ten plans", expected_version=1)
    db.session.commit()

    travel("2026-02-03")
    post_update(
        one,
        author=board.member,
        note="All partners attended in January",
        new_status=Status.COMPLETED,
        links=EVIDENCE,
        expected_version=one.version,
    )
    change = request_deadline_change(
        three,
        requested_by=board.manager,
        new_due_on=date(2026, 9, 1),
        reason="The speech and language therapist starts in May",
        today=clock.today(),
    )
    post_update(four, author=board.manager, note="Victim liaison officer appointed", expected_version=1)
    db.session.commit()
    travel("2026-02-10")
    five = make_action(
        board.organisation,
        report=board.report,
        owners=[board.head],
        number="5",
        text="Managers check the quality of case records",
        due_on=date(2026, 12, 1),
    )
    db.session.commit()

    travel("2026-03-01")
    last, changes = changes_since_last_meeting(board.organisation, clock.today())
    assert last.held_on == date(2026, 1, 20)
    assert (changes.since, changes.until) == (date(2026, 1, 20), date(2026, 3, 1))
    assert [(update.action_id, update.note) for update in changes.updates] == [
        (four.id, "Victim liaison officer appointed"),
        (one.id, "All partners attended in January"),
    ]
    assert [(update.action_id, update.status_before, update.status_after) for update in changes.status_changes] == [
        (one.id, Status.IN_PROGRESS, Status.COMPLETED)
    ]
    assert changes.new_actions == [five]
    assert changes.awaiting_decision == [change] and changes.deadline_requests == [change]
    assert changes.awaiting_sign_off == [one]
    assert changes.deadline_decisions == [] and changes.verified == []
    assert changes.summary_for(one.id) == "In progress to completed (3 Feb 2026)"
    assert changes.summary_for(three.id) == "more time asked for: to 1 Sep 2026"
    assert changes.summary_for(two.id) == "No change"
    assert changes.summary_for(five.id) == "new action"

    # The board meets, signs action 1 off and approves more time for action 3 a few days later.
    travel("2026-03-02")
    _meeting(board, date(2026, 3, 2))
    travel("2026-03-05")
    verify_action(one, board_member=board.member, note="Minutes seen", expected_version=one.version)
    decide_deadline_change(change, decided_by=board.member, approve=True, note="", expected_version=three.version)
    db.session.commit()

    travel("2026-04-01")
    last, changes = changes_since_last_meeting(board.organisation, clock.today())
    assert last.held_on == date(2026, 3, 2)
    assert [update.action_id for update in changes.verified] == [one.id]
    assert changes.awaiting_sign_off == [] and changes.awaiting_decision == []
    assert [(c.action_id, c.status) for c in changes.deadline_decisions] == [(three.id, DeadlineChangeStatus.APPROVED)]
    assert changes.deadline_requests == [] and changes.new_actions == []

    # The first quarter, as the record of the meeting on 2 March shows it.
    between = changes_between(board.organisation, date(2026, 1, 20), date(2026, 3, 2))
    assert {update.action_id for update in between.updates} == {one.id, four.id}
    # From the start: everything up to the first meeting.
    first = changes_between(board.organisation, None, date(2026, 1, 20))
    assert {update.action_id for update in first.updates} == {one.id, two.id}
    assert len(first.new_actions) == 4


def test_recording_a_meeting_is_audited_and_refuses_the_future_and_duplicates(board_organisation, travel):
    board = board_organisation
    travel("2026-03-01")
    meeting = _meeting(board, date(2026, 2, 26))
    event = db.session.query(AuditEvent).filter_by(event="board_meeting.recorded").one()
    assert event.subject_id == meeting.id and event.actor_id == board.member.id
    assert event.after["held_on"] == "2026-02-26" and event.organisation_id == board.organisation.id
    with pytest.raises(ServiceError, match="already recorded"):
        _meeting(board, date(2026, 2, 26))
    db.session.rollback()
    with pytest.raises(ServiceError, match="future"):
        _meeting(board, date(2026, 3, 2))
    db.session.rollback()
    pasted = record_meeting(
        board.organisation,
        held_on=date(2026, 1, 5),
        attendees="Chair\x00",
        notes="a\x00b",
        decisions="",
        recorded_by=board.member,
        today=clock.today(),
    )
    assert (pasted.attendees, pasted.notes) == ("Chair", "ab")
    with pytest.raises(ServiceError, match="who attended"):
        record_meeting(
            board.organisation,
            held_on=date(2026, 2, 1),
            attendees="  ",
            notes="",
            decisions="",
            recorded_by=board.member,
            today=clock.today(),
        )


def test_a_board_member_records_a_meeting_through_the_form(client_request, board_organisation, travel):
    board = board_organisation
    travel("2026-03-01")
    client_request.login(board.member)
    form = client_request.get("board.record_meeting", slug=board.organisation.slug)
    assert form.select_one("h1").text.strip() == "Record a board meeting"
    page = client_request.post(
        "board.record_meeting",
        slug=board.organisation.slug,
        _follow=True,
        _expected_status=200,
        data={
            "held_on": ["26", "2", "2026"],
            "attendees": "Bola Board, Morgan Manager",
            "notes": "Quarterly review",
            "decisions": "Approve the plan for recommendation 3",
        },
    )
    assert "The meeting on 26 February 2026 has been recorded." in page.text
    assert page.select_one("h1").text.strip() == "Board meeting, 26 February 2026"
    meeting = db.session.query(BoardMeeting).one()
    assert meeting.decisions == "Approve the plan for recommendation 3" and meeting.created_by_id == board.member.id

    errors = client_request.post(
        "board.record_meeting",
        slug=board.organisation.slug,
        _expected_status=400,
        data={"held_on": ["1", "4", "2026"], "attendees": "Someone"},
    )
    assert "date is in the future" in errors.select_one(".govuk-error-summary").text
    assert errors.select_one("title").text.startswith("Error: ")
    assert db.session.query(BoardMeeting).count() == 1


def test_the_next_meeting_page_links_to_the_decisions_on_each_action(client_request, board_organisation, travel):
    board = board_organisation
    one, three = board.actions["1"], board.actions["3"]
    travel("2026-01-20")
    _meeting(board, date(2026, 1, 20))
    travel("2026-02-03")
    post_update(one, author=board.member, note="Done", new_status=Status.COMPLETED, links=EVIDENCE, expected_version=1)
    request_deadline_change(
        three, requested_by=board.manager, new_due_on=date(2026, 9, 1), reason="Recruiting", today=clock.today()
    )
    db.session.commit()
    travel("2026-03-01")
    client_request.login(board.manager)
    page = client_request.get("board.next_meeting", slug=board.organisation.slug)
    assert "since the meeting on 20 January 2026" in " ".join(page.select_one(".govuk-body-l").text.split())
    action_url = client_request.url("actions.show", action_id=three.id)
    decision_rows = page.select_one("#awaiting-decision").find_next("table").select("tbody tr")
    assert [row.select_one("a")["href"] for row in decision_rows] == [action_url]
    sign_off_rows = page.select_one("#awaiting-sign-off").find_next("table").select("tbody tr")
    assert [row.select_one("a")["href"] for row in sign_off_rows] == [
        client_request.url("actions.show", action_id=one.id)
    ]
    assert "Status changes (1)" in page.select_one("#status-changes").text

    meetings = client_request.get("board.meetings", slug=board.organisation.slug)
    link = meetings.select_one("#meetings tbody a")
    assert link.text.strip() == "20 January 2026"


@pytest.mark.parametrize(
    ("access", "may_record"),
    [
        (AccessLevel.ADMIN, True),
        (AccessLevel.MANAGER, True),
        (AccessLevel.BOARD, True),
        (AccessLevel.OWNER, False),
        (AccessLevel.OVERSIGHT, False),
    ],
)
def test_who_may_record_a_meeting(client_request, app, access, may_record):
    organisation = make_organisation()
    user = make_user(organisation, access)
    db.session.commit()
    client_request.login(user)
    client_request.post(
        "board.record_meeting",
        slug=organisation.slug,
        _expected_status=302 if may_record else 403,
        data={"held_on": ["2", "1", "2026"], "attendees": "Chair"},
    )
    assert db.session.query(BoardMeeting).count() == (1 if may_record else 0)


def test_a_meeting_of_another_organisation_is_not_found_under_ours(client_request, board_organisation, travel):
    board = board_organisation
    travel("2026-03-01")
    theirs = make_organisation("Theirs YOS")
    their_meeting = BoardMeeting(organisation=theirs, held_on=date(2026, 2, 1), attendees="Them")
    db.session.add(their_meeting)
    db.session.commit()
    client_request.login(board.manager)
    client_request.get("board.meeting", slug=board.organisation.slug, meeting_id=their_meeting.id, _expected_status=404)
    client_request.get("board.meeting", slug=theirs.slug, meeting_id=their_meeting.id, _expected_status=404)


def test_with_no_meeting_recorded_the_next_meeting_looks_back_one_quarter(board_organisation, travel, client_request):
    board = board_organisation
    one, two = board.actions["1"], board.actions["2"]
    travel("2026-01-05")
    post_update(one, author=board.member, note="Partners invited in January", expected_version=one.version)
    db.session.commit()
    travel("2026-05-20")
    post_update(two, author=board.member, note="Audit begun in May", expected_version=two.version)
    db.session.commit()

    travel("2026-06-01")
    last, changes = changes_since_last_meeting(board.organisation, clock.today())
    assert last is None
    assert (changes.since, changes.until) == (date(2026, 3, 1), date(2026, 6, 1))
    assert [update.note for update in changes.updates] == ["Audit begun in May"]

    client_request.login(board.member)
    page = client_request.get("board.next_meeting", slug=board.organisation.slug)
    assert "so this is what changed after 1 March 2026 (three months)" in " ".join(page.get_text().split())
    assert "Partners invited in January" not in page.get_text()
