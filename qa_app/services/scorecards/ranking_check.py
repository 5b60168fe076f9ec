"""Does ranking by the shrunk score recover agents' known quality better than the raw mean?

On data whose true quality is known (the demo's personas), compare Spearman's rank
correlation with the truth for the raw means and the shrunk scores: once with every review,
and over many random draws of a few reviews per agent (2 to 12, as on a team where most
agents have only a handful reviewed), which is where shrinkage is meant to help.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from sqlalchemy.orm import Session

from qa_app.services.scorecards.frames import Period, agent_directory, data_days, review_frame
from qa_app.services.scorecards.team import score_arrays
from qa_app.storage.uow import UnitOfWork
from scoring.stats import shrink_agent_means


@dataclass(frozen=True)
class RankingCheck:
    agents: int
    reviews: int
    raw_all: float
    shrunk_all: float
    draws: int
    smallest: int
    largest: int
    raw_drawn: float
    shrunk_drawn: float
    shrunk_better_share: float  # share of draws where shrunk beats raw (ties count half)


def _spearman(truth: list[float], ranking: list[float]) -> float:
    if len(set(ranking)) < 2:
        return 0.0
    return float(stats.spearmanr(truth, ranking).statistic)


def _pair(frame: pd.DataFrame, truth: Mapping[int, float]) -> tuple[float, float]:
    result = shrink_agent_means(score_arrays(frame))
    keys = [k for k in result.agents if k in truth]
    real = [truth[k] for k in keys]
    raw = _spearman(real, [result.agents[k].raw.estimate for k in keys])
    shrunk = _spearman(real, [result.agents[k].shrunk.estimate for k in keys])
    return raw, shrunk


def check_ranking(
    session: Session, truth_by_login: Mapping[str, float], period: Period | None = None, *,
    draws: int = 300, smallest: int = 2, largest: int = 12, seed: int = 0,
) -> RankingCheck:  # fmt: skip
    """Spearman with the truth, raw vs shrunk, on all reviews and on small random draws."""
    if period is None:
        first, last = data_days(session)
        if first is None:
            raise ValueError("no conversations loaded: run qa-studio demo first")
        period = Period(first, last)
    directory = agent_directory(session)
    truth = {int(r.agent_id): float(truth_by_login[r.login]) for r in directory.itertuples()
             if r.login in truth_by_login}  # fmt: skip
    reviews = review_frame(session, period)
    reviews = reviews[~reviews["calibration"] & reviews["agent_id"].isin(list(truth))]
    if reviews["agent_id"].nunique() < 3:
        raise ValueError("fewer than three agents with known quality have reviews")
    raw_all, shrunk_all = _pair(reviews, truth)
    rng = np.random.default_rng(seed)
    groups = {k: g for k, g in reviews.groupby("agent_id")}
    pairs = []
    for _ in range(draws):
        parts = []
        for group in groups.values():
            k = int(round(math.exp(rng.uniform(math.log(smallest), math.log(largest)))))
            parts.append(
                group.sample(n=min(k, len(group)), random_state=int(rng.integers(1 << 31)))
            )
        pairs.append(_pair(pd.concat(parts), truth))
    raw, shrunk = np.array(pairs).T
    better = float(np.mean((shrunk > raw) + 0.5 * (shrunk == raw)))
    return RankingCheck(len(groups), len(reviews), raw_all, shrunk_all, draws, smallest, largest,
                        float(raw.mean()), float(shrunk.mean()), better)  # fmt: skip


def ranking_check_screen(
    uow: UnitOfWork, truth_by_login: Mapping[str, float], *, draws: int = 300, seed: int = 0
) -> RankingCheck:
    """``check_ranking`` in one unit of work (the command line's read)."""
    with uow:
        return check_ranking(uow.session, truth_by_login, draws=draws, seed=seed)
