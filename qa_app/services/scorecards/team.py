"""The team dashboard: one row per agent with a small-sample-aware score, for leads.

Ranking by raw means puts the agent with two lucky reviews on top. Each agent's mean is
shrunk toward the team mean by empirical Bayes (``scoring.stats.shrink_agent_means``);
agents below the minimum number of reviews are listed but marked "too few reviews to
rank". That minimum is computed, not chosen: the fewest reviews whose mean reaches a
reliability of 0.7 given how much agents really differ and how noisy single reviews
are, and never fewer than 5 (docs/statistics.md §4, docs/scorecards.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.services.scorecards import figures
from qa_app.services.scorecards.access import team_ids_for
from qa_app.services.scorecards.frames import (
    conversation_counts,
    grade_counts,
    response_times,
    review_frame,
)
from qa_app.services.scorecards.lookups import agent_directory
from qa_app.services.scorecards.period import Period, Scope
from qa_app.services.scorecards.purged import purged_weeks
from qa_app.services.scorecards.scorecard import criterion_names, rubric_lookup
from qa_app.storage.models import AssignmentPlan, User
from scoring.stats import (
    Estimate,
    compare_means,
    correct_for_severity,
    reviewer_severity,
    shrink_agent_means,
)

ROW_COLUMNS = [
    "agent_id", "name", "login", "team", "n", "raw", "shrunk", "low", "high", "rankable",
    "rank", "trend", "trend_change", "conversations", "coverage", "quota", "quota_met",
    "outlier",
]  # fmt: skip


@dataclass(frozen=True)
class TeamFilters:
    period: Period
    team_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    corrected: bool = False  # scores corrected for reviewer severity


@dataclass
class TeamDashboard:
    filters: TeamFilters
    today: date
    rows: pd.DataFrame
    team_mean: Estimate
    min_reviews_to_rank: int | None
    between_sd: float
    within_sd: float
    heat: pd.DataFrame  # agent name x criterion id, mean 0-100
    heat_n: pd.DataFrame
    severity: pd.DataFrame
    trend: pd.DataFrame
    waits: pd.DataFrame
    quota_per_week: int | None
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Weeks a retention purge deleted, from their kept counts (``purged.purged_weeks``).
    purged: pd.DataFrame = field(default_factory=pd.DataFrame)


def score_arrays(reviews: pd.DataFrame) -> dict[int, np.ndarray]:
    """{agent id: float array of scores}: what ``shrink_agent_means`` checks fastest (a
    numeric array is validated in one step, a list value by value)."""
    return {int(k): g.to_numpy(dtype=float) for k, g in reviews.groupby("agent_id")["score"]}


def _severity(reviews: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    table = reviews.sort_values("review_id").drop_duplicates(
        ["conversation_id", "reviewer_id"], keep="last"
    )
    if table["conversation_id"].duplicated().sum() == 0:
        return {}, pd.DataFrame(columns=["reviewer_id", "offset", "low", "high", "n"])
    found = reviewer_severity(table, reviewer="reviewer_id")
    rows = [
        {"reviewer_id": k, "offset": e.estimate, "low": e.low, "high": e.high, "n": e.n}
        for k, e in found.items()
    ]
    return found, pd.DataFrame(rows).sort_values("offset").reset_index(drop=True)


def _usernames(session: Session) -> dict[int, str]:
    return dict(session.execute(select(User.id, User.username)).all())


def _quota(session: Session) -> int | None:
    """Reviews per agent a week that active recurring plans ask for (the largest)."""
    return session.scalar(
        select(func.max(AssignmentPlan.quota_per_agent)).where(AssignmentPlan.is_active.is_(True))
    )


def _conversation_counts(session: Session, period: Period, scope: Scope) -> pd.Series:
    frame = conversation_counts(session, period, scope)
    return pd.Series(dict(zip(frame["agent_id"], frame["n"], strict=True)), dtype="int64")


def _trend_arrows(now_reviews: pd.DataFrame, before: pd.DataFrame) -> dict[int, tuple[str, float]]:
    """Per agent: "up"/"down" only when the change from the previous period is clear
    (Welch interval excludes 0), else "flat"; with the change in points."""
    arrows = {}
    for agent_id, group in now_reviews.groupby("agent_id"):
        earlier = before.loc[before["agent_id"] == agent_id, "score"].to_numpy()
        comparison = compare_means(earlier, group["score"].to_numpy())
        verdict = comparison.verdict.value
        arrow = {"improved": "up", "worsened": "down"}.get(verdict, "flat")
        arrows[int(agent_id)] = (arrow, comparison.difference.estimate)
    return arrows


def _heat(counts: pd.DataFrame, lookup, names: dict[int, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if counts.empty:
        return pd.DataFrame(), pd.DataFrame()
    position = {}
    for (version, criterion_id, value) in counts[
        ["rubric_version_id", "criterion_id", "value"]
    ].drop_duplicates().itertuples(index=False):  # fmt: skip
        rubric = lookup.get(int(version))
        if rubric is not None and criterion_id in rubric.criterion_ids():
            position[(version, criterion_id, value)] = rubric.criterion(criterion_id).scale.position(value)  # fmt: skip
    keys = list(zip(counts["rubric_version_id"], counts["criterion_id"], counts["value"],
                    strict=True))  # fmt: skip
    frame = counts.assign(points=[position.get(k, np.nan) for k in keys]).dropna(subset=["points"])
    frame = frame.assign(total=frame["points"] * frame["n"], agent=frame["agent_id"].map(names))
    grouped = frame.groupby(["agent", "criterion_id"])[["total", "n"]].sum()
    means = (grouped["total"] / grouped["n"]).unstack("criterion_id")
    return means, grouped["n"].unstack("criterion_id").fillna(0).astype(int)


def _waits(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """Median first response (minutes) and n per weekday (0 = Monday) and hour, UTC; only
    the two columns it needs are read, so 100,000 conversations stay quick."""
    frame = response_times(session, period, scope)
    if frame.empty:
        return pd.DataFrame(columns=["weekday", "hour", "median_minutes", "n"])
    grouped = frame.groupby(["weekday", "hour"])["frt"]
    return pd.DataFrame(
        {"median_minutes": grouped.median() / 60, "n": grouped.size()}
    ).reset_index()


def build_team_dashboard(
    session: Session, actor: Actor, filters: TeamFilters, *, now: datetime | None = None
) -> TeamDashboard:
    """Every agent of the teams ``actor`` leads, ranked by the shrunk score."""
    teams = team_ids_for(actor, filters.team_ids)
    scope = Scope(team_ids=teams, channels=filters.channels, languages=filters.languages)
    today, period = utc_now(now).date(), filters.period
    everything = review_frame(session, period, scope)
    found, severity = _severity(everything)
    severity.insert(1, "reviewer", severity["reviewer_id"].map(_usernames(session)))
    reviews = everything[~everything["calibration"]]
    before = review_frame(session, period.previous(), scope)
    before = before[~before["calibration"]]
    if filters.corrected and found:
        reviews = correct_for_severity(reviews, found, reviewer="reviewer_id").assign(
            score=lambda f: f["score_corrected"]
        )
        before = correct_for_severity(before, found, reviewer="reviewer_id").assign(
            score=lambda f: f["score_corrected"]
        )
    directory = agent_directory(session)
    if teams:
        directory = directory[directory["team_id"].isin(teams)]
    names = {int(r.agent_id): r.name or r.login for r in directory.itertuples()}
    counts = grade_counts(session, period, scope)
    lookup = rubric_lookup(session, counts["rubric_version_id"].tolist())
    heat, heat_n = _heat(counts, lookup, names)
    quota = _quota(session)
    rows, shrinkage = _rows(reviews, before, directory, session, period, scope, quota)
    return TeamDashboard(
        filters=filters, today=today, rows=rows, team_mean=shrinkage[0],
        min_reviews_to_rank=shrinkage[1], between_sd=shrinkage[2], within_sd=shrinkage[3],
        heat=heat, heat_n=heat_n, severity=severity,
        trend=figures.trend(reviews, period.start, period.end, today),
        waits=_waits(session, period, scope), quota_per_week=quota, names=criterion_names(lookup),
        purged=purged_weeks(session, period, scope),
    )  # fmt: skip


def _rows(reviews, before, directory, session, period, scope, quota):
    conversations = _conversation_counts(session, period, scope)
    weeks = period.days / 7.0
    shrunk = shrink_agent_means(score_arrays(reviews)) if len(reviews) else None
    arrows = _trend_arrows(reviews, before)
    rows = []
    for r in directory.itertuples():
        a = shrunk.agents.get(r.agent_id) if shrunk else None
        n = a.raw.n if a else 0
        talks = int(conversations.get(r.agent_id, 0))
        arrow, change = arrows.get(int(r.agent_id), ("flat", math.nan))
        rows.append({
            "agent_id": int(r.agent_id), "name": r.name or r.login, "login": r.login,
            "team": r.team or "", "n": n, "raw": a.raw.estimate if a else math.nan,
            "shrunk": a.shrunk.estimate if a else math.nan,
            "low": a.shrunk.low if a else math.nan, "high": a.shrunk.high if a else math.nan,
            "rankable": bool(a.rankable) if a else False, "trend": arrow,
            "trend_change": change, "conversations": talks,
            "coverage": n / talks if talks else math.nan,
            "quota": quota * weeks if quota else math.nan,
            "quota_met": (n >= quota * weeks) if quota else None,
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=[c for c in ROW_COLUMNS if c not in ("rank", "outlier")])
    team = shrunk.team_mean if shrunk else Estimate.undefined(0, "none")
    frame["outlier"] = [
        ("above" if lo > team.estimate else "below" if hi < team.estimate else "")
        if ok and team.defined else ""
        for lo, hi, ok in zip(frame["low"], frame["high"], frame["rankable"], strict=True)
    ]  # fmt: skip
    ranked = frame[frame["rankable"]].sort_values("shrunk", ascending=False)
    frame["rank"] = frame["agent_id"].map(
        {a: i + 1 for i, a in enumerate(ranked["agent_id"])}
    ).astype("Int64")  # fmt: skip
    frame = frame.sort_values(["rankable", "shrunk"], ascending=[False, False], na_position="last")
    summary = (team, shrunk.min_reviews_to_rank if shrunk else None,
               shrunk.between_sd if shrunk else math.nan,
               shrunk.within_sd if shrunk else math.nan)  # fmt: skip
    return frame[ROW_COLUMNS].reset_index(drop=True), summary
