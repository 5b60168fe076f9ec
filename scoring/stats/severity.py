"""Reviewer severity: how much harder or softer each reviewer grades than their peers, and
review scores corrected for it.

Severity is measured only on conversations that someone else also graded (calibration
sessions, double reviews), as the offset from the consensus there; an agent whose reviews
all come from the strictest reviewer would otherwise look worse than they are.
Formulas: docs/statistics.md, "Reviewer severity".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import pandas as pd

from scoring.stats.estimate import SCORE_BOUNDS, Estimate, clean_values
from scoring.stats.means import mean_interval
from scoring.stats.shrinkage import shrink_agent_means

__all__ = ["correct_for_severity", "reviewer_severity"]

_OFFSET_BOUNDS = (-100.0, 100.0)


def _columns(reviews: pd.DataFrame, *names: str) -> None:
    missing = [c for c in names if c not in reviews.columns]
    if missing:
        raise ValueError(f"the reviews table has no column {missing[0]!r}")


def _offsets(
    reviews: pd.DataFrame, item: str, reviewer: str, score: str, consensus: Mapping | None
) -> dict[Hashable, list[float]]:
    """Per reviewer, score minus the yardstick on each comparable conversation.

    The yardstick is the agreed consensus grade when given, else the mean of the *other*
    reviewers of the same conversation (leave-one-out, so a harsh reviewer does not drag
    their own yardstick down).
    """
    offsets: dict[Hashable, list[float]] = defaultdict(list)
    for key, group in reviews.groupby(item, sort=True):
        values = dict(zip(group[reviewer], clean_values(group[score].tolist()), strict=True))
        if len(values) != len(group):
            raise ValueError(f"conversation {key!r} has more than one review by the same reviewer")
        for who, value in values.items():
            if consensus is not None:
                if key in consensus and consensus[key] is not None:
                    offsets[who].append(value - float(consensus[key]))
            elif len(values) > 1:
                others = [v for w, v in values.items() if w != who]
                offsets[who].append(value - sum(others) / len(others))
    return offsets


def reviewer_severity(
    reviews: pd.DataFrame,
    *,
    item: str = "conversation_id",
    reviewer: str = "reviewer",
    score: str = "score",
    consensus: Mapping[Hashable, float] | None = None,
    shrink: bool = True,
    level: float = 0.95,
) -> dict[Hashable, Estimate]:
    """Each reviewer's mean offset in score points (negative = stricter), with interval.

    Reviews with no score are ignored; a reviewer with no overlapping conversation is
    absent from the result. With ``shrink`` (default) offsets are pulled toward the
    reviewers' average offset by the same empirical-Bayes model as agent means, so three
    overlapping conversations cannot brand a reviewer harsh; ``n`` counts conversations.
    """
    _columns(reviews, item, reviewer, score)
    scored = reviews[reviews[score].notna()]
    offsets = _offsets(scored, item, reviewer, score, consensus)
    if not shrink or len(offsets) < 2:
        return {
            who: mean_interval(d, bounds=_OFFSET_BOUNDS, level=level) for who, d in offsets.items()
        }
    result = shrink_agent_means(dict(offsets), bounds=_OFFSET_BOUNDS, level=level, floor=1)
    return {who: a.shrunk for who, a in result.agents.items()}


def correct_for_severity(
    reviews: pd.DataFrame,
    severity: Mapping[Hashable, Estimate],
    *,
    reviewer: str = "reviewer",
    score: str = "score",
) -> pd.DataFrame:
    """A copy of ``reviews`` with ``severity_offset`` and ``score_corrected`` columns.

    corrected = score - offset, clipped to 0-100; reviewers without an estimate keep their
    scores (offset 0). Use the shrunk severities: subtracting a raw offset from five
    conversations adds about as much noise as it removes bias.
    """
    _columns(reviews, reviewer, score)
    out = reviews.copy()
    offset = {who: e.estimate for who, e in severity.items() if e.defined}
    out["severity_offset"] = [offset.get(who, 0.0) for who in out[reviewer]]
    corrected = pd.to_numeric(out[score], errors="raise") - out["severity_offset"]
    out["score_corrected"] = corrected.clip(*SCORE_BOUNDS)
    return out
