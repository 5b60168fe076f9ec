"""Simulated QA teams with known true quality, to check the statistics against the truth.

Real data never tells us an agent's true quality, so we cannot check on it whether a "95%"
interval is right 95% of the time, or whether shrinkage ranks agents better than raw
means. Here the truth is known by construction. ``simulation_report()`` returns the
figures docs/statistics.md quotes; a CLI command can print ``report.rows()``.

The model (docs/statistics.md, §9): agent quality m_i ~ N(team mean, between
sd) on 0-1, clipped to 0.40-0.97; each review is 100 * Beta(m_i k, (1 - m_i) k) (within-
agent sd about 12 points at m = 0.8 with k = 10), except that with probability
``critical_fail_rate`` a critical fail sets it to 0. True quality = expected review score
= 100 (1 - p) m_i. Review counts are log-uniform from 2 to 60, so small samples, the hard
case, are common as they are on real teams.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from scoring.stats.means import (
    DEFAULT_PRIOR_DF,
    DEFAULT_PRIOR_SD,
    bootstrap_mean_interval,
    mean_interval,
)
from scoring.stats.shrinkage import shrink_agent_means

__all__ = [
    "CoverageResult",
    "RankingResult",
    "SimulatedTeam",
    "SimulationReport",
    "interval_coverage",
    "ranking_accuracy",
    "simulate_team",
    "simulation_report",
]

SIZE_BANDS = ((2, 4), (5, 9), (10, 29), (30, 60))


@dataclass(frozen=True, slots=True)
class SimulatedTeam:
    """Review scores by agent and each agent's true quality (expected review score)."""

    scores: Mapping[Hashable, np.ndarray]
    true_quality: Mapping[Hashable, float]


def simulate_team(
    rng: np.random.Generator,
    *,
    agents: int = 20,
    min_reviews: int = 2,
    max_reviews: int = 60,
    team_mean: float = 0.80,
    between_sd: float = 0.06,
    concentration: float = 10.0,
    critical_fail_rate: float = 0.02,
) -> SimulatedTeam:
    """One team drawn from ``rng``; parameters are on the 0-1 scale of the Beta model."""
    if not 1 <= min_reviews <= max_reviews:
        raise ValueError("need 1 <= min_reviews <= max_reviews")
    quality = np.clip(rng.normal(team_mean, between_sd, agents), 0.40, 0.97)
    counts = np.rint(np.exp(rng.uniform(math.log(min_reviews), math.log(max_reviews), agents)))
    scores, truth = {}, {}
    for i, (m, n) in enumerate(zip(quality, counts.astype(int), strict=True)):
        draws = 100.0 * rng.beta(m * concentration, (1.0 - m) * concentration, n)
        draws[rng.random(n) < critical_fail_rate] = 0.0
        key = f"agent-{i:03d}"
        scores[key] = draws
        truth[key] = 100.0 * (1.0 - critical_fail_rate) * float(m)
    return SimulatedTeam(scores, truth)


@dataclass(frozen=True, slots=True)
class CoverageResult:
    """Share of simulated agents whose 95% interval contains their true quality."""

    agents: int
    level: float
    t: float
    shrunk: float
    bootstrap: float | None
    t_half_width: float
    shrunk_half_width: float
    t_by_reviews: Mapping[str, float]
    bootstrap_by_reviews: Mapping[str, float] | None


@dataclass(frozen=True, slots=True)
class RankingResult:
    """Mean Spearman correlation of a ranking with true quality, over simulated teams."""

    teams: int
    agents_per_team: int
    spearman_raw: float
    spearman_shrunk: float
    shrunk_better_share: float
    spearman_pooled: float = math.nan  # shrunk with one pooled within-agent variance


def _teams(seed: int, teams: int, agents_per_team: int, **model: float) -> list[SimulatedTeam]:
    rng = np.random.default_rng(seed)
    return [simulate_team(rng, agents=agents_per_team, **model) for _ in range(teams)]


def _spearman(truth: list[float], ranking: list[float]) -> float:
    """Spearman r, with 0 for a constant ranking: when shrinkage finds no difference between
    agents (tau = 0) it ranks nobody, which carries no information about the true order."""
    if np.ptp(ranking) == 0:
        return 0.0
    return float(stats.spearmanr(truth, ranking).statistic)


def _band(n: int) -> str:
    return next(f"{low}-{high}" for low, high in SIZE_BANDS if low <= n <= high)


def _share_by_band(hits: list[tuple[int, bool]]) -> dict[str, float]:
    bands: dict[str, list[bool]] = {f"{low}-{high}": [] for low, high in SIZE_BANDS}
    for n, hit in hits:
        bands[_band(n)].append(hit)
    return {k: float(np.mean(v)) for k, v in bands.items() if v}


def interval_coverage(
    *,
    teams: int = 200,
    agents_per_team: int = 20,
    seed: int = 0,
    bootstrap: bool = False,
    prior_sd: float = DEFAULT_PRIOR_SD,
    prior_df: float = DEFAULT_PRIOR_DF,
    critical_fail_rate: float = 0.02,
) -> CoverageResult:
    """Coverage of ``mean_interval``, the shrunk posterior interval and (optionally, slower)
    the percentile bootstrap, with coverage of t and bootstrap by review-count band.
    ``prior_sd``, ``prior_df`` and ``critical_fail_rate`` allow the sensitivity runs of
    docs/statistics.md."""
    t_hits, boot_hits, shrunk_hits, t_widths, shrunk_widths = [], [], [], [], []
    prior = {"prior_sd": prior_sd, "prior_df": prior_df}
    for team in _teams(seed, teams, agents_per_team, critical_fail_rate=critical_fail_rate):
        shrunk = shrink_agent_means(team.scores, **prior)
        for agent, values in team.scores.items():
            truth = team.true_quality[agent]
            raw = mean_interval(values, **prior)
            t_hits.append((values.size, raw.contains(truth)))
            t_widths.append(raw.half_width)
            posterior = shrunk.agents[agent].shrunk
            shrunk_hits.append(posterior.contains(truth))
            shrunk_widths.append(posterior.half_width)
            if bootstrap:
                boot = bootstrap_mean_interval(values, resamples=1000, seed=len(boot_hits))
                boot_hits.append((values.size, boot.contains(truth)))
    return CoverageResult(
        agents=len(t_hits),
        level=0.95,
        t=float(np.mean([hit for _, hit in t_hits])),
        shrunk=float(np.mean(shrunk_hits)),
        bootstrap=float(np.mean([hit for _, hit in boot_hits])) if bootstrap else None,
        t_half_width=float(np.mean(t_widths)),
        shrunk_half_width=float(np.mean(shrunk_widths)),
        t_by_reviews=_share_by_band(t_hits),
        bootstrap_by_reviews=_share_by_band(boot_hits) if bootstrap else None,
    )


def ranking_accuracy(
    *, teams: int = 200, agents_per_team: int = 20, seed: int = 1
) -> RankingResult:
    """How well ranking by shrunk mean vs by raw mean recovers the true order, per team."""
    raw_r, shrunk_r, pooled_r = [], [], []
    for team in _teams(seed, teams, agents_per_team):
        result = shrink_agent_means(team.scores)
        pooled = shrink_agent_means(team.scores, variance="pooled")
        keys = list(team.scores)
        truth = [team.true_quality[k] for k in keys]
        raw_r.append(_spearman(truth, [result.agents[k].raw.estimate for k in keys]))
        shrunk_r.append(_spearman(truth, [result.agents[k].shrunk.estimate for k in keys]))
        pooled_r.append(_spearman(truth, [pooled.agents[k].shrunk.estimate for k in keys]))
    raw, shrunk = np.asarray(raw_r), np.asarray(shrunk_r)
    return RankingResult(
        teams=teams,
        agents_per_team=agents_per_team,
        spearman_raw=float(raw.mean()),
        spearman_shrunk=float(shrunk.mean()),
        shrunk_better_share=float(np.mean(shrunk > raw)),
        spearman_pooled=float(np.mean(pooled_r)),
    )


@dataclass(frozen=True, slots=True)
class SimulationReport:
    """Coverage and ranking figures together, as docs/statistics.md quotes them."""

    coverage: CoverageResult
    ranking: RankingResult

    def rows(self) -> list[tuple[str, float, float]]:
        """(figure, measured, reference) rows for a command to print side by side: the
        reference is the nominal 95% for coverage and the raw-mean ranking for shrinkage."""
        c, r = self.coverage, self.ranking
        rows = [("coverage of t interval", c.t, c.level)]
        rows += [
            (f"coverage of t interval, {k} reviews", v, c.level) for k, v in c.t_by_reviews.items()
        ]
        if c.bootstrap is not None:
            rows.append(("coverage of percentile bootstrap", c.bootstrap, c.level))
        rows.append(("coverage of shrunk posterior interval", c.shrunk, c.level))
        rows.append(
            ("Spearman, shrunk (pooled variance) vs raw", r.spearman_pooled, r.spearman_raw)
        )
        rows.append(("Spearman with truth, shrunk vs raw mean", r.spearman_shrunk, r.spearman_raw))
        return rows


def simulation_report(
    *, teams: int = 200, agents_per_team: int = 20, seed: int = 0, bootstrap: bool = True
) -> SimulationReport:
    """Both studies with the documented settings (a few seconds with the bootstrap)."""
    coverage = interval_coverage(
        teams=teams, agents_per_team=agents_per_team, seed=seed, bootstrap=bootstrap
    )
    ranking = ranking_accuracy(teams=teams, agents_per_team=agents_per_team, seed=seed + 1)
    return SimulationReport(coverage, ranking)
