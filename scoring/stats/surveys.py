"""Survey figures beyond single shares: the CSI, and whether the answers can be trusted.

A CSAT of 92% from 14 answers given by three customers out of 600 contacts is not a
measurement of the team; ``check_survey`` says so in words the dashboard can show next to
the number. The thresholds and their sources are in docs/statistics.md, §3.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scoring.stats.estimate import Estimate, clean_values, is_missing
from scoring.stats.means import mean_interval

__all__ = [
    "MIN_RESPONSES",
    "MIN_RESPONSE_RATE",
    "MIN_CUSTOMER_SHARE",
    "POLARISED_SHARE",
    "SurveyWarning",
    "check_survey",
    "csi",
]

MIN_RESPONSES = 30
MIN_RESPONSE_RATE = 0.10
MIN_CUSTOMER_SHARE = 0.5
POLARISED_SHARE = 0.8
POLARISED_LOW_END = 0.1


def _respondent_index(
    row: Mapping[Hashable, Any],
    weights: Mapping[Hashable, float],
    scale: tuple[float, float],
    index: int,
) -> float:
    """One respondent's 0-100 index over the attributes they rated (NaN if none)."""
    low, high = scale
    total = weighted = 0.0
    for attribute, rating in row.items():
        if is_missing(rating):
            continue
        if attribute not in weights:
            raise ValueError(
                f"respondent {index}: attribute {attribute!r} has no importance weight"
            )
        try:
            (value,) = clean_values([rating], bounds=scale)
        except ValueError:
            raise ValueError(
                f"respondent {index}, {attribute!r}: {rating!r} is not a rating on the "
                f"{low:g}-{high:g} scale"
            ) from None
        total += weights[attribute]
        weighted += weights[attribute] * (value - low) / (high - low) * 100.0
    return weighted / total if total > 0 else math.nan


def _check_importance(importance: Mapping[Hashable, Any]) -> dict[Hashable, float]:
    weights = dict(importance)
    numbers = clean_values(list(weights.values()), what="importance weight", bounds=(0.0, math.inf))
    if numbers.size != len(weights):
        raise ValueError("every attribute needs an importance weight (one is None or NaN)")
    if numbers.sum() <= 0:
        raise ValueError("importance weights must include at least one positive weight")
    return dict(zip(weights, (float(v) for v in numbers), strict=True))


def csi(
    responses: pd.DataFrame | Sequence[Mapping[str, Any]],
    importance: Mapping[str, float],
    *,
    scale: tuple[float, float] = (1.0, 5.0),
    level: float = 0.95,
) -> Estimate:
    """Customer Satisfaction Index: importance-weighted satisfaction, 0-100, with interval.

    Each respondent's ratings (one column/key per attribute) become one index,
    sum(w * position on scale) / sum(w) over the attributes they rated, exactly as N/A
    criteria leave a review score (docs/score-formula.md). The interval is then the t
    interval over respondents, not over ratings: one customer's attributes are correlated,
    so counting them as independent observations would make it far too narrow.
    """
    weights = _check_importance(importance)
    if scale[1] <= scale[0]:
        raise ValueError(f"scale must go from low to high, got {scale!r}")
    rows = responses.to_dict("records") if isinstance(responses, pd.DataFrame) else responses
    indices = [_respondent_index(row, weights, scale, i) for i, row in enumerate(rows)]
    result = mean_interval([v for v in indices if not math.isnan(v)], level=level)
    return Estimate(
        result.estimate, result.low, result.high, result.n, "csi: t over respondents", level
    )


@dataclass(frozen=True, slots=True)
class SurveyWarning:
    """Why survey figures may not speak for the customers: a code the UI translates,
    an English sentence for notebooks, and the measured value against its threshold."""

    code: str
    message: str
    value: float
    threshold: float


def _effective_customers(customer_ids: Sequence[Hashable | None]) -> float:
    """Inverse Simpson count: how many equally active customers the answers amount to."""
    counts = Counter(c for c in customer_ids if not is_missing(c))
    unknown = sum(1 for c in customer_ids if is_missing(c))
    squares = sum(v * v for v in counts.values()) + unknown
    return len(customer_ids) ** 2 / squares if squares else 0.0


def _polarised(values: np.ndarray, scale: tuple[float, float]) -> tuple[float, float]:
    low_end, high_end = float(np.mean(values == scale[0])), float(np.mean(values == scale[1]))
    return low_end + high_end, low_end


def check_survey(
    ratings: Iterable[Any],
    *,
    customer_ids: Sequence[Hashable | None] | None = None,
    contacts: int | None = None,
    scale: tuple[float, float] = (1.0, 5.0),
    min_responses: int = MIN_RESPONSES,
    min_response_rate: float = MIN_RESPONSE_RATE,
    min_customer_share: float = MIN_CUSTOMER_SHARE,
    polarised_share: float = POLARISED_SHARE,
) -> tuple[SurveyWarning, ...]:
    """Explicit warnings when survey answers may not represent the customers served.

    ``ratings`` are the answers (None/NaN = no answer, ignored); ``customer_ids`` align with
    them; ``contacts`` is how many conversations were surveyed. An empty tuple means none
    of the checks fired, not that the survey is proven representative.
    """
    raw = list(ratings)
    present = [i for i, r in enumerate(raw) if not is_missing(r)]
    values = clean_values([raw[i] for i in present], what="rating", bounds=scale)
    n = int(values.size)
    found: list[SurveyWarning] = []
    if n < min_responses:
        found.append(
            _warn(
                "too_few_responses",
                f"too few responses: n = {n} < {min_responses}",
                n,
                min_responses,
            )
        )
    if contacts is not None:
        found.extend(_rate_warning(n, contacts, min_response_rate))
    if customer_ids is not None and n:
        found.extend(_customer_warning(raw, customer_ids, present, min_customer_share))
    if n:
        extremes, low_end = _polarised(values, scale)
        if extremes >= polarised_share and low_end >= POLARISED_LOW_END:
            found.append(
                _warn(
                    "polarised",
                    f"skewed: {extremes:.0%} of responses are at the two ends of the scale "
                    f"(threshold {polarised_share:.0%}); satisfied-in-between customers seldom answer",
                    extremes,
                    polarised_share,
                )
            )
    return tuple(found)


def _warn(code: str, message: str, value: float, threshold: float) -> SurveyWarning:
    return SurveyWarning(code, message, float(value), float(threshold))


def _rate_warning(n: int, contacts: int, minimum: float) -> list[SurveyWarning]:
    if contacts < n:
        raise ValueError(f"contacts ({contacts}) cannot be fewer than responses ({n})")
    rate = n / contacts if contacts else 0.0
    if rate >= minimum:
        return []
    message = f"response rate below {minimum:.0%}: {n} of {contacts} contacts answered ({rate:.1%})"
    return [_warn("low_response_rate", message, rate, minimum)]


def _customer_warning(raw, customer_ids, present, minimum) -> list[SurveyWarning]:
    if len(customer_ids) != len(raw):
        raise ValueError(
            f"got {len(raw)} ratings but {len(customer_ids)} customer ids; they must pair up"
        )
    ids = [customer_ids[i] for i in present]
    effective = _effective_customers(ids)
    ratio = effective / len(ids)
    if ratio >= minimum:
        return []
    message = (
        f"skewed: responses come from a few customers ({len(ids)} answers are worth "
        f"{effective:.1f} equally active customers, {ratio:.0%} < {minimum:.0%})"
    )
    return [_warn("few_customers", message, ratio, minimum)]
