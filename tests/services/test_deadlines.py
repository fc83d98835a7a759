from datetime import date

import pytest

from tracker.services.deadlines import add_months, deadline_for


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 6, 1), -10, date(2024, 8, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_a_day_precise_date_gives_publication_plus_twelve_months():
    assert deadline_for(date(2013, 2, 13), month_only=False) == date(2014, 2, 13)


def test_a_month_only_date_runs_from_the_end_of_that_month():
    """ "December 2018" could mean 31 December, so the deadline is never earlier than allowed."""
    assert deadline_for(date(2018, 12, 1), month_only=True) == date(2019, 12, 31)
    assert deadline_for(date(2016, 2, 1), month_only=True) == date(2017, 2, 28)


def test_a_stated_period_replaces_the_default():
    assert deadline_for(date(2025, 3, 10), month_only=False, months=3) == date(2025, 6, 10)
    assert deadline_for(date(2025, 3, 10), month_only=False, months=0) == date(2025, 3, 10)
