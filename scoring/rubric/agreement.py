"""Inter-rater agreement for calibration: how far reviewers grade the same thing alike.

Input is either a long table of ``(item, rater, value)`` records (what the database gives)
or a reliability matrix (rows = raters, columns = items, ``None`` = not rated). ``None`` and
NaN are missing values; N/A grades should be passed as ``None``.

Undefined coefficients are NaN, consistently: with no pairable data (empty input, a single
rater) or when chance agreement is already perfect (every rating uses one and the same
value, so there is no variation to agree about). Reporting 1.0 there would claim reliability
that the data cannot show; the raw ``percent_agreement`` is still defined and can be shown.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from scoring.rubric.ratings import Ratings, RatingsLike, as_ratings, is_missing

__all__ = [
    "GroupDisagreement",
    "ItemDisagreement",
    "RaterSeverity",
    "Ratings",
    "cohens_kappa",
    "disagreement_by_group",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "item_disagreement",
    "krippendorff_alpha",
    "pairwise_kappa",
    "percent_agreement",
    "rater_severity",
]

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _pair_agreement(values: list[Any]) -> float:
    pairs = list(combinations(values, 2))
    return sum(a == b for a, b in pairs) / len(pairs)


def percent_agreement(data: RatingsLike) -> float:
    """Share of agreeing rater pairs, averaged over items rated at least twice."""
    units = as_ratings(data).pairable()
    if not units:
        return math.nan
    return float(np.mean([_pair_agreement(v) for v in units.values()]))


# --- Cohen --------------------------------------------------------------------------------


def cohens_kappa(
    a: Sequence[Any],
    b: Sequence[Any],
    weights: str | None = None,
    categories: Sequence[Any] | None = None,
) -> float:
    """Cohen's kappa for two raters' aligned ratings; pairs with a missing value are dropped.

    ``weights`` = "linear" or "quadratic" gives Cohen's weighted kappa for ordinal scales,
    with disagreement |i - j| or (i - j)² between positions in ``categories`` (default: the
    sorted values seen). Pass the full scale as ``categories`` so unused levels count.
    """
    if len(a) != len(b):
        raise ValueError("both raters need the same number of ratings")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not is_missing(x) and not is_missing(y)]
    if not pairs:
        return math.nan
    cats = list(categories) if categories is not None else sorted({v for p in pairs for v in p})
    index = {c: i for i, c in enumerate(cats)}
    unknown = {v for p in pairs for v in p} - set(index)
    if unknown:
        raise ValueError(f"values not among the categories: {sorted(map(str, unknown))}")
    k = len(cats)
    observed = np.zeros((k, k))
    for x, y in pairs:
        observed[index[x], index[y]] += 1
    observed /= len(pairs)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    positions = np.arange(k)
    distance = np.abs(positions[:, None] - positions[None, :]).astype(float)
    if weights is None:
        disagreement = (distance > 0).astype(float)
    elif weights in ("linear", "quadratic"):
        disagreement = distance if weights == "linear" else distance**2
    else:
        raise ValueError("weights must be None, 'linear' or 'quadratic'")
    expected_d = float((disagreement * expected).sum())
    if expected_d <= 1e-12:
        return math.nan
    return 1.0 - float((disagreement * observed).sum()) / expected_d


def pairwise_kappa(
    data: RatingsLike, weights: str | None = None, categories: Sequence[Any] | None = None
) -> dict[tuple[Hashable, Hashable], float]:
    """Cohen's kappa for every pair of raters, on the items both of them rated."""
    ratings = as_ratings(data)
    out = {}
    for r1, r2 in combinations(ratings.raters, 2):
        shared = [v for v in ratings.by_item.values() if r1 in v and r2 in v]
        out[(r1, r2)] = cohens_kappa(
            [v[r1] for v in shared], [v[r2] for v in shared], weights, categories
        )
    return out


# --- Fleiss ---------------------------------------------------------------------------------


def fleiss_kappa_from_counts(counts: Sequence[Sequence[float]]) -> float:
    """Fleiss' kappa from an items × categories table of how many raters chose each.

    Items may have different numbers of raters (items with fewer than two are ignored);
    with a constant number this is exactly Fleiss (1971).
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.size == 0:
        return math.nan
    n_i = table.sum(axis=1)
    table, n_i = table[n_i >= 2], n_i[n_i >= 2]
    if len(n_i) == 0:
        return math.nan
    p_i = ((table**2).sum(axis=1) - n_i) / (n_i * (n_i - 1))
    p_j = table.sum(axis=0) / n_i.sum()
    p_e = float((p_j**2).sum())
    if p_e >= 1 - 1e-12:
        return math.nan
    return (float(p_i.mean()) - p_e) / (1 - p_e)


def fleiss_kappa(data: RatingsLike) -> float:
    """Fleiss' kappa (nominal) for any number of raters."""
    units = as_ratings(data).pairable()
    cats = list(dict.fromkeys(v for values in units.values() for v in values))
    counts = [[values.count(c) for c in cats] for values in units.values()]
    return fleiss_kappa_from_counts(counts)


# --- Krippendorff ---------------------------------------------------------------------------


def _delta_squared(level: str, cats: list[Any], totals: np.ndarray) -> np.ndarray:
    """Krippendorff's difference function δ² between every pair of values."""
    k = len(cats)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        cumulative = np.concatenate([[0.0], np.cumsum(totals)])
        lo = np.minimum.outer(np.arange(k), np.arange(k))
        hi = np.maximum.outer(np.arange(k), np.arange(k))
        between = cumulative[hi + 1] - cumulative[lo]
        return (between - (totals[lo] + totals[hi]) / 2) ** 2
    values = np.asarray(cats, dtype=float)
    diff = np.subtract.outer(values, values)
    if level == "interval":
        return diff**2
    total = np.add.outer(values, values)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total == 0, 0.0, (diff / total) ** 2)


def krippendorff_alpha(data: RatingsLike, level: str = "nominal") -> float:
    """Krippendorff's alpha for any number of raters, tolerant of missing ratings.

    ``level`` is "nominal", "ordinal", "interval" or "ratio". Items rated once are ignored.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    units = as_ratings(data).pairable()
    seen = {v for values in units.values() for v in values}
    cats = (
        sorted(seen)
        if level != "nominal"
        else list(dict.fromkeys(v for values in units.values() for v in values))
    )
    if not cats:
        return math.nan
    index = {c: i for i, c in enumerate(cats)}
    coincidences = np.zeros((len(cats), len(cats)))
    for values in units.values():
        counts = np.zeros(len(cats))
        for v in values:
            counts[index[v]] += 1
        coincidences += (np.outer(counts, counts) - np.diag(counts)) / (len(values) - 1)
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    delta = _delta_squared(level, cats, totals)
    expected = float((np.outer(totals, totals) * delta).sum())
    if expected <= 1e-12:
        return math.nan
    return 1.0 - (n - 1) * float((coincidences * delta).sum()) / expected


# --- severity and disagreement ranking ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RaterSeverity:
    """How a rater grades relative to the others: negative offset = stricter than peers."""

    rater: Hashable
    offset: float
    n: int
    sd: float


def rater_severity(data: RatingsLike, consensus: str = "mean") -> list[RaterSeverity]:
    """Each rater's mean offset from the consensus of the *other* raters on the same items.

    The consensus leaves the rater out (mean or median of the others), so one harsh
    reviewer does not drag the yardstick toward themself. ``n`` counts the items compared.
    Sorted from the strictest rater to the most lenient.
    """
    if consensus not in ("mean", "median"):
        raise ValueError("consensus must be 'mean' or 'median'")
    centre = statistics.fmean if consensus == "mean" else statistics.median
    offsets: dict[Hashable, list[float]] = defaultdict(list)
    for values in as_ratings(data).by_item.values():
        for rater, value in values.items():
            others = [float(v) for r, v in values.items() if r != rater]
            if others:
                offsets[rater].append(float(value) - centre(others))
    out = [
        RaterSeverity(r, statistics.fmean(d), len(d), statistics.stdev(d) if len(d) > 1 else 0.0)
        for r, d in offsets.items()
    ]
    return sorted(out, key=lambda s: (s.offset, str(s.rater)))


@dataclass(frozen=True, slots=True)
class ItemDisagreement:
    """How much the raters of one item disagree, with their values for the discussion."""

    item: Hashable
    disagreement: float
    n: int
    values: Mapping[Hashable, Any]


def _item_disagreement(values: list[Any], level: str) -> float:
    if level == "nominal":
        return 1.0 - _pair_agreement(values)
    return float(np.mean([abs(float(a) - float(b)) for a, b in combinations(values, 2)]))


def item_disagreement(data: RatingsLike, level: str = "interval") -> list[ItemDisagreement]:
    """Items rated at least twice, most disputed first: what a calibration session discusses.

    Disagreement is the mean absolute difference between raters' values ("interval"; pass
    0-100 scale positions to compare different scales) or the share of rater pairs that
    disagree ("nominal").
    """
    if level not in ("nominal", "interval"):
        raise ValueError("level must be 'nominal' or 'interval'")
    rows = [
        ItemDisagreement(item, _item_disagreement(list(v.values()), level), len(v), dict(v))
        for item, v in as_ratings(data).by_item.items()
        if len(v) >= 2
    ]
    return sorted(rows, key=lambda r: (-r.disagreement, -r.n, str(r.item)))


@dataclass(frozen=True, slots=True)
class GroupDisagreement:
    """Disagreement pooled over a group of items, e.g. one rubric criterion."""

    group: Hashable
    disagreement: float
    items: int
    alpha: float


def disagreement_by_group(
    data: RatingsLike, group_of: Callable[[Hashable], Hashable], level: str = "interval"
) -> list[GroupDisagreement]:
    """Rank groups of items (criteria, teams...) by mean item disagreement, worst first.

    With items keyed ``(conversation_id, criterion_id)``, ``group_of=lambda i: i[1]`` shows
    which criteria reviewers read differently. ``alpha`` is Krippendorff's alpha per group.
    """
    ratings = as_ratings(data)
    groups: dict[Hashable, dict] = defaultdict(dict)
    for item, values in ratings.by_item.items():
        groups[group_of(item)][item] = values
    rows = []
    for group, by_item in groups.items():
        scored = item_disagreement(Ratings(by_item), level)
        if scored:
            mean = float(np.mean([s.disagreement for s in scored]))
            rows.append(
                GroupDisagreement(
                    group, mean, len(scored), krippendorff_alpha(Ratings(by_item), level)
                )
            )
    return sorted(rows, key=lambda r: (-r.disagreement, -r.items, str(r.group)))
