"""Board meetings: recording one, finding them, and what changed between two of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from tracker.clock import end_of_day, local_time, long_date, short_date, start_of_day
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionOwner,
    DeadlineChange,
    DeadlineChangeStatus,
    Organisation,
    Recommendation,
    Role,
    Status,
    Update,
    User,
)
from tracker.models.board import BoardMeeting
from tracker.services import ServiceError, audit


def meetings(organisation: Organisation) -> list[BoardMeeting]:
    return list(
        db.session.scalars(
            select(BoardMeeting)
            .filter_by(organisation_id=organisation.id)
            .options(selectinload(BoardMeeting.created_by))
            .order_by(BoardMeeting.held_on.desc(), BoardMeeting.id.desc())
        )
    )


def last_meeting(organisation: Organisation, *, before: date | None = None) -> BoardMeeting | None:
    """The latest meeting held on or before `before` (default: any), or None."""
    statement = select(BoardMeeting).filter_by(organisation_id=organisation.id)
    if before is not None:
        statement = statement.where(BoardMeeting.held_on <= before)
    return db.session.scalar(statement.order_by(BoardMeeting.held_on.desc(), BoardMeeting.id.desc()).limit(1))


def previous_meeting(meeting: BoardMeeting) -> BoardMeeting | None:
    return db.session.scalar(
        select(BoardMeeting)
        .filter_by(organisation_id=meeting.organisation_id)
        .where(BoardMeeting.held_on < meeting.held_on)
        .order_by(BoardMeeting.held_on.desc(), BoardMeeting.id.desc())
        .limit(1)
    )


def meeting_in(organisation: Organisation, meeting_id: int) -> BoardMeeting | None:
    """The meeting, only if it belongs to `organisation` (so an id never crosses over)."""
    return db.session.scalar(select(BoardMeeting).filter_by(id=meeting_id, organisation_id=organisation.id))


def record_meeting(
    organisation: Organisation,
    *,
    held_on: date,
    attendees: str,
    notes: str,
    decisions: str,
    recorded_by: User,
    today: date,
) -> BoardMeeting:
    """Record a board meeting that has taken place, with who came and what was decided."""
    if held_on > today:
        raise ServiceError("A meeting can only be recorded once it has taken place: the date is in the future.")
    if db.session.scalar(select(BoardMeeting.id).filter_by(organisation_id=organisation.id, held_on=held_on)):
        raise ServiceError(f"A meeting on {long_date(held_on)} is already recorded.")
    # PostgreSQL refuses NUL characters in text; a pasted one would otherwise be a server error.
    attendees, notes, decisions = (value.replace("\x00", "").strip() for value in (attendees, notes, decisions))
    if not attendees:
        raise ServiceError("Enter who attended the meeting.")
    meeting = BoardMeeting(
        organisation_id=organisation.id,
        held_on=held_on,
        attendees=attendees,
        notes=notes,
        decisions=decisions,
        created_by_id=recorded_by.id,
    )
    db.session.add(meeting)
    db.session.flush()
    audit.record(
        "board_meeting.recorded",
        meeting,
        actor=recorded_by,
        organisation_id=organisation.id,
        after={"held_on": held_on.isoformat(), "attendees": attendees, "notes": notes, "decisions": decisions},
    )
    return meeting


# --- What changed between meetings -------------------------------------------------------


@dataclass(frozen=True)
class MeetingChanges:
    """What happened after one meeting day up to the end of another (or today).

    Updates posted on a meeting's own day count as before it: the board saw them.
    `awaiting_decision` and `awaiting_sign_off` are what stands *now*.
    """

    since: date | None
    until: date
    updates: list[Update]  # newest first
    new_actions: list[Action]
    deadline_requests: list[DeadlineChange]  # asked for in the window
    deadline_decisions: list[DeadlineChange]  # approved or refused in the window
    awaiting_decision: list[DeadlineChange]  # pending, oldest first
    awaiting_sign_off: list[Action]  # completed, not yet verified

    @property
    def status_changes(self) -> list[Update]:
        return [update for update in self.updates if update.status_before is not update.status_after]

    @property
    def verified(self) -> list[Update]:
        return [update for update in self.status_changes if update.status_after is Status.VERIFIED]

    @property
    def is_empty(self) -> bool:
        return not (self.updates or self.new_actions or self.deadline_requests or self.deadline_decisions)

    @cached_property
    def _by_action(self) -> dict[int, dict[str, list]]:
        index: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for action in self.new_actions:
            index[action.id]["new"].append(action)
        for update in reversed(self.updates):  # oldest first
            index[update.action_id]["updates"].append(update)
        for change in self.deadline_requests:
            index[change.action_id]["requests"].append(change)
        for change in self.deadline_decisions:
            index[change.action_id]["decisions"].append(change)
        return index

    def summary_for(self, action_id: int) -> str:
        """One line per action for the board pack: what changed since the last meeting."""
        found = self._by_action.get(action_id)
        if not found:
            return "No change"
        parts: list[str] = ["new action"] if found["new"] else []
        notes = 0
        for update in found["updates"]:
            if update.status_before is update.status_after:
                notes += 1
            else:
                parts.append(
                    f"{update.status_before.label} to {update.status_after.label.lower()} "
                    f"({short_date(local_time(update.created_at))})"
                )
        if notes:
            parts.append(f"{notes} progress update{'s' if notes != 1 else ''}")
        for change in found["requests"]:
            parts.append(f"more time asked for: to {short_date(change.requested_due_on)}")
        for change in found["decisions"]:
            parts.append(f"deadline change {change.status.value}")
        return "; ".join(parts) or "No change"


def changes_between(organisation: Organisation, since: date | None, until: date) -> MeetingChanges:
    """What changed for `organisation` after the day `since` (None: from the start) to the end of
    `until`. A fixed number of queries, whatever the number of changes."""
    start = start_of_day(since + timedelta(days=1)) if since is not None else None
    end = end_of_day(until)

    def window(column):
        return and_(column >= start, column < end) if start is not None else column < end

    action_options = (
        selectinload(Action.recommendation).selectinload(Recommendation.report),
        selectinload(Action.owners).selectinload(ActionOwner.role).selectinload(Role.holder),
    )
    updates = list(
        db.session.scalars(
            select(Update)
            .join(Action, Action.id == Update.action_id)
            .where(Action.organisation_id == organisation.id, window(Update.created_at))
            .options(
                selectinload(Update.action).options(*action_options),
                selectinload(Update.author),
                selectinload(Update.author_contact),
            )
            .order_by(Update.created_at.desc(), Update.id.desc())
        )
    )
    new_actions = list(
        db.session.scalars(
            select(Action)
            .where(Action.organisation_id == organisation.id, window(Action.created_at))
            .options(*action_options)
            .order_by(Action.created_at, Action.id)
        )
    )
    change_options = (
        selectinload(DeadlineChange.action).options(*action_options),
        selectinload(DeadlineChange.requested_by),
        selectinload(DeadlineChange.decided_by),
    )
    changes = list(
        db.session.scalars(
            select(DeadlineChange)
            .join(Action, Action.id == DeadlineChange.action_id)
            .where(
                Action.organisation_id == organisation.id,
                or_(
                    window(DeadlineChange.requested_at),
                    window(DeadlineChange.decided_at),
                    DeadlineChange.status == DeadlineChangeStatus.PENDING,
                ),
            )
            .options(*change_options)
            .order_by(DeadlineChange.requested_at, DeadlineChange.id)
        )
    )

    def in_window(moment: datetime | None) -> bool:
        return moment is not None and (start is None or moment >= start) and moment < end

    awaiting_sign_off = list(
        db.session.scalars(
            select(Action)
            .where(Action.organisation_id == organisation.id, Action.status == Status.COMPLETED)
            .options(*action_options)
            .order_by(Action.completed_at, Action.id)
        )
    )
    return MeetingChanges(
        since=since,
        until=until,
        updates=updates,
        new_actions=new_actions,
        deadline_requests=[change for change in changes if in_window(change.requested_at)],
        deadline_decisions=[change for change in changes if in_window(change.decided_at)],
        awaiting_decision=[change for change in changes if change.status is DeadlineChangeStatus.PENDING],
        awaiting_sign_off=awaiting_sign_off,
    )


# With no meeting recorded, "since the last meeting" looks back one quarter (boards meet about
# that often), not to the start: years of updates are neither readable nor quick to gather.
NO_MEETING_LOOKBACK = timedelta(days=92)


def changes_since_last_meeting(organisation: Organisation, today: date) -> tuple[BoardMeeting | None, MeetingChanges]:
    """For the next meeting: the last meeting held up to today, and everything after it (the last
    quarter, when no meeting has been recorded)."""
    meeting = last_meeting(organisation, before=today)
    since = meeting.held_on if meeting else today - NO_MEETING_LOOKBACK
    return meeting, changes_between(organisation, since, today)
