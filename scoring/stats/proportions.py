"""Shares with Wilson intervals (CSAT, FCR, SLA compliance, critical fails) and the NPS.

Shares are returned on the 0-1 scale (the UI formats them as percentages); the NPS on its
customary -100..+100 scale. Formulas and sources: docs/statistics.md, §3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from scoring.stats.estimate import Estimate, clean_values, z_quantile

__all__ = [
    "csat",
    "nps",
    "proportion_difference",
    "response_rate",
    "share",
    "wilson_interval",
]


def _z(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    return float(z_quantile(0.5 + level / 2.0))


def _check_counts(successes: int, n: int, what: str = "successes") -> None:
    for name, value in ((what, successes), ("n", n)):
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"{name} must be a whole number, got {value!r}")
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"{what} must lie between 0 and n; got {successes} of {n}")


def _wilson_bounds(successes: int, n: int, z: float) -> tuple[float, float]:
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # the exact bounds at 0 and n are 0 and 1; min/max keep rounding from moving them
    return min(max(0.0, centre - half), p), max(min(1.0, centre + half), p)


def wilson_interval(successes: int, n: int, *, level: float = 0.95) -> Estimate:
    """Share ``successes / n`` with the Wilson score interval.

    Why Wilson: the textbook Wald interval p +- z*sqrt(p(1-p)/n) collapses to a point at
    0% or 100% (a week with no critical fails would claim a certain 0%) and undercovers
    for small n; Brown, Cai & DasGupta (2001) recommend Wilson for exactly these cases.
    """
    z = _z(level)
    _check_counts(successes, n)
    if n == 0:
        return Estimate.undefined(0, "wilson", level)
    low, high = _wilson_bounds(int(successes), int(n), z)
    return Estimate(successes / n, low, high, int(n), "wilson", level)


def share(flags: Iterable[Any], *, level: float = 0.95, what: str = "flag") -> Estimate:
    """Share of true flags (FCR, SLA met, critical fail, escalated) with a Wilson interval.

    None/NaN mean "unknown" and are left out of both counts, so an unanswered survey or an
    unmeasured SLA does not count as a failure. Anything but booleans or 0/1 raises.
    """
    values = clean_values(flags, what=what, bounds=(0.0, 1.0))
    bad = [v for v in values if v not in (0.0, 1.0)]
    if bad:
        raise ValueError(f"a {what} must be true/false or 0/1, got {bad[0]:g}")
    return wilson_interval(int(values.sum()), int(values.size), level=level)


def _ratings(ratings: Iterable[Any], low: int, high: int, what: str) -> list[int]:
    values = clean_values(ratings, what=what, bounds=(float(low), float(high)))
    off = [v for v in values if v != int(v)]
    if off:
        raise ValueError(f"a {what} must be a whole number from {low} to {high}, got {off[0]:g}")
    return [int(v) for v in values]


#: The usual cut-offs: CSAT counts 4-5 of 1-5 as satisfied; NPS promoters answer 9-10,
#: detractors 0-6 (of 0-10).
CSAT_SATISFIED_FROM = 4
NPS_PROMOTER_FROM = 9
NPS_DETRACTOR_UP_TO = 6


def csat(
    ratings: Iterable[Any], *, satisfied_from: int = CSAT_SATISFIED_FROM, level: float = 0.95
) -> Estimate:
    """CSAT: the share of 1-5 ratings at ``satisfied_from`` (4) or above, Wilson interval.

    CSAT is a share, not a mean rating, so it gets a proportion interval; unanswered
    surveys (None/NaN) are not counted in either part.
    """
    if satisfied_from not in (1, 2, 3, 4, 5):
        raise ValueError(f"satisfied_from must be a rating from 1 to 5, got {satisfied_from!r}")
    values = _ratings(ratings, 1, 5, "CSAT rating")
    satisfied = sum(v >= satisfied_from for v in values)
    result = wilson_interval(satisfied, len(values), level=level)
    return _renamed(result, f"wilson (CSAT {satisfied_from}-5)")


def _renamed(result: Estimate, method: str) -> Estimate:
    return Estimate(result.estimate, result.low, result.high, result.n, method, result.level)


def nps(ratings: Iterable[Any], *, level: float = 0.95) -> Estimate:
    """Net Promoter Score (promoters 9-10 minus detractors 0-6, -100..+100) with an interval.

    The interval is the adjusted Wald interval for a difference of two multinomial shares
    (3/4 pseudo-response added to promoters and to detractors, 3 to n), which Rocks (2016)
    found among the best-covering NPS intervals; the plain multinomial variance
    (p_pro + p_det - (p_pro - p_det)^2) / n collapses to a point at NPS = +-100.
    The estimate itself is the unadjusted NPS everyone else reports.
    """
    z = _z(level)
    values = _ratings(ratings, 0, 10, "NPS rating")
    n = len(values)
    if n == 0:
        return Estimate.undefined(0, "adjusted wald (NPS)", level)
    promoters = sum(v >= NPS_PROMOTER_FROM for v in values)
    detractors = sum(v <= NPS_DETRACTOR_UP_TO for v in values)
    score = (promoters - detractors) / n
    if n == 1:  # one answer says nothing about the spread (and the adjustment would
        # move the interval off the answer itself), as for a mean of one review
        return Estimate(
            100 * score, -100.0, 100.0, 1, "adjusted wald (NPS, n=1: whole scale)", level
        )
    n_adj = n + 3.0
    p_pro, p_det = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    centre = p_pro - p_det
    half = z * math.sqrt((p_pro + p_det - centre**2) / n_adj)
    low, high = max(-1.0, centre - half), min(1.0, centre + half)
    return Estimate(100 * score, 100 * low, 100 * high, n, "adjusted wald (NPS)", level)


def response_rate(responses: int, contacts: int, *, level: float = 0.95) -> Estimate:
    """Share of surveyed contacts that answered, with a Wilson interval."""
    _check_counts(responses, contacts, "responses")
    return _renamed(wilson_interval(responses, contacts, level=level), "wilson (response rate)")


def proportion_difference(
    successes_a: int, n_a: int, successes_b: int, n_b: int, *, level: float = 0.95
) -> Estimate:
    """Difference of two shares, a - b, with Newcombe's hybrid score interval (method 10).

    Built from the two Wilson intervals, it inherits their good behaviour at 0% and 100%
    and for small n (Newcombe 1998), where the Wald difference interval fails. ``n`` of the
    result is n_a + n_b.
    """
    z = _z(level)
    _check_counts(successes_a, n_a)
    _check_counts(successes_b, n_b)
    if n_a == 0 or n_b == 0:
        return Estimate.undefined(int(n_a + n_b), "newcombe", level)
    p_a, p_b = successes_a / n_a, successes_b / n_b
    l_a, u_a = _wilson_bounds(int(successes_a), int(n_a), z)
    l_b, u_b = _wilson_bounds(int(successes_b), int(n_b), z)
    diff = p_a - p_b
    low = diff - math.sqrt((p_a - l_a) ** 2 + (u_b - p_b) ** 2)
    high = diff + math.sqrt((u_a - p_a) ** 2 + (p_b - l_b) ** 2)
    return Estimate(diff, max(-1.0, low), min(1.0, high), int(n_a + n_b), "newcombe", level)
