"""Effect sizes for "what drives satisfaction": how strongly a criterion or signal goes with
an outcome (CSAT, CSAT >= 4, NPS, repeat contact, escalation), with intervals and honest
labels. Association, not cause: docs/statistics.md §6 says what these can and
cannot show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np
from scipy import stats

from scoring.stats.compare import compare_means
from scoring.stats.estimate import Estimate, clean_values, is_missing, z_quantile
from scoring.stats.proportions import proportion_difference

__all__ = [
    "THRESHOLDS",
    "Relation",
    "Strength",
    "StrengthLabel",
    "correlation",
    "odds_ratio",
    "relate",
    "standardized_mean_difference",
    "strength",
]

#: Magnitudes where an effect becomes weak / moderate / strong. Cohen (1988) for r and d;
#: Chen, Cohen & Chen (2010) for the odds ratio (the ORs equivalent to d = 0.2, 0.5, 0.8).
THRESHOLDS: dict[str, tuple[float, float, float]] = {
    "pearson": (0.1, 0.3, 0.5),
    "spearman": (0.1, 0.3, 0.5),
    "hedges g": (0.2, 0.5, 0.8),
    "odds ratio": (1.68, 3.47, 6.71),
}


def _z(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    return float(z_quantile(0.5 + level / 2.0))


def _paired(x: Sequence[Any], y: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Pairs where both values are present (pairwise deletion); bad values raise."""
    fast = _paired_numeric(x, y)
    if fast is not None:
        return fast
    x, y = list(x), list(y)
    if len(x) != len(y):
        raise ValueError(f"got {len(x)} signal values but {len(y)} outcomes; they must pair up")
    present = [i for i in range(len(x)) if not is_missing(x[i]) and not is_missing(y[i])]
    return (
        clean_values([x[i] for i in present], what="signal", bounds=None),
        clean_values([y[i] for i in present], what="outcome", bounds=None),
    )


def _paired_numeric(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """``_paired`` in a few array steps for two numeric arrays of equal length with nothing
    to report (the drivers page relates thousands of pairs 160 times a page); None sends
    the caller down the value-by-value path, which names each problem."""
    arrays = (x, y)
    if not all(isinstance(a, np.ndarray) and a.dtype.kind in "fiub" for a in arrays):
        return None
    a, b = (v.astype(float, copy=False).ravel() for v in arrays)
    if a.size != b.size:
        return None
    present = ~(np.isnan(a) | np.isnan(b))
    a, b = a[present], b[present]
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return None
    return a, b


def correlation(
    x: Sequence[Any],
    y: Sequence[Any],
    *,
    method: Literal["spearman", "pearson"] = "spearman",
    level: float = 0.95,
) -> Estimate:
    """Correlation with a Fisher-z interval; pairs with a missing value are dropped.

    Spearman is the default because CSAT and NPS are ordinal and criterion scores pile up
    at 100, so only the order is trustworthy; its z standard error is Bonett & Wright's
    (2000) sqrt((1 + r^2/2) / (n - 3)), Pearson's the classic 1 / sqrt(n - 3). Fewer than
    three pairs or a constant variable give an undefined estimate.
    """
    z = _z(level)
    if method not in ("spearman", "pearson"):
        raise ValueError(f"method must be 'spearman' or 'pearson', got {method!r}")
    a, b = _paired(x, y)
    n = int(a.size)
    if n < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return Estimate.undefined(n, method, level)
    test = stats.spearmanr(a, b) if method == "spearman" else stats.pearsonr(a, b)
    r = float(test.statistic)
    if n == 3:
        return Estimate(r, -1.0, 1.0, n, method, level)
    if abs(r) >= 1.0 - 1e-12:  # atanh(1) is infinite: see _perfect
        return _perfect(r, n, z, method, level)
    spread = (1.0 + r * r / 2.0) if method == "spearman" else 1.0
    centre = math.atanh(r)
    half = z * math.sqrt(spread / (n - 3))
    return Estimate(r, math.tanh(centre - half), math.tanh(centre + half), n, method, level)


def _perfect(r: float, n: int, z: float, method: str, level: float) -> Estimate:
    """Interval for a perfect sample correlation, which Fisher's z cannot give.

    Computed as if |r| were 1 - 1/(2n) (the correlation-scale analogue of the half count
    added to an empty odds-ratio cell), with the outer end at +-1: four points on a line
    then give roughly -0.7..1 instead of a false 0.9999..1.
    """
    sign = 1.0 if r > 0 else -1.0
    proxy = 1.0 - 1.0 / (2.0 * n)
    spread = (1.0 + proxy * proxy / 2.0) if method == "spearman" else 1.0
    near = math.tanh(math.atanh(proxy) - z * math.sqrt(spread / (n - 3)))
    low, high = (near, 1.0) if sign > 0 else (-1.0, -near)
    return Estimate(sign, low, high, n, method, level)


def standardized_mean_difference(
    group_a: Sequence[Any], group_b: Sequence[Any], *, level: float = 0.95
) -> Estimate:
    """Hedges' g = J (mean_a - mean_b) / pooled sd, with its large-sample interval.

    Hedges' small-sample correction J = 1 - 3 / (4 (n_a + n_b) - 9) removes the upward
    bias of Cohen's d, which matters for the 10-30 conversations a criterion often has;
    SE = sqrt((n_a + n_b) / (n_a n_b) + g^2 / (2 (n_a + n_b))) (Hedges & Olkin 1985).
    """
    z = _z(level)
    a = clean_values(group_a, what="value", bounds=None)
    b = clean_values(group_b, what="value", bounds=None)
    n_a, n_b = int(a.size), int(b.size)
    if n_a < 2 or n_b < 2:
        return Estimate.undefined(n_a + n_b, "hedges g", level)
    pooled = ((n_a - 1) * a.var(ddof=1) + (n_b - 1) * b.var(ddof=1)) / (n_a + n_b - 2)
    if pooled <= 0:
        return Estimate.undefined(n_a + n_b, "hedges g", level)
    g = (1.0 - 3.0 / (4.0 * (n_a + n_b) - 9.0)) * (a.mean() - b.mean()) / math.sqrt(pooled)
    se = math.sqrt((n_a + n_b) / (n_a * n_b) + g * g / (2.0 * (n_a + n_b)))
    return Estimate(float(g), float(g - z * se), float(g + z * se), n_a + n_b, "hedges g", level)


def odds_ratio(
    both: int, signal_only: int, outcome_only: int, neither: int, *, level: float = 0.95
) -> Estimate:
    """Odds ratio of the outcome with vs without the signal, Woolf's log interval.

    Cells: signal & outcome, signal & no outcome, outcome without signal, neither. A zero
    cell gets 0.5 added to every cell (Haldane-Anscombe) so the ratio and interval stay
    finite; an empty row or column (the signal or the outcome never varies) is undefined.
    """
    z = _z(level)
    cells = [both, signal_only, outcome_only, neither]
    if any(isinstance(c, bool) or int(c) != c or c < 0 for c in cells):
        raise ValueError(f"odds-ratio cells must be whole counts >= 0, got {cells}")
    n = int(sum(cells))
    a, b, c, d = (float(v) for v in cells)
    if min(a + b, c + d, a + c, b + d) == 0:
        return Estimate.undefined(n, "odds ratio", level)
    method = "odds ratio"
    if min(cells) == 0:
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
        method = "odds ratio (+0.5 per cell)"
    log_or = math.log(a * d / (b * c))
    half = z * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return Estimate(
        math.exp(log_or), math.exp(log_or - half), math.exp(log_or + half), n, method, level
    )


class StrengthLabel(StrEnum):
    """Words for an effect's size; values are stable i18n keys."""

    NEGLIGIBLE = "negligible"
    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"


@dataclass(frozen=True, slots=True)
class Strength:
    """The label of the point estimate and the range of labels its interval allows.

    "moderate, but anywhere from negligible to strong" is what an interval from -0.05 to
    0.6 honestly says; ``distinguishable`` is False when the interval includes no effect.
    """

    label: StrengthLabel
    lowest: StrengthLabel
    highest: StrengthLabel
    distinguishable: bool


def _kind(effect: Estimate) -> str:
    kind = effect.method.split(" (")[0]
    if kind not in THRESHOLDS:
        raise ValueError(
            f"no strength thresholds for a {effect.method!r} estimate; use {sorted(THRESHOLDS)}"
        )
    return kind


def _label(magnitude: float, cuts: tuple[float, float, float]) -> StrengthLabel:
    names = (StrengthLabel.WEAK, StrengthLabel.MODERATE, StrengthLabel.STRONG)
    found = StrengthLabel.NEGLIGIBLE
    for cut, name in zip(cuts, names, strict=True):
        if magnitude >= cut:
            found = name
    return found


def strength(effect: Estimate) -> Strength:
    """Label an effect size (correlation, Hedges' g, odds ratio) with Cohen-style cut-offs.

    The cut-offs are conventions for when nothing better is known, as Cohen himself warned,
    so the label always comes with the range its interval allows. Odds ratios below 1 are
    labelled by 1/OR. An undefined effect raises ValueError rather than being "negligible".
    """
    kind = _kind(effect)
    if not effect.defined:
        raise ValueError("cannot label an undefined effect (too little data)")
    cuts = THRESHOLDS[kind]
    ratio = kind == "odds ratio"

    def size(value: float) -> float:
        return math.exp(abs(math.log(value))) if ratio else abs(value)

    null = 1.0 if ratio else 0.0
    ends = sorted((size(effect.low), size(effect.high)))
    distinguishable = effect.excludes(null)
    lowest = _label(ends[0], cuts) if distinguishable else StrengthLabel.NEGLIGIBLE
    return Strength(
        _label(size(effect.estimate), cuts), lowest, _label(ends[1], cuts), distinguishable
    )


@dataclass(frozen=True, slots=True)
class Relation:
    """How a signal goes with an outcome: a correlation comparable across signals, plus the
    difference in natural units and, for two yes/no variables, the odds ratio."""

    n: int
    correlation: Estimate
    difference: Estimate | None
    odds_ratio: Estimate | None
    strength: Strength | None


def _binary(values: np.ndarray) -> bool:
    return values.size > 0 and bool(np.all((values == 0) | (values == 1)))


def relate(signal: Sequence[Any], outcome: Sequence[Any], *, level: float = 0.95) -> Relation:
    """Relation of one criterion score or signal to one outcome, each with its n.

    The Spearman r is the common yardstick (for two yes/no variables it equals phi), and
    the label comes from it. ``difference`` is in the outcome's units: with a yes/no signal,
    outcome mean (or share) with the signal minus without it; with a yes/no outcome and a
    continuous signal, Hedges' g of the signal between outcome = 1 and outcome = 0.
    """
    x, y = _paired(signal, outcome)
    r = correlation(x, y, level=level)
    difference = ratio = None
    if _binary(x) and _binary(y):
        on, off = y[x == 1], y[x == 0]
        difference = proportion_difference(
            int(on.sum()), on.size, int(off.sum()), off.size, level=level
        )
        ratio = odds_ratio(
            int(on.sum()),
            int(on.size - on.sum()),
            int(off.sum()),
            int(off.size - off.sum()),
            level=level,
        )
    elif _binary(x):
        difference = compare_means(
            y[x == 0], y[x == 1], level=level, bounds=None, prior_df=0.0
        ).difference
    elif _binary(y):
        difference = standardized_mean_difference(x[y == 1], x[y == 0], level=level)
    label = strength(r) if r.defined else None
    return Relation(int(x.size), r, difference, ratio, label)
