"""Weekly trend: ISO weeks, gaps, partial weeks against an injected period end."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from scoring.stats import mean_interval, weekly_trend
from scoring.stats.trend import TREND_COLUMNS, iso_week_label

FRAME = pd.DataFrame(
    {
        # Monday and Tuesday of 2026-W10, nothing in W11, Monday and Wednesday of W12
        "date": ["2026-03-02", "2026-03-03", "2026-03-16", "2026-03-18"],
        "score": [80, 90, 70, None],
    }
)


def test_weeks_by_hand() -> None:
    trend = weekly_trend(FRAME, period_end=dt.date(2026, 3, 18))
    assert list(trend.columns) == TREND_COLUMNS
    assert list(trend["week"]) == ["2026-W10", "2026-W11", "2026-W12"]
    assert list(trend["week_start"]) == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
    ]
    assert list(trend["week_end"])[-1] == dt.date(2026, 3, 22)
    assert list(trend["n"]) == [2, 0, 1]  # the unscored row on the 18th is not counted
    assert trend["mean"][0] == 85 and math.isnan(trend["mean"][1]) and trend["mean"][2] == 70
    expected = mean_interval([80, 90])
    assert (trend["low"][0], trend["high"][0]) == pytest.approx((expected.low, expected.high))
    # the period ends on Wednesday 18 March, so W12 is still running
    assert list(trend["partial"]) == [False, False, True]


def test_a_week_ending_on_the_period_end_is_complete() -> None:
    trend = weekly_trend(FRAME, period_end=dt.date(2026, 3, 22))
    assert not trend["partial"].any()


def test_period_start_mid_week_marks_the_first_week_partial_and_adds_empty_weeks() -> None:
    frame = FRAME.iloc[2:]
    trend = weekly_trend(frame, period_start=dt.date(2026, 3, 4), period_end=dt.date(2026, 3, 29))
    assert list(trend["week"]) == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    assert list(trend["partial"]) == [True, False, False, False]
    assert list(trend["n"]) == [0, 0, 1, 0]


def test_iso_weeks_across_the_new_year() -> None:
    assert iso_week_label(dt.date(2025, 12, 29)) == "2026-W01"
    assert iso_week_label(dt.date(2027, 1, 1)) == "2026-W53"
    frame = pd.DataFrame({"date": ["2025-12-31", "2026-01-05"], "score": [60, 70]})
    trend = weekly_trend(frame, period_end=dt.date(2026, 1, 11))
    assert list(trend["week"]) == ["2026-W01", "2026-W02"]


def test_an_aware_timestamp_keeps_its_own_local_date() -> None:
    # Sunday 23:30 in New York is Monday in UTC; the agent's week is the local one
    frame = pd.DataFrame({"date": ["2026-03-08T23:30:00-05:00"], "score": [75]})
    trend = weekly_trend(frame, period_end=dt.date(2026, 3, 8))
    assert list(trend["week"]) == ["2026-W10"]


def test_accepts_datetime_columns_and_own_column_names() -> None:
    frame = pd.DataFrame(
        {"when": pd.to_datetime(["2026-03-02 10:00", "2026-03-04 12:00"]), "overall": [50.0, 70.0]}
    )
    trend = weekly_trend(
        frame, period_end=dt.date(2026, 3, 8), date_column="when", score_column="overall"
    )
    assert list(trend["n"]) == [2] and trend["mean"][0] == 60
    dates = pd.DataFrame(
        {"date": [dt.date(2026, 3, 2), dt.datetime(2026, 3, 3, 9)], "score": [1, 3]}
    )
    assert weekly_trend(dates, period_end=dt.date(2026, 3, 8))["mean"][0] == 2


def test_empty_frames() -> None:
    empty = pd.DataFrame({"date": [], "score": []})
    trend = weekly_trend(empty, period_end=dt.date(2026, 3, 8))
    assert trend.empty and list(trend.columns) == TREND_COLUMNS
    with_period = weekly_trend(
        empty, period_start=dt.date(2026, 3, 2), period_end=dt.date(2026, 3, 15)
    )
    assert list(with_period["n"]) == [0, 0]
    only_unscored = pd.DataFrame({"date": ["2026-03-02"], "score": [None]})
    assert weekly_trend(only_unscored, period_end=dt.date(2026, 3, 8)).empty


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (
            FRAME,
            {"period_end": dt.date(2026, 3, 10)},
            "1 score\\(s\\) dated after the period end 2026-03-10 \\(first: 2026-03-16\\)",
        ),
        (
            FRAME,
            {"period_end": dt.date(2026, 3, 30), "period_start": dt.date(2026, 3, 3)},
            "1 score\\(s\\) dated before the period start 2026-03-03",
        ),
        (
            FRAME,
            {"period_end": dt.date(2026, 3, 1), "period_start": dt.date(2026, 3, 3)},
            "starts \\(2026-03-03\\) after it ends",
        ),
        (
            pd.DataFrame({"date": ["2026-03-02", None], "score": [1, 2]}),
            {"period_end": dt.date(2026, 3, 8)},
            "date at row 1 is missing",
        ),
        (
            pd.DataFrame({"date": ["2 March"], "score": [1]}),
            {"period_end": dt.date(2026, 3, 8)},
            "date at row 0 is '2 March', not an ISO date",
        ),
        (
            pd.DataFrame({"date": ["2026-03-02"], "score": [101]}),
            {"period_end": dt.date(2026, 3, 8)},
            "outside 0-100",
        ),
        (
            pd.DataFrame({"day": ["2026-03-02"], "score": [1]}),
            {"period_end": dt.date(2026, 3, 8)},
            "no column 'date'",
        ),
    ],
)
def test_bad_input_is_refused_with_a_reason(frame, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        weekly_trend(frame, **kwargs)


def test_period_end_may_be_a_datetime() -> None:
    trend = weekly_trend(FRAME, period_end=dt.datetime(2026, 3, 18, 17, 45))
    assert list(trend["partial"]) == [False, False, True]


def test_missing_datetime_is_refused() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", None]), "score": [1, 2]})
    with pytest.raises(ValueError, match="date at row 1 is missing"):
        weekly_trend(frame, period_end=dt.date(2026, 3, 8))
