"""Reviewer severity: how much harder or softer each reviewer grades than their peers, and
review scores corrected for it.

Severity is measured only on conversations that more than one reviewer graded (calibration
sessions, double reviews). An agent whose reviews all come from the strictest reviewer
would otherwise look worse than they are. Formulas: docs/statistics.md, §7.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from scoring.stats.estimate import SCORE_BOUNDS, Estimate, clean_values, show_key, t_quantile
from scoring.stats.means import (
    DEFAULT_PRIOR_DF,
    DEFAULT_PRIOR_SD,
    mean_interval,
    regularised_variance,
)
from scoring.stats.shrinkage import fit_normal_normal, normal_estimate, posterior

__all__ = ["correct_for_severity", "reviewer_severity"]

_OFFSET_BOUNDS = (-100.0, 100.0)
_MODEL = "additive model"


def _table(reviews: pd.DataFrame, item: str, reviewer: str, score: str) -> pd.DataFrame:
    missing = [c for c in (item, reviewer, score) if c not in reviews.columns]
    if missing:
        raise ValueError(f"the reviews table has no column {missing[0]!r}")
    clean_values(reviews[score].to_numpy())  # refuses bad scores, naming their row position
    table = reviews.loc[reviews[score].notna(), [item, reviewer, score]]
    table.columns = ["item", "reviewer", "score"]
    table = table.assign(score=table["score"].astype(float))
    twice = table.duplicated(["item", "reviewer"])
    if twice.any():
        key = table.loc[twice, "item"].iloc[0]
        raise ValueError(
            f"conversation {show_key(key)} has more than one review by the same reviewer"
        )
    return table


def _components(table: pd.DataFrame) -> list[list[Hashable]]:
    """Groups of reviewers linked by shared conversations, directly or through others.

    Offsets are only comparable within such a group: two teams whose reviewers never grade
    the same conversation have no common yardstick.
    """
    parent: dict[Hashable, Hashable] = {r: r for r in table["reviewer"]}

    def root(r: Hashable) -> Hashable:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for _, group in table.groupby("item", sort=False):
        first, *rest = list(group["reviewer"])
        for other in rest:
            parent[root(other)] = root(first)
    groups: dict[Hashable, list[Hashable]] = {}
    for r in sorted(parent, key=str):
        groups.setdefault(root(r), []).append(r)
    return list(groups.values())


def _fit_component(
    table: pd.DataFrame, prior_sd: float, prior_df: float
) -> tuple[list[Hashable], np.ndarray, np.ndarray, float]:
    """Least squares for score = conversation + reviewer + noise, reviewer effects summing
    to 0; conversation effects are absorbed by centring within each conversation
    (Frisch-Waugh-Lovell), so the fit stays small however many conversations there are.

    Returns reviewers, offsets, their covariance and the residual degrees of freedom.
    """
    reviewers = sorted(table["reviewer"].unique(), key=str)
    k = len(reviewers)
    labels = table["reviewer"].to_numpy()
    design = np.column_stack([labels == r for r in reviewers]).astype(float)
    items = table["item"].to_numpy()
    centred = design - pd.DataFrame(design).groupby(items).transform("mean").to_numpy()
    contrast = np.vstack([np.eye(k - 1), -np.ones((1, k - 1))])  # last = -(sum of others)
    z = centred @ contrast
    y = table["score"].to_numpy() - table.groupby("item")["score"].transform("mean").to_numpy()
    beta, *_ = np.linalg.lstsq(z, y, rcond=None)
    residual = y - z @ beta
    df = len(y) - table["item"].nunique() - (k - 1)
    variance, total_df = regularised_variance(
        float(residual @ residual), float(df), prior_sd, prior_df
    )
    cov = contrast @ np.linalg.pinv(z.T @ z) @ contrast.T * variance
    return reviewers, contrast @ beta, cov, total_df


def _model_offsets(
    table: pd.DataFrame, level: float, prior_sd: float, prior_df: float
) -> dict[Hashable, tuple[Estimate, float]]:
    """Each reviewer's offset from the average reviewer, t interval, and its variance."""
    shared = table.groupby("item")["reviewer"].transform("size") > 1
    table = table[shared]
    found: dict[Hashable, tuple[Estimate, float]] = {}
    for group in _components(table):
        part = table[table["reviewer"].isin(group)]
        reviewers, offsets, cov, df = _fit_component(part, prior_sd, prior_df)
        counts = part["reviewer"].value_counts()
        quantile = t_quantile(0.5 + level / 2.0, df) if df > 0 else math.inf
        for i, who in enumerate(reviewers):
            half = quantile * math.sqrt(max(cov[i, i], 0.0))
            if not math.isfinite(half):
                half = math.inf
            low, high = max(offsets[i] - half, -100.0), min(offsets[i] + half, 100.0)
            found[who] = (
                Estimate(offsets[i], low, high, int(counts[who]), _MODEL, level),
                cov[i, i],
            )
    return found


def _consensus_offsets(
    table: pd.DataFrame,
    consensus: Mapping[Hashable, float],
    level: float,
    prior_sd: float,
    prior_df: float,
) -> dict[Hashable, tuple[Estimate, float]]:
    """Each reviewer's mean offset from the agreed grade, on conversations that have one."""
    agreed = {k: float(v) for k, v in consensus.items() if v is not None and not math.isnan(v)}
    table = table[table["item"].isin(agreed.keys())]
    offsets = table["score"] - table["item"].map(agreed)
    found: dict[Hashable, tuple[Estimate, float]] = {}
    for who, values in offsets.groupby(table["reviewer"], sort=False):
        e = mean_interval(
            values.to_numpy(),
            bounds=_OFFSET_BOUNDS,
            level=level,
            prior_sd=prior_sd,
            prior_df=prior_df,
        )
        spread, _ = regularised_variance(
            float(((values - values.mean()) ** 2).sum()), len(values) - 1.0, prior_sd, prior_df
        )
        found[who] = (
            Estimate(e.estimate, e.low, e.high, e.n, "consensus", level),
            spread / len(values),
        )
    return found


def _shrunk(
    found: dict[Hashable, tuple[Estimate, float]], level: float
) -> dict[Hashable, Estimate]:
    """Pull offsets toward the reviewers' average by the agent-mean model (docs)."""
    usable = {k: v for k, v in found.items() if math.isfinite(v[1]) and v[1] > 0}
    if len(usable) < 2:
        return {k: e for k, (e, _) in found.items()}
    fit = fit_normal_normal(
        np.array([e.estimate for e, _ in usable.values()]),
        np.array([v for _, v in usable.values()]),
    )
    result = {k: e for k, (e, _) in found.items()}
    for who, (e, variance) in usable.items():
        centre, var, _ = posterior(e.estimate, variance, fit)
        result[who] = normal_estimate(
            centre, var, e.n, f"{e.method}, shrunk", level, _OFFSET_BOUNDS
        )
    return result


def reviewer_severity(
    reviews: pd.DataFrame,
    *,
    item: str = "conversation_id",
    reviewer: str = "reviewer",
    score: str = "score",
    consensus: Mapping[Hashable, float] | None = None,
    shrink: bool = True,
    level: float = 0.95,
    prior_sd: float = DEFAULT_PRIOR_SD,
    prior_df: float = DEFAULT_PRIOR_DF,
) -> dict[Hashable, Estimate]:
    """Each reviewer's offset in score points (negative = stricter), with its interval.

    Without ``consensus``: the additive model score = conversation + reviewer + noise over
    conversations graded by two or more reviewers, offsets relative to the average
    reviewer of their overlap group. Why not "mean difference from the others": with
    three reviewers that exaggerates every offset by half (k / (k - 1)), and it blames a
    reviewer for whom they happen to overlap with. With ``consensus`` ({conversation:
    agreed score}): the mean of score - agreed score. ``shrink`` (default) pulls offsets
    toward the average by the empirical-Bayes model of agent means, so three overlapping
    conversations cannot brand a reviewer harsh. ``n`` counts the conversations used.
    """
    table = _table(reviews, item, reviewer, score)
    if consensus is None:
        found = _model_offsets(table, level, prior_sd, prior_df)
    else:
        found = _consensus_offsets(table, consensus, level, prior_sd, prior_df)
    return _shrunk(found, level) if shrink else {k: e for k, (e, _) in found.items()}


def correct_for_severity(
    reviews: pd.DataFrame,
    severity: Mapping[Hashable, Estimate],
    *,
    reviewer: str = "reviewer",
    score: str = "score",
) -> pd.DataFrame:
    """A copy of ``reviews`` with ``severity_offset`` and ``score_corrected`` columns.

    corrected = score - offset, clipped to 0-100, so scores read as if the average
    reviewer had graded them; reviewers without an estimate keep their scores (offset 0).
    Use shrunk severities: subtracting a raw offset from five conversations adds about as
    much noise as it removes bias.
    """
    missing = [c for c in (reviewer, score) if c not in reviews.columns]
    if missing:
        raise ValueError(f"the reviews table has no column {missing[0]!r}")
    out = reviews.copy()
    offset = {who: e.estimate for who, e in severity.items() if e.defined}
    out["severity_offset"] = [offset.get(who, 0.0) for who in out[reviewer]]
    corrected = pd.to_numeric(out[score], errors="raise") - out["severity_offset"]
    out["score_corrected"] = corrected.clip(*SCORE_BOUNDS)
    return out
