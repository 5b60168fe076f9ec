"""Weekly trend of review scores: one row per ISO week with mean, interval and a flag for
weeks that are not over yet (or began before the period), so a half-finished week is never
read as a drop. The clock is always injected (``period_end``), never read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from scoring.stats.estimate import SCORE_BOUNDS, clean_values
from scoring.stats.means import DEFAULT_PRIOR_DF, DEFAULT_PRIOR_SD, mean_interval

__all__ = ["TREND_COLUMNS", "iso_week_label", "weekly_trend"]

TREND_COLUMNS = ["week", "week_start", "week_end", "n", "mean", "low", "high", "partial"]


def iso_week_label(day: dt.date) -> str:
    """'2026-W09': ISO 8601 year and week, so 29 Dec 2025 belongs to 2026-W01."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _as_date(value: Any, position: int) -> dt.date:
    """The calendar date as written: an aware datetime keeps its own local date."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        raise ValueError(f"date at row {position} is missing")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            raise ValueError(f"date at row {position} is {value!r}, not an ISO date") from None
    raise ValueError(f"date at row {position} is {value!r}, not a date")


def _dated_scores(frame: pd.DataFrame, date_column: str, score_column: str) -> pd.DataFrame:
    missing = [c for c in (date_column, score_column) if c not in frame.columns]
    if missing:
        raise ValueError(f"the table has no column {missing[0]!r}")
    clean_values(frame[score_column].to_numpy(), bounds=SCORE_BOUNDS)  # names the bad row
    scored = frame[frame[score_column].notna()]
    scores = scored[score_column].astype(float).to_numpy()
    stamps = scored[date_column]
    if pd.api.types.is_datetime64_any_dtype(stamps) and not stamps.isna().any():
        # timestamps (naive or aware, each keeps its own calendar date): in array steps
        midnight = stamps.dt.normalize()
        monday = midnight - pd.to_timedelta(midnight.dt.day_of_week, unit="D")
        return pd.DataFrame({"day": midnight.dt.date.to_numpy(),
                             "week_start": monday.dt.date.to_numpy(), "score": scores})  # fmt: skip
    days = [_as_date(v, i) for i, v in zip(scored.index, stamps, strict=True)]
    monday = [d - dt.timedelta(days=d.weekday()) for d in days]
    return pd.DataFrame({"day": days, "week_start": monday, "score": scores})


def _day(value: dt.date | None) -> dt.date | None:
    """A datetime given as a period bound counts as its calendar date."""
    return value.date() if isinstance(value, dt.datetime) else value


def _check_period(days: pd.Series, start: dt.date | None, end: dt.date) -> None:
    if start is not None and start > end:
        raise ValueError(f"the period starts ({start}) after it ends ({end})")
    late = days[days > end]
    if len(late):
        raise ValueError(
            f"{len(late)} score(s) dated after the period end {end} (first: {min(late)})"
        )
    if start is not None:
        early = days[days < start]
        if len(early):
            raise ValueError(
                f"{len(early)} score(s) dated before the period start {start} (first: {min(early)})"
            )


def weekly_trend(
    frame: pd.DataFrame,
    *,
    period_end: dt.date,
    period_start: dt.date | None = None,
    date_column: str = "date",
    score_column: str = "score",
    level: float = 0.95,
    prior_sd: float = DEFAULT_PRIOR_SD,
    prior_df: float = DEFAULT_PRIOR_DF,
) -> pd.DataFrame:
    """Per ISO week (Monday-Sunday): n, mean and interval (``mean_interval``), ``partial``.

    Weeks run from the first scored week (or ``period_start``'s) to ``period_end``'s; weeks
    without reviews appear with n = 0 and NaN, so a chart shows a gap, not a line across it.
    ``partial`` is True for a week that ends after ``period_end`` (still running) or starts
    before ``period_start``. Rows without a score are skipped; dates outside the period,
    missing or unreadable dates raise ValueError naming the row.
    """
    period_end, period_start = _day(period_end), _day(period_start)
    data = _dated_scores(frame, date_column, score_column)
    _check_period(data["day"], period_start, period_end)
    first = period_start if period_start is not None else (data["day"].min() if len(data) else None)
    if first is None:
        return pd.DataFrame(columns=TREND_COLUMNS)
    start = first - dt.timedelta(days=first.weekday())
    weeks = pd.date_range(start, period_end, freq="7D").date
    grouped = {k: g["score"].to_numpy() for k, g in data.groupby("week_start")}
    rows = []
    for monday in weeks:
        e = mean_interval(
            grouped.get(monday, []), level=level, prior_sd=prior_sd, prior_df=prior_df
        )
        sunday = monday + dt.timedelta(days=6)
        partial = sunday > period_end or (period_start is not None and monday < period_start)
        rows.append(
            [iso_week_label(monday), monday, sunday, e.n, e.estimate, e.low, e.high, partial]
        )
    return pd.DataFrame(rows, columns=TREND_COLUMNS)
