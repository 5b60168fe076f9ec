"""Empirical-Bayes shrinkage of agent means toward the team, and when an agent can be ranked.

An agent with two reviews of 100 is not the team's best agent; they are an agent we know
little about. The normal-normal model below pulls each raw mean toward the team mean by
how little we know (few reviews, noisy scores) relative to how much agents really differ.
Formulas, the choice of REML and the minimum-sample rule: docs/statistics.md, §4.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from scoring.stats.estimate import SCORE_BOUNDS, Estimate, clean_values, show_key, z_quantile
from scoring.stats.means import (
    DEFAULT_PRIOR_DF,
    DEFAULT_PRIOR_SD,
    mean_interval,
    regularised_variance,
)

__all__ = [
    "AGENT_VARIANCE_PRIOR_DF",
    "MIN_REVIEWS_FLOOR",
    "RANKING_RELIABILITY",
    "AgentShrinkage",
    "Shrinkage",
    "TeamFit",
    "agent_variances",
    "between_variance",
    "fit_normal_normal",
    "min_reviews_to_rank",
    "normal_estimate",
    "posterior",
    "reliability_of_mean",
    "shrink_agent_means",
]

#: Below this many reviews an agent is never ranked, whatever the team's figures say.
MIN_REVIEWS_FLOOR = 5
#: Reliability a ranked agent mean must reach (Nunnally's 0.70 convention).
RANKING_RELIABILITY = 0.7

#: Pseudo degrees of freedom an agent's own variance borrows from the pooled one
#: (``variance="agent"``): the moderated variance of Smyth (2004), docs/statistics.md §4.
AGENT_VARIANCE_PRIOR_DF = 4.0

Method = Literal["reml", "moments"]
Variance = Literal["pooled", "agent"]


@dataclass(frozen=True, slots=True)
class AgentShrinkage:
    """One agent: the raw mean, the shrunk mean, and how far it was pulled.

    ``weight_on_team`` is the shrinkage factor B = v / (v + tau^2): 0 = the agent's own
    mean is trusted fully, 1 = we only know the team mean. ``rankable`` is False below the
    minimum number of reviews (``Shrinkage.min_reviews_to_rank``).
    """

    agent: Hashable
    raw: Estimate
    shrunk: Estimate
    weight_on_team: float
    rankable: bool


@dataclass(frozen=True, slots=True)
class Shrinkage:
    """The team-level figures the shrinkage used, and every agent's result."""

    team_mean: Estimate
    between_sd: float
    within_sd: float
    method: str
    min_reviews_to_rank: int | None
    agents: Mapping[Hashable, AgentShrinkage]


def _moments_tau2(means: np.ndarray, variances: np.ndarray) -> float:
    """DerSimonian-Laird method of moments: tau^2 = max(0, (Q - (k-1)) / (S1 - S2/S1))."""
    w = 1.0 / variances
    centre = float((w * means).sum() / w.sum())
    q = float((w * (means - centre) ** 2).sum())
    scale = float(w.sum() - (w**2).sum() / w.sum())
    return max(0.0, (q - (means.size - 1)) / scale) if scale > 0 else 0.0


def _reml_tau2(means: np.ndarray, variances: np.ndarray, start: float) -> float:
    """REML by its fixed-point equation (Viechtbauer 2005), clipped at 0, from ``start``."""
    tau2 = start
    for _ in range(200):
        w = 1.0 / (variances + tau2)
        centre = (w * means).sum() / w.sum()
        update = (w**2 * ((means - centre) ** 2 - variances)).sum() / (w**2).sum() + 1.0 / w.sum()
        update = max(0.0, float(update))
        if abs(update - tau2) <= 1e-10 * (1.0 + tau2):
            return update
        tau2 = update
    return tau2


def between_variance(
    means: Iterable[float], variances: Iterable[float], *, method: Method = "reml"
) -> float:
    """Variance tau^2 of the true agent means, from raw means and their sampling variances.

    REML is the default because it is less biased than the method of moments when there
    are few agents with unequal review counts (Viechtbauer 2005; Langan et al. 2019); the
    moments estimate is its starting point and the alternative. Both are clipped at 0:
    "agents do not differ beyond noise" is a legitimate answer.
    """
    y = np.asarray(list(means), dtype=float)
    v = np.asarray(list(variances), dtype=float)
    if y.size != v.size:
        raise ValueError("means and variances must pair up")
    if y.size < 2:
        return math.nan
    if np.any(v <= 0) or not np.all(np.isfinite(v)):
        raise ValueError("sampling variances must be finite and positive")
    start = _moments_tau2(y, v)
    if method == "moments":
        return start
    if method != "reml":
        raise ValueError(f"method must be 'reml' or 'moments', got {method!r}")
    return _reml_tau2(y, v, start)


def reliability_of_mean(n: float, within_sd: float, between_sd: float) -> float:
    """Share of the variance of an n-review mean that is true difference between agents.

    tau^2 / (tau^2 + sigma^2 / n): the Spearman-Brown reliability of a mean of n reviews,
    and 1 - B, the weight the shrunk estimate gives the agent's own mean.
    """
    if n <= 0:
        return 0.0
    tau2, noise = between_sd**2, within_sd**2 / n
    return tau2 / (tau2 + noise) if tau2 + noise > 0 else 0.0


def min_reviews_to_rank(
    within_sd: float,
    between_sd: float,
    *,
    reliability: float = RANKING_RELIABILITY,
    floor: int = MIN_REVIEWS_FLOOR,
) -> int | None:
    """Fewest reviews whose mean reaches ``reliability``, never below ``floor``.

    From tau^2 / (tau^2 + sigma^2/n) >= R: n >= R / (1 - R) * sigma^2 / tau^2. None means
    no number of reviews is enough: the agents do not differ beyond noise (tau = 0), and
    ranking them would rank noise.
    """
    if not 0.0 < reliability < 1.0:
        raise ValueError(f"reliability must lie strictly between 0 and 1, got {reliability!r}")
    if not between_sd > 0:
        return None
    needed = reliability / (1.0 - reliability) * within_sd**2 / between_sd**2
    return max(int(floor), math.ceil(needed - 1e-9))


def _groups(reviews: Any, agent: str, score: str, bounds) -> dict[Hashable, np.ndarray]:
    if isinstance(reviews, pd.DataFrame):
        missing = [c for c in (agent, score) if c not in reviews.columns]
        if missing:
            raise ValueError(f"the reviews table has no column {missing[0]!r}")
        pairs = reviews.groupby(agent, sort=True, dropna=False)[score]
        return {
            k: clean_values(v.tolist(), what=f"{show_key(k)} score", bounds=bounds)
            for k, v in pairs
        }
    return {
        k: clean_values(v, what=f"{show_key(k)} score", bounds=bounds) for k, v in reviews.items()
    }


def _pooled_within(
    groups: Mapping[Hashable, np.ndarray], prior_sd: float, prior_df: float
) -> float:
    """Within-agent variance pooled over agents (one-way ANOVA error term), regularised.

    One pooled figure rather than each agent's own: an agent's variance from 3 reviews is
    too noisy to set their shrinkage (3 equal scores would mean "no noise, no shrinkage").
    """
    sum_squares = sum(float(((v - v.mean()) ** 2).sum()) for v in groups.values() if v.size)
    df = sum(max(v.size - 1, 0) for v in groups.values())
    variance, total_df = regularised_variance(sum_squares, float(df), prior_sd, prior_df)
    return variance if total_df > 0 else math.nan


def agent_variances(
    groups: Mapping[Hashable, np.ndarray],
    within: float,
    variance: Variance = "pooled",
    prior_df: float | None = None,
) -> dict[Hashable, float | None]:
    """Sampling variance v_i of each agent's mean (None for an agent without reviews).

    ``pooled``: s_w^2 / n_i, every agent as noisy per review as the team. ``agent``: the
    agent's own variance moderated toward the pool, (SS_i + d0 s_w^2) / (n_i - 1 + d0),
    divided by n_i: an agent whose scores swing (critical fails among good reviews) has a
    less certain mean than one who is steady with as many reviews, and is shrunk more.
    """
    if variance not in ("pooled", "agent"):
        raise ValueError(f"variance must be 'pooled' or 'agent', got {variance!r}")
    prior_df = AGENT_VARIANCE_PRIOR_DF if prior_df is None else prior_df
    found: dict[Hashable, float | None] = {}
    for key, values in groups.items():
        if not values.size:
            found[key] = None
        elif variance == "pooled":
            found[key] = within / values.size
        else:
            squares = float(((values - values.mean()) ** 2).sum())
            own = (squares + prior_df * within) / (values.size - 1 + prior_df)
            found[key] = own / values.size
    return found


@dataclass(frozen=True, slots=True)
class TeamFit:
    """The fitted normal-normal model: team mean and its variance, tau^2 and its variance."""

    mu: float
    var_mu: float
    tau2: float
    var_tau2: float


def fit_normal_normal(
    means: np.ndarray, variances: np.ndarray, *, method: Method = "reml"
) -> TeamFit:
    """Fit theta_i ~ N(mu, tau^2), ybar_i ~ N(theta_i, v_i) to means with known variances."""
    tau2 = between_variance(means, variances, method=method)
    w = 1.0 / (variances + tau2)
    mu, var_mu = float((w * means).sum() / w.sum()), float(1.0 / w.sum())
    # Inverse REML information for tau^2: 2 / tr(P^2), P = W - W 1 1' W / sum(w).
    trace = (w**2).sum() - 2.0 * (w**3).sum() / w.sum() + ((w**2).sum() / w.sum()) ** 2
    return TeamFit(mu, var_mu, tau2, float(2.0 / trace) if trace > 0 else 0.0)


def posterior(mean: float, variance: float | None, fit: TeamFit) -> tuple[float, float, float]:
    """(shrunk mean, posterior variance, B) for one unit; ``variance`` None = no data, which
    gives the team's prediction for a new agent.

    The variance adds to (1 - B) v the uncertainty of the team mean, B^2 Var(mu), and of
    tau^2 by Kass & Steffey's (1989) first-order term (d shrunk / d tau^2)^2 Var(tau^2):
    without them the intervals of agents far from the team are too narrow.
    """
    if variance is None:
        return fit.mu, fit.tau2 + fit.var_mu, 1.0
    v = variance
    weight = v / (v + fit.tau2) if v + fit.tau2 > 0 else 1.0
    shrunk = mean + weight * (fit.mu - mean)
    slope = (fit.mu - mean) * weight / (v + fit.tau2)
    total = (1.0 - weight) * v + weight**2 * fit.var_mu + slope**2 * fit.var_tau2
    return shrunk, total, weight


def _clip(value: float, bounds: tuple[float, float] | None) -> float:
    return value if bounds is None else min(max(value, bounds[0]), bounds[1])


def normal_estimate(
    centre: float,
    variance: float,
    n: int,
    method: str,
    level: float,
    bounds: tuple[float, float] | None,
) -> Estimate:
    """Normal interval centre -+ z sqrt(variance), clipped to ``bounds``: the form of a
    posterior whose variance already carries every uncertainty we account for."""
    half = float(z_quantile(0.5 + level / 2.0)) * math.sqrt(variance)
    low, high = _clip(centre - half, bounds), _clip(centre + half, bounds)
    return Estimate(_clip(centre, bounds), low, high, n, method, level)


def _unshrunk(raw: dict, all_values: np.ndarray, level: float, bounds, reason: str) -> Shrinkage:
    """No shrinkage possible (one agent, or no within-agent spread to learn from)."""
    team = mean_interval(all_values, level=level, bounds=bounds)
    agents = {k: AgentShrinkage(k, e, e, 0.0, False) for k, e in raw.items()}
    return Shrinkage(team, math.nan, math.nan, f"none ({reason})", None, agents)


def shrink_agent_means(
    reviews: pd.DataFrame | Mapping[Hashable, Iterable[Any]],
    *,
    agent: str = "agent",
    score: str = "score",
    method: Method = "reml",
    variance: Variance = "agent",
    level: float = 0.95,
    bounds: tuple[float, float] | None = SCORE_BOUNDS,
    prior_sd: float = DEFAULT_PRIOR_SD,
    prior_df: float = DEFAULT_PRIOR_DF,
    reliability: float = RANKING_RELIABILITY,
    floor: int = MIN_REVIEWS_FLOOR,
) -> Shrinkage:
    """Shrunk agent means with posterior intervals, under theta_i ~ N(mu, tau^2).

    ``reviews`` is a table with ``agent`` and ``score`` columns, or {agent: scores}. Each
    raw mean ybar_i (n_i reviews) has sampling variance v_i = s_w^2 / n_i with s_w^2 the
    pooled within-agent variance; the shrunk mean is ybar_i + B_i (mu - ybar_i) with
    B_i = v_i / (v_i + tau^2). An agent with no reviews gets the team's prediction.
    ``rankable`` marks agents with at least ``min_reviews_to_rank`` reviews.
    ``variance`` is "agent" (each agent's own variance moderated toward s_w^2, the default)
    or "pooled" (s_w^2 for everyone); see ``agent_variances``.
    """
    groups = _groups(reviews, agent, score, bounds)
    prior = dict(prior_sd=prior_sd, prior_df=prior_df)
    raw = {k: mean_interval(v, level=level, bounds=bounds, **prior) for k, v in groups.items()}
    all_values = np.concatenate(list(groups.values())) if groups else np.empty(0)
    scored = [v for v in groups.values() if v.size]
    within = _pooled_within(groups, prior_sd, prior_df)
    if len(scored) < 2:
        return _unshrunk(raw, all_values, level, bounds, "fewer than two agents with reviews")
    if not within > 0:
        return _unshrunk(raw, all_values, level, bounds, "no within-agent spread")
    sampling = agent_variances(groups, within, variance)
    means = np.array([v.mean() for v in scored])
    known = np.array([v for v in sampling.values() if v is not None])
    fit = fit_normal_normal(means, known, method=method)
    label = f"empirical bayes ({method})" + (", pooled variance" if variance == "pooled" else "")
    needed = min_reviews_to_rank(
        math.sqrt(within), math.sqrt(fit.tau2), reliability=reliability, floor=floor
    )
    agents = {}
    for key, values in groups.items():
        est, var, weight = posterior(raw[key].estimate, sampling[key], fit)
        shrunk = normal_estimate(est, var, int(values.size), label, level, bounds)
        rankable = needed is not None and values.size >= needed
        agents[key] = AgentShrinkage(key, raw[key], shrunk, weight, rankable)
    team = normal_estimate(fit.mu, fit.var_mu, int(all_values.size), label, level, bounds)
    return Shrinkage(team, math.sqrt(fit.tau2), math.sqrt(within), label, needed, agents)
