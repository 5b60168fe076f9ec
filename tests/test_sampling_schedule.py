"""Plan schedules: the period a run belongs to, the window it covers, time zones, DST."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from qa_app.services.reviews.goals import week_bounds
from qa_app.services.sampling.schedule import (
    ScheduleError,
    latest_occurrence,
    make_schedule,
    next_run,
    parse_weekdays,
)

MOSCOW_MONDAY_7 = datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # 07:00 in Moscow (+03:00)


def test_weekly_plan_runs_for_its_iso_week_and_covers_the_week_before():
    weekly = make_schedule("mon", "07:00", "Europe/Moscow")
    assert weekly.period == "week"
    wednesday = MOSCOW_MONDAY_7 + timedelta(days=2, hours=5)
    occ = latest_occurrence(weekly, wednesday)
    assert occ.at == MOSCOW_MONDAY_7
    assert occ.period_key == "2026-W11"
    assert (occ.window_start, occ.window_end) == (MOSCOW_MONDAY_7 - timedelta(days=7), occ.at)
    # one minute before Monday 07:00 the latest run is still last week's
    early = latest_occurrence(weekly, MOSCOW_MONDAY_7 - timedelta(minutes=1))
    assert early.period_key == "2026-W10"
    assert next_run(weekly, wednesday) == MOSCOW_MONDAY_7 + timedelta(days=7)


def test_weekday_plan_is_daily_and_monday_covers_the_weekend():
    daily = make_schedule("weekdays", "09:00", "UTC")
    assert daily.period == "day" and daily.weekdays == (0, 1, 2, 3, 4)
    monday = datetime(2026, 3, 9, 9, 30, tzinfo=UTC)
    occ = latest_occurrence(daily, monday)
    assert occ.period_key == "2026-03-09"
    assert occ.window_start == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)  # Friday 09:00
    saturday = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
    assert latest_occurrence(daily, saturday).period_key == "2026-03-13"
    assert next_run(daily, saturday) == datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


def test_local_time_follows_daylight_saving():
    london = make_schedule("mon", "07:00", "Europe/London")
    before = latest_occurrence(london, datetime(2026, 3, 24, tzinfo=UTC))  # Mon 23 March
    after = latest_occurrence(london, datetime(2026, 3, 31, tzinfo=UTC))  # Mon 30 March (BST)
    assert before.at.time() == time(7, 0)
    assert after.at.time() == time(6, 0)  # 07:00 BST is 06:00 UTC
    assert after.window_start == before.at


def test_goal_weeks_run_monday_to_monday_in_the_team_zone():
    start, end = week_bounds(datetime(2026, 3, 8, 22, 0, tzinfo=UTC), "Europe/Moscow")
    # Sunday 22:00 UTC is already Monday 01:00 in Moscow: the new week
    assert start == datetime(2026, 3, 8, 21, 0, tzinfo=UTC)
    assert end - start == timedelta(days=7)


@pytest.mark.parametrize(
    ("weekdays", "run_at", "zone", "field"),
    [
        ("funday", "07:00", "UTC", "weekdays"),
        ("", "07:00", "UTC", "weekdays"),
        ("mon", "7 am", "UTC", "run_at"),
        ("mon", "25:00", "UTC", "run_at"),
        ("mon", "07:00", "Mars/Olympus", "timezone"),
    ],
)
def test_bad_schedules_name_the_field(weekdays, run_at, zone, field):
    with pytest.raises(ScheduleError) as caught:
        make_schedule(weekdays, run_at, zone)
    assert caught.value.field == field


def test_weekdays_accept_names_numbers_and_lists():
    assert parse_weekdays("mon,thu") == (0, 3)
    assert parse_weekdays([4, "monday", 4]) == (0, 4)
