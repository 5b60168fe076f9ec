"""Whether an automatic suggestion beside a rubric criterion has earned its place.

A suggestion is worth showing a reviewer only if it agrees with the team's reviewers at
least as well as the reviewers agree with each other: below that, it would pull grades
away from what calibrated people decide. Both figures are Cohen's weighted kappa (linear
weights over the criterion's scale, ``scoring.rubric.agreement.cohens_kappa``): the
suggestion against the human grade on conversations that have both, and one reviewer
against another on conversations graded twice (calibration sessions, overlapping reviews).

Fewer than ``MIN_PAIRS`` pairs on either side (or a kappa that is undefined, as when every
grade is the same) gives no verdict: the suggestion stays visible, marked as not yet
checked, because hiding every suggestion of a team that has not calibrated yet would
remove the help exactly when there is nothing else to go on. 10 pairs is the smallest
sample on which a kappa's standard error (about 0.2 at n = 10 for kappas near 0.5) lets a
gap of a few tenths mean something.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scoring.rubric.agreement import cohens_kappa

MIN_PAIRS = 10
EARNED, BELOW_REVIEWERS, UNMEASURED = "earned", "below_reviewers", "unmeasured"


@dataclass(frozen=True, slots=True)
class SuggestionVerdict:
    """``shown`` and why (``reason``), with the two kappas and how many pairs each rests on."""

    shown: bool
    reason: str
    auto_kappa: float | None
    auto_pairs: int
    reviewer_kappa: float | None
    reviewer_pairs: int


def weighted_kappa(
    first: Sequence[Any], second: Sequence[Any], categories: Sequence[Any]
) -> float | None:
    """Linear-weighted Cohen's kappa over the whole scale; None when undefined or empty."""
    if not first:
        return None
    value = cohens_kappa(first, second, weights="linear", categories=list(categories))
    return None if math.isnan(value) else round(value, 4)


def judge_suggestion(
    suggested: Sequence[Any],
    graded: Sequence[Any],
    reviewer_a: Sequence[Any],
    reviewer_b: Sequence[Any],
    categories: Sequence[Any],
    min_pairs: int = MIN_PAIRS,
) -> SuggestionVerdict:
    """The verdict for one criterion: ``suggested``/``graded`` are aligned (suggestion,
    human grade) pairs, ``reviewer_a``/``reviewer_b`` aligned grades of two different
    reviewers of the same conversation; ``categories`` is the criterion's scale."""
    auto = weighted_kappa(suggested, graded, categories)
    reviewers = weighted_kappa(reviewer_a, reviewer_b, categories)
    n_auto, n_reviewers = len(suggested), len(reviewer_a)
    measured = (
        auto is not None
        and reviewers is not None
        and n_auto >= min_pairs
        and n_reviewers >= min_pairs
    )
    if not measured:
        return SuggestionVerdict(True, UNMEASURED, auto, n_auto, reviewers, n_reviewers)
    if auto >= reviewers:
        return SuggestionVerdict(True, EARNED, auto, n_auto, reviewers, n_reviewers)
    return SuggestionVerdict(False, BELOW_REVIEWERS, auto, n_auto, reviewers, n_reviewers)
