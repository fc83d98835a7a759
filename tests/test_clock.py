from datetime import date

from tracker import clock


def test_today_is_the_date_in_the_service_time_zone(app, travel):
    travel("2026-07-01T23:30:00")  # UTC: already 2 July in London (BST)
    assert clock.today() == date(2026, 7, 2)


def test_tracker_today_fixes_the_date_whatever_the_time(app, travel, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", date(2026, 6, 15))
    travel("2026-07-01T23:30:00")
    assert clock.today() == date(2026, 6, 15)
    travel("2030-01-01")
    assert clock.today() == date(2026, 6, 15)
