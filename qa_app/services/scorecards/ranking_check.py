"""Does ranking by the shrunk score recover agents' known quality better than the raw mean?

On data whose true quality is known (the demo's personas), compare Spearman's rank
correlation with the truth for the raw means and the shrunk scores: once with every review,
and over many random months of QA sampling in which review counts differ between agents as
they do on real teams. With every review every demo agent has about 35, and shrinkage
toward one team mean with equal n cannot change the order, so that line alone says nothing.

The sampling design of a drawn month (docs/statistics.md, §9 "Demo personas"): QA reviews
``quota`` conversations of a full-time agent a month (3 a week); each agent other than a
new hire works part time with probability ``part_time_share`` (40% of the volume, so 40% of
the reviews); a new hire joined half-way through the month (50%). The count is Poisson
around that, at least one, at most the reviews the agent has; the reviews are drawn from
the agent's own without replacement.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats
from sqlalchemy.orm import Session

from qa_app.services.scorecards.frames import review_frame
from qa_app.services.scorecards.lookups import agent_directory, data_days
from qa_app.services.scorecards.period import Period
from qa_app.services.scorecards.team import score_arrays
from qa_app.storage.uow import UnitOfWork
from scoring.stats import shrink_agent_means

#: Reviews a month of a full-time agent; share of part-timers and their workload; a new
#: hire's share of the month.
QUOTA = 12
PART_TIME_SHARE = 0.25
PART_TIME_LOAD = 0.4
NEW_HIRE_LOAD = 0.5


@dataclass(frozen=True)
class MeanWithInterval:
    """Mean over the draws with its 95% t interval."""

    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, values: np.ndarray) -> MeanWithInterval:
        mean = float(values.mean())
        if values.size < 2:
            return cls(mean, float("nan"), float("nan"))
        half = float(stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / values.size**0.5)
        return cls(mean, mean - half, mean + half)


@dataclass(frozen=True)
class RankingCheck:
    agents: int
    reviews: int
    raw_all: float
    shrunk_all: float
    draws: int
    counts_low: int  # the 10th and 90th percentile of the drawn review counts per agent
    counts_high: int
    raw_drawn: MeanWithInterval
    shrunk_drawn: MeanWithInterval
    pooled_drawn: MeanWithInterval  # shrunk with one pooled within-agent variance
    difference: MeanWithInterval  # shrunk minus raw, draw by draw
    shrunk_better_share: float  # share of draws where shrunk beats raw (ties count half)


def _spearman(truth: list[float], ranking: list[float]) -> float:
    if len(set(ranking)) < 2:
        return 0.0
    return float(stats.spearmanr(truth, ranking).statistic)


def _spearmans(groups: Mapping[int, np.ndarray], truth: Mapping[int, float]) -> list[float]:
    """Spearman with the truth of raw, shrunk and pooled-variance shrunk means."""
    agent = shrink_agent_means(groups)
    pooled = shrink_agent_means(groups, variance="pooled")
    keys = [k for k in agent.agents if k in truth]
    real = [truth[k] for k in keys]
    return [
        _spearman(real, [agent.agents[k].raw.estimate for k in keys]),
        _spearman(real, [agent.agents[k].shrunk.estimate for k in keys]),
        _spearman(real, [pooled.agents[k].shrunk.estimate for k in keys]),
    ]


def draw_counts(
    rng: np.random.Generator, available: Mapping[int, int], new_hires: Collection[int]
) -> dict[int, int]:
    """One month's review counts per agent under the sampling design of the module doc."""
    counts = {}
    for agent, total in available.items():
        if agent in new_hires:
            load = NEW_HIRE_LOAD
        else:
            load = PART_TIME_LOAD if rng.random() < PART_TIME_SHARE else 1.0
        counts[agent] = int(min(total, max(1, rng.poisson(QUOTA * load))))
    return counts


def check_ranking(
    session: Session, truth_by_login: Mapping[str, float], period: Period | None = None, *,
    draws: int = 300, seed: int = 0, new_hire_logins: Collection[str] = (),
) -> RankingCheck:  # fmt: skip
    """Spearman with the truth, raw vs shrunk, on all reviews and on drawn months."""
    if period is None:
        first, last = data_days(session)
        if first is None:
            raise ValueError("no conversations loaded: run qa-studio demo first")
        period = Period(first, last)
    directory = agent_directory(session)
    truth = {int(r.agent_id): float(truth_by_login[r.login]) for r in directory.itertuples()
             if r.login in truth_by_login}  # fmt: skip
    new_hires = {int(r.agent_id) for r in directory.itertuples() if r.login in new_hire_logins}
    reviews = review_frame(session, period)
    reviews = reviews[~reviews["calibration"] & reviews["agent_id"].isin(list(truth))]
    if reviews["agent_id"].nunique() < 3:
        raise ValueError("fewer than three agents with known quality have reviews")
    groups = score_arrays(reviews)
    raw_all, shrunk_all, _ = _spearmans(groups, truth)
    rng = np.random.default_rng(seed)
    figures, drawn = [], []
    for _ in range(draws):
        counts = draw_counts(rng, {k: v.size for k, v in groups.items()}, new_hires)
        sample = {k: rng.choice(v, counts[k], replace=False) for k, v in groups.items()}
        figures.append(_spearmans(sample, truth))
        drawn.extend(counts.values())
    raw, shrunk, pooled = np.array(figures).T
    better = float(np.mean((shrunk > raw) + 0.5 * (shrunk == raw)))
    low, high = np.percentile(drawn, [10, 90])
    return RankingCheck(
        len(groups), len(reviews), raw_all, shrunk_all, draws, int(low), int(high),
        MeanWithInterval.of(raw), MeanWithInterval.of(shrunk), MeanWithInterval.of(pooled),
        MeanWithInterval.of(shrunk - raw), better,
    )  # fmt: skip


def ranking_check_screen(
    uow: UnitOfWork, truth_by_login: Mapping[str, float], *, draws: int = 300, seed: int = 0,
    new_hire_logins: Collection[str] = (),
) -> RankingCheck:  # fmt: skip
    """``check_ranking`` in one unit of work (the command line's read)."""
    with uow:
        return check_ranking(uow.session, truth_by_login, draws=draws, seed=seed,
                             new_hire_logins=new_hire_logins)  # fmt: skip
