"""Before/after comparisons: did coaching (or a process change) move the figure?

The verdict follows the interval of the difference: "improved" or "worsened" only when the
whole interval lies on one side of zero, otherwise "not distinguishable from noise yet",
together with how many reviews per period a difference of this size would need.
Formulas: docs/statistics.md, §5.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scipy import stats

from scoring.stats.estimate import SCORE_BOUNDS, Estimate, clean_values, t_quantile, z_quantile
from scoring.stats.means import (
    DEFAULT_PRIOR_DF,
    DEFAULT_PRIOR_SD,
    mean_interval,
    regularised_variance,
)
from scoring.stats.proportions import proportion_difference, wilson_interval

__all__ = [
    "POWER",
    "Comparison",
    "Verdict",
    "compare_means",
    "compare_proportions",
    "reviews_needed_for_means",
    "reviews_needed_for_proportions",
]

#: Power used for "how many more reviews": the conventional 80% (Cohen 1988).
POWER = 0.8
#: Beyond this many reviews per period a difference is "never distinguishable" (None).
_UNREACHABLE = 1e9


class Verdict(StrEnum):
    """Plain-language outcome of a comparison; values are stable i18n keys."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    NOT_DISTINGUISHABLE = "not_distinguishable"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two periods and their difference (after - before).

    ``reviews_needed_per_period`` answers "if the true difference were this size, how many
    reviews in each period would show it 80% of the time at the 5% level?" (None when the
    difference is 0); ``more_reviews_needed`` is what each period lacks, (before, after),
    and (0, 0) once the difference is already distinguishable.
    """

    before: Estimate
    after: Estimate
    difference: Estimate
    p_value: float
    verdict: Verdict
    reviews_needed_per_period: int | None
    more_reviews_needed: tuple[int, int] | None


def _verdict(difference: Estimate, higher_is_better: bool) -> Verdict:
    if not difference.excludes(0.0):
        return Verdict.NOT_DISTINGUISHABLE
    up = difference.low > 0
    return Verdict.IMPROVED if up == higher_is_better else Verdict.WORSENED


def _more(
    needed: int | None, n_before: int, n_after: int, verdict: Verdict
) -> tuple[int, int] | None:
    """What each period lacks; nothing once the difference is already distinguishable."""
    if needed is None:
        return None
    if verdict is not Verdict.NOT_DISTINGUISHABLE:
        return 0, 0
    return max(0, needed - n_before), max(0, needed - n_after)


def _alpha_beta(level: float, power: float) -> tuple[float, float]:
    if not 0.0 < level < 1.0 or not 0.0 < power < 1.0:
        raise ValueError("level and power must lie strictly between 0 and 1")
    return 0.5 + level / 2.0, power


def reviews_needed_for_means(
    difference: float,
    var_before: float,
    var_after: float,
    *,
    level: float = 0.95,
    power: float = POWER,
) -> int | None:
    """Reviews per period for a Welch test to detect ``difference`` with ``power``.

    n = (t_{1-alpha/2} + t_{power})^2 (s1^2 + s2^2) / d^2, solved by iterating the t
    quantiles at the Welch degrees of freedom of equal-sized periods (normal quantiles
    alone understate n when it is small). At least 2; None when no attainable number of
    reviews would do (a difference of 0, or one needing over a billion reviews).
    """
    upper, beta = _alpha_beta(level, power)
    total = var_before + var_after
    if difference**2 == 0 or not math.isfinite(difference) or not total > 0:
        return None
    n = (z_quantile(upper) + z_quantile(beta)) ** 2 * total / difference**2
    if n > _UNREACHABLE:
        return None
    for _ in range(20):
        df = max(total**2 * (n - 1) / (var_before**2 + var_after**2), 1.0)
        updated = (t_quantile(upper, df) + t_quantile(beta, df)) ** 2 * total / difference**2
        if abs(updated - n) < 1e-6:
            break
        n = updated
    return max(2, math.ceil(n - 1e-9))


def compare_means(
    before: Iterable[Any],
    after: Iterable[Any],
    *,
    higher_is_better: bool = True,
    level: float = 0.95,
    power: float = POWER,
    bounds: tuple[float, float] | None = SCORE_BOUNDS,
    prior_sd: float = DEFAULT_PRIOR_SD,
    prior_df: float = DEFAULT_PRIOR_DF,
) -> Comparison:
    """Welch's comparison of two periods' review scores (after - before).

    Welch, not Student, because coaching changes the spread as well as the mean and the
    periods rarely have equal counts; Welch keeps its level when variances differ and loses
    almost nothing when they do not (Delacre, Lakens & Leys 2017). Each period's variance
    carries the same weak prior as ``mean_interval`` (``prior_df=0``: textbook Welch), so
    one review or equal scores still give an answer: "not distinguishable yet".
    """
    x_before, x_after = clean_values(before, bounds=bounds), clean_values(after, bounds=bounds)
    kwargs = dict(level=level, bounds=bounds, prior_sd=prior_sd, prior_df=prior_df)
    est_before, est_after = mean_interval(x_before, **kwargs), mean_interval(x_after, **kwargs)
    n1, n2 = int(x_before.size), int(x_after.size)
    if n1 == 0 or n2 == 0:
        undefined = Estimate.undefined(n1 + n2, "welch", level)
        return Comparison(
            est_before, est_after, undefined, math.nan, Verdict.NOT_DISTINGUISHABLE, None, None
        )
    var1, df1 = regularised_variance(
        float(((x_before - x_before.mean()) ** 2).sum()), n1 - 1.0, prior_sd, prior_df
    )
    var2, df2 = regularised_variance(
        float(((x_after - x_after.mean()) ** 2).sum()), n2 - 1.0, prior_sd, prior_df
    )
    diff = est_after.estimate - est_before.estimate
    span = bounds[1] - bounds[0] if bounds is not None else math.inf
    difference, p_value = _welch(diff, (var1, n1, df1), (var2, n2, df2), level, span)
    needed = reviews_needed_for_means(diff, var1, var2, level=level, power=power)
    verdict = _verdict(difference, higher_is_better)
    return Comparison(
        est_before, est_after, difference, p_value, verdict, needed, _more(needed, n1, n2, verdict)
    )


def _welch(
    diff: float, first: tuple, second: tuple, level: float, span: float
) -> tuple[Estimate, float]:
    """Interval and two-sided p-value of ``diff`` with Welch-Satterthwaite degrees of freedom;
    the interval is clipped to +-``span``, the most two means on a bounded scale can differ."""
    (var1, n1, df1), (var2, n2, df2) = first, second
    n = int(n1 + n2)
    if df1 <= 0 or df2 <= 0 or math.isnan(var1) or math.isnan(var2):
        return Estimate(diff, -span, span, n, "welch (no spread estimate)", level), 1.0
    a, b = var1 / n1, var2 / n2
    se = math.sqrt(a + b)
    if se == 0:
        return Estimate(diff, diff, diff, n, "welch", level), 0.0 if diff else 1.0
    df = (a + b) ** 2 / (a**2 / df1 + b**2 / df2)
    half = t_quantile(0.5 + level / 2.0, df) * se
    p_value = float(2.0 * stats.t.sf(abs(diff) / se, df))
    low, high = max(diff - half, -span), min(diff + half, span)
    return Estimate(diff, low, high, n, "welch", level), p_value


def reviews_needed_for_proportions(
    p_before: float, p_after: float, *, level: float = 0.95, power: float = POWER
) -> int | None:
    """Conversations per period to detect p_after - p_before with ``power`` (Fleiss, Levin & Paik 2003).

    n = [z_{1-alpha/2} sqrt(2 pbar qbar) + z_power sqrt(p1 q1 + p2 q2)]^2 / (p2 - p1)^2,
    the pooled-variance two-proportion z-test without continuity correction.
    """
    upper, beta = _alpha_beta(level, power)
    diff = p_after - p_before
    if diff**2 == 0 or not math.isfinite(diff):
        return None
    pbar = (p_before + p_after) / 2.0
    spread = z_quantile(upper) * math.sqrt(2 * pbar * (1 - pbar))
    spread += z_quantile(beta) * math.sqrt(p_before * (1 - p_before) + p_after * (1 - p_after))
    n = spread**2 / diff**2
    return None if n > _UNREACHABLE else max(2, math.ceil(n - 1e-9))


def compare_proportions(
    successes_before: int,
    n_before: int,
    successes_after: int,
    n_after: int,
    *,
    higher_is_better: bool = True,
    level: float = 0.95,
    power: float = POWER,
) -> Comparison:
    """Compare two periods' shares (CSAT, FCR, SLA met; critical fails with
    ``higher_is_better=False``): Newcombe interval of the difference, pooled z-test p-value.

    The verdict follows the Newcombe interval, which behaves at 0% and 100% where the
    z-test's normal approximation does not; the two agree except at the 5% boundary.
    """
    before = wilson_interval(successes_before, n_before, level=level)
    after = wilson_interval(successes_after, n_after, level=level)
    difference = proportion_difference(
        successes_after, n_after, successes_before, n_before, level=level
    )
    if not difference.defined:
        return Comparison(
            before, after, difference, math.nan, Verdict.NOT_DISTINGUISHABLE, None, None
        )
    pooled = (successes_before + successes_after) / (n_before + n_after)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_before + 1 / n_after))
    p_value = float(2 * stats.norm.sf(abs(difference.estimate) / se)) if se > 0 else 1.0
    needed = reviews_needed_for_proportions(
        before.estimate, after.estimate, level=level, power=power
    )
    verdict = _verdict(difference, higher_is_better)
    return Comparison(
        before,
        after,
        difference,
        p_value,
        verdict,
        needed,
        _more(needed, n_before, n_after, verdict),
    )
