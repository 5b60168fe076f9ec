"""The one result type of the statistics library, and the input checks every function shares.

Every figure a scorecard, dashboard or coaching report shows is an ``Estimate``: the number,
its interval, how many observations it rests on and how it was computed. One type means the
UI has one way to print "72.4 (68.1-76.0), n = 23" and one way to say "not enough data".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import special

__all__ = [
    "SCORE_BOUNDS",
    "Estimate",
    "clean_values",
    "is_missing",
    "show_key",
    "t_quantile",
    "z_quantile",
]

#: Review scores, criterion scores and CSI all live on the 0-100 scale of docs/score-formula.md.
SCORE_BOUNDS: tuple[float, float] = (0.0, 100.0)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A figure with its interval (``low``..``high`` at ``level``), sample size and method.

    An estimate that the data cannot support (no observations, a constant variable for a
    correlation) has NaN for ``estimate``, ``low`` and ``high``, rather than a made-up 0:
    the caller shows "not enough data" instead of a number. ``n_effective`` is set where
    weighting or clustering makes the information worth fewer than ``n`` observations.
    """

    estimate: float
    low: float
    high: float
    n: int
    method: str
    level: float = 0.95
    n_effective: float | None = None

    def __post_init__(self) -> None:
        # numpy scalars in, plain Python numbers out: results go to JSON, YAML and Streamlit.
        for name in ("estimate", "low", "high", "level"):
            object.__setattr__(self, name, float(getattr(self, name)))
        object.__setattr__(self, "n", int(self.n))
        if self.n_effective is not None:
            object.__setattr__(self, "n_effective", float(self.n_effective))

    @classmethod
    def undefined(cls, n: int, method: str, level: float = 0.95) -> Estimate:
        """An estimate the data cannot support: NaN everywhere but ``n`` and ``method``."""
        return cls(math.nan, math.nan, math.nan, n, method, level)

    @property
    def defined(self) -> bool:
        """False when there was too little data for a number (the UI shows a dash)."""
        return not math.isnan(self.estimate)

    @property
    def half_width(self) -> float:
        """Half the interval's width: the "±" a reader can compare across agents."""
        return (self.high - self.low) / 2.0

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval (ends included)."""
        return self.low <= value <= self.high

    def excludes(self, value: float) -> bool:
        """Whether the interval is defined and ``value`` lies outside it."""
        return self.defined and not math.isnan(self.low) and not self.contains(value)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON, CSV and DataFrame rows."""
        return asdict(self)


def is_missing(value: Any) -> bool:
    """None and NaN (numpy's and pandas' too) mean "not scored" / "not answered"."""
    if value is None:
        return True
    try:
        return bool(np.isnan(value))
    except TypeError:
        return False


def clean_values(
    values: Iterable[Any],
    *,
    what: str = "score",
    bounds: tuple[float, float] | None = SCORE_BOUNDS,
) -> np.ndarray:
    """Float array of the present values; None and NaN are dropped as "not scored".

    Anything else that is not a finite number inside ``bounds`` is an input error, reported
    with its position, because silently dropping a 120 or a "n/a" string would change an
    agent's score without anyone noticing.
    """
    fast = _clean_numeric(values, bounds)
    if fast is not None:
        return fast
    kept: list[float] = []
    problems: list[str] = []
    for position, value in enumerate(values):
        if is_missing(value):
            continue
        number = _as_number(value)
        if number is None or math.isinf(number):
            problems.append(f"{what} at position {position} is {value!r}, not a finite number")
        elif bounds is not None and not bounds[0] <= number <= bounds[1]:
            problems.append(
                f"{what} at position {position} is {number:g}, outside {bounds[0]:g}-{bounds[1]:g}"
            )
        else:
            kept.append(number)
        if len(problems) >= 5:
            problems.append("(further problems not listed)")
            break
    if problems:
        raise ValueError("; ".join(problems))
    return np.asarray(kept, dtype=float)


def _clean_numeric(values: Any, bounds: tuple[float, float] | None) -> np.ndarray | None:
    """Vectorised path for numeric arrays with nothing to report; None sends the caller
    down the element-by-element path, which names each problem."""
    if not isinstance(values, np.ndarray) or values.dtype.kind not in "fiub":
        return None
    array = values.astype(float, copy=False).ravel()
    array = array[~np.isnan(array)]
    if not np.all(np.isfinite(array)):
        return None
    if bounds is not None and array.size and (array.min() < bounds[0] or array.max() > bounds[1]):
        return None
    return array


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, str | bytes):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def show_key(key: Any) -> str:
    """An agent, reviewer or conversation id as a person wrote it: 7 or 'c-1', not
    np.int64(7), in error messages."""
    return repr(key.item() if isinstance(key, np.generic) else key)


def z_quantile(p: float) -> float:
    """Standard normal quantile (scipy.special, ~100x faster than stats.norm.ppf, which
    matters in the simulation's thousands of intervals)."""
    return float(special.ndtri(p))


def t_quantile(p: float, df: float) -> float:
    """Student t quantile for any positive (also fractional) degrees of freedom."""
    return float(special.stdtrit(df, p))
