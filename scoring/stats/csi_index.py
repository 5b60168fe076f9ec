"""The CSI of stored survey answers: one row per (respondent, attribute) rating.

A post-contact survey asks several questions ("how fast", "how courteous", "how competent")
and, on some surveys, how much each matters. ``csi_from_ratings`` turns such answers into
the CSI of ``surveys.csi`` (importance-weighted satisfaction, 0-100, interval over
respondents), a per-attribute breakdown the scorecard shows beside it, and each
respondent's index, which the representativeness checks read. Formula and sources:
docs/statistics.md, §3 "CSI".
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd

from scoring.stats.estimate import Estimate, clean_values
from scoring.stats.surveys import _check_importance, _respondent_index, csi

__all__ = ["CsiBreakdown", "csi_from_ratings", "importance_weights"]

ATTRIBUTE_COLUMNS = ["attribute", "n", "satisfaction", "importance", "weight_share"]


@dataclass(frozen=True, slots=True)
class CsiBreakdown:
    """The CSI, what each attribute contributes, and every respondent's own index.

    ``attributes`` has one row per attribute: ``n`` ratings, mean ``satisfaction`` on 0-100,
    the ``importance`` weight used and its ``weight_share`` of the total. ``respondents``
    maps respondent -> their 0-100 index (NaN when they rated nothing).
    """

    index: Estimate
    attributes: pd.DataFrame
    respondents: pd.Series


def importance_weights(ratings: pd.DataFrame) -> dict[Hashable, float]:
    """Weight of each attribute: the mean importance the answers state for it.

    A survey whose design fixes the weights states the same importance on every answer, so
    the mean is that weight; where customers state their own, it is the average stated
    importance (the usual "mean importance x mean satisfaction" index). An attribute no
    answer weights gets the mean of the stated weights, and with no stated importance at
    all every attribute weighs 1 (the plain mean of satisfaction).
    """
    attributes = list(dict.fromkeys(ratings["attribute"]))
    stated = ratings.dropna(subset=["importance"])
    if not stated.empty:
        clean_values(stated["importance"].tolist(), what="importance", bounds=(0.0, math.inf))
    means = stated.groupby("attribute", sort=False)["importance"].mean()
    fallback = float(means.mean()) if len(means) else 1.0
    return {a: float(means.get(a, fallback)) for a in attributes}


def csi_from_ratings(
    ratings: pd.DataFrame,
    *,
    scale: tuple[float, float] = (1.0, 5.0),
    level: float = 0.95,
) -> CsiBreakdown:
    """CSI of long-format answers: columns ``respondent``, ``attribute``, ``rating`` and
    ``importance`` (NaN = not stated). See ``importance_weights`` for the weights.

    With every respondent rating every attribute the CSI equals
    sum_i(w_i * mean satisfaction_i) / sum_i(w_i); a respondent who skipped an attribute
    is weighted over the attributes they rated, as N/A criteria leave a review score.
    """
    missing = [c for c in ("respondent", "attribute", "rating") if c not in ratings.columns]
    if missing:
        raise ValueError(f"the ratings table has no column {missing[0]!r}")
    if "importance" not in ratings.columns:
        ratings = ratings.assign(importance=math.nan)
    if ratings.empty:
        empty = pd.DataFrame(columns=ATTRIBUTE_COLUMNS)
        return CsiBreakdown(csi([], {"-": 1.0}, scale=scale, level=level), empty,
                            pd.Series(dtype=float))  # fmt: skip
    weights = _check_importance(importance_weights(ratings))
    wide = ratings.pivot_table(index="respondent", columns="attribute", values="rating",
                               aggfunc="first", sort=True)  # fmt: skip
    index = csi(wide, weights, scale=scale, level=level)
    own = [_respondent_index(row, weights, scale, i)
           for i, (_, row) in enumerate(wide.iterrows())]  # fmt: skip
    low, high = scale
    grouped = ratings.groupby("attribute", sort=True)["rating"]
    total = sum(weights.values())
    attributes = pd.DataFrame({
        "attribute": list(grouped.groups),
        "n": grouped.count().to_numpy(int),
        "satisfaction": ((grouped.mean() - low) / (high - low) * 100.0).to_numpy(float),
    })  # fmt: skip
    attributes["importance"] = [weights[a] for a in attributes["attribute"]]
    attributes["weight_share"] = attributes["importance"] / total
    return CsiBreakdown(index, attributes, pd.Series(own, index=wide.index, dtype=float))
