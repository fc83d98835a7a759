"""The reminder policy is a pure function: dates and facts in, the reminders that apply out."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.models import Status
from tracker.services.reminders.policy import (
    DEFAULT_POLICY,
    ActionFacts,
    Audience,
    DueReminder,
    Policy,
    digest_day,
    reminder_due,
    reminders_due,
)

DUE = date(2026, 6, 30)


def facts(status=Status.NOT_STARTED, due_on=DUE, last_activity_on=date(2026, 1, 1)) -> ActionFacts:
    return ActionFacts(due_on=due_on, status=status, last_activity_on=last_activity_on)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 31), None),  # more than 90 days before
        (date(2026, 4, 1), DueReminder("before_90", date(2026, 4, 1))),
        (date(2026, 5, 15), DueReminder("before_90", date(2026, 4, 1))),  # still the latest that applies
        (date(2026, 5, 31), DueReminder("before_30", date(2026, 5, 31))),
        (date(2026, 6, 16), DueReminder("before_14", date(2026, 6, 16))),
        (date(2026, 6, 23), DueReminder("before_7", date(2026, 6, 23))),
        (date(2026, 6, 29), DueReminder("before_1", date(2026, 6, 29))),
        (date(2026, 6, 30), DueReminder("due_today", date(2026, 6, 30))),
        (date(2026, 7, 6), DueReminder("due_today", date(2026, 6, 30))),
        (date(2026, 7, 7), DueReminder("overdue", date(2026, 7, 7))),
        (date(2026, 7, 20), DueReminder("overdue", date(2026, 7, 14))),
    ],
)
def test_the_latest_deadline_reminder_that_applies(today, expected):
    assert reminder_due(DUE, today) == expected


def test_after_missed_days_only_the_latest_reminder_applies():
    # The runs for 30 and 14 days before were missed: on day -7 only the 7-day one applies,
    # and a month overdue it is the latest weekly one plus the escalation, nothing older.
    assert reminders_due(facts(), date(2026, 6, 23)) == [DueReminder("before_7", date(2026, 6, 23))]
    assert reminders_due(facts(), date(2026, 7, 30)) == [
        DueReminder("overdue", date(2026, 7, 28)),
        DueReminder("escalation", date(2026, 7, 28), Audience.BOARD_CHAIR),
    ]


def test_escalation_goes_once_per_deadline_after_the_configured_days():
    assert all(r.kind != "escalation" for r in reminders_due(facts(), date(2026, 7, 27)))
    escalations = {
        r for day in range(28, 120) for r in reminders_due(facts(), DUE + timedelta(days=day)) if r.kind == "escalation"
    }
    assert escalations == {DueReminder("escalation", date(2026, 7, 28), Audience.BOARD_CHAIR)}


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.VERIFIED, Status.WITHDRAWN])
def test_nothing_applies_to_closed_actions(status):
    for day in range(-100, 100):
        assert reminders_due(facts(status), DUE + timedelta(days=day)) == []


def test_a_nudge_when_an_action_in_progress_goes_quiet():
    quiet_since = date(2026, 1, 10)
    in_progress = facts(Status.IN_PROGRESS, last_activity_on=quiet_since)
    kinds = lambda today: [r.kind for r in reminders_due(in_progress, today)]  # noqa: E731
    assert "nudge" not in kinds(quiet_since + timedelta(days=59))
    assert reminders_due(in_progress, quiet_since + timedelta(days=60)) == [
        DueReminder("nudge", quiet_since + timedelta(days=60))
    ]
    # Still the same nudge a day later; a new one after another 60 quiet days.
    assert [r for r in reminders_due(in_progress, quiet_since + timedelta(days=61)) if r.kind == "nudge"] == [
        DueReminder("nudge", quiet_since + timedelta(days=60))
    ]
    assert [r for r in reminders_due(in_progress, quiet_since + timedelta(days=120)) if r.kind == "nudge"] == [
        DueReminder("nudge", quiet_since + timedelta(days=120))
    ]
    # Not for actions not started, and not once overdue (the overdue reminders chase those).
    assert "nudge" not in [
        r.kind
        for r in reminders_due(
            facts(Status.NOT_STARTED, last_activity_on=quiet_since), quiet_since + timedelta(days=60)
        )
    ]
    assert "nudge" not in kinds(DUE + timedelta(days=1))


def test_a_changed_deadline_changes_what_is_due_next():
    before = reminders_due(facts(due_on=DUE), date(2026, 6, 24))
    after = reminders_due(facts(due_on=date(2026, 9, 30)), date(2026, 6, 24))
    assert before == [DueReminder("before_7", date(2026, 6, 23))] and after == []
    assert reminders_due(facts(due_on=date(2026, 9, 30)), date(2026, 7, 2)) == [
        DueReminder("before_90", date(2026, 7, 2))
    ]


def test_an_organisations_own_policy():
    policy = Policy(
        days_before=(10, 3),
        remind_on_due_day=False,
        overdue_every_days=0,
        escalate_after_days_overdue=0,
        nudge_after_days_without_update=0,
    )
    assert reminder_due(DUE, date(2026, 6, 19), policy) is None
    assert reminder_due(DUE, date(2026, 6, 20), policy) == DueReminder("before_10", date(2026, 6, 20))
    assert reminder_due(DUE, date(2026, 6, 27), policy) == DueReminder("before_3", date(2026, 6, 27))
    # No reminder on the day and none while overdue: the 3-day one stays the latest.
    assert reminders_due(facts(Status.IN_PROGRESS), date(2026, 12, 1), policy) == [
        DueReminder("before_3", date(2026, 6, 27))
    ]


def test_the_weekly_digest_belongs_to_the_latest_chosen_weekday():
    monday = date(2026, 6, 22)
    assert [digest_day(monday + timedelta(days=n), 0) for n in range(8)] == [monday] * 7 + [monday + timedelta(days=7)]
    assert digest_day(monday, 4) == date(2026, 6, 19)  # a Friday digest, seen on Monday


@given(
    due_offset=st.integers(-400, 400),
    policy_days=st.sets(st.integers(1, 120), max_size=6),
    on_the_day=st.booleans(),
    every=st.integers(0, 14),
    escalate=st.integers(0, 60),
    status=st.sampled_from(list(Status)),
)
def test_running_every_day_sends_each_reminder_of_the_policy_exactly_once_on_its_day(
    due_offset, policy_days, on_the_day, every, escalate, status
):
    """Simulate a daily run over 500 days: each distinct reminder first applies on its target date."""
    policy = Policy(
        days_before=tuple(sorted(policy_days, reverse=True)),
        remind_on_due_day=on_the_day,
        overdue_every_days=every,
        escalate_after_days_overdue=escalate,
        nudge_after_days_without_update=0,
    )
    start = date(2026, 1, 1)
    due_on = start + timedelta(days=due_offset)
    first_seen: dict[DueReminder, date] = {}
    for day in (start + timedelta(days=n) for n in range(500)):
        for reminder in reminders_due(facts(status, due_on=due_on), day, policy):
            first_seen.setdefault(reminder, day)
    if status.is_closed:
        assert first_seen == {}
        return
    # Each reminder first applies on its own day (never late, never early), except the ones whose
    # day fell before the first run: only the latest of those goes, on the first day.
    late = [reminder for reminder, day in first_seen.items() if day != reminder.target_date]
    assert all(first_seen[reminder] == start and reminder.target_date < start for reminder in late)
    assert len([r for r in late if r.audience is Audience.OWNERS]) <= 1
    expected_days = {due_on - timedelta(days=n) for n in policy_days}
    if on_the_day:
        expected_days.add(due_on)
    end = start + timedelta(days=499)
    if every:
        expected_days.update(
            due_on + timedelta(days=k * every) for k in range(1, 1000) if due_on + timedelta(days=k * every) <= end
        )
    sent_days = {r.target_date for r in first_seen if r.audience is Audience.OWNERS}
    assert {d for d in expected_days if start <= d <= end} <= sent_days
    assert sent_days - {d for d in expected_days if d >= start} == {
        r.target_date for r in late if r.audience is Audience.OWNERS
    }


def test_the_default_policy_is_the_one_in_the_design():
    assert (
        Policy(
            days_before=(90, 30, 14, 7, 1),
            remind_on_due_day=True,
            overdue_every_days=7,
            escalate_after_days_overdue=28,
            nudge_after_days_without_update=60,
        )
        == DEFAULT_POLICY
    )
