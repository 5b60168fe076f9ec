"""Every automatic text scorer, in one table: the pipeline, ``qa-studio classify``, the
evaluation and the contract tests all read it, so a scorer cannot be known to one of them
and missing from another.

Scorer modules are imported on first use (``get_scorer``), because ``qa-studio classify``
needs one scorer and loading all of them costs seconds; an entry that fails to import is an
error, never a silently skipped scorer.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScorerSpec:
    """Where a scorer lives and what its output promises."""

    name: str
    module: str
    class_name: str
    #: Whose messages it reads in a conversation: ``customer`` or ``agent``.
    side: str
    #: Inclusive range of ``ScoreResult.score``.
    score_range: tuple[float, float]

    def load_class(self) -> type:
        return getattr(importlib.import_module(self.module), self.class_name)


SCORERS: dict[str, ScorerSpec] = {
    spec.name: spec
    for spec in (
        ScorerSpec(
            "sentiment", "scoring.scorers.sentiment", "SentimentScorer", "customer", (-1, 1)
        ),
        ScorerSpec("emotions", "scoring.scorers.emotions", "EmotionScorer", "customer", (0, 1)),
        # 0 nothing broken .. 1 the customer reports a defect (sum of matched phrase weights)
        ScorerSpec(
            "defect_report", "scoring.scorers.defect", "DefectReportScorer", "customer", (0, 1)
        ),
        ScorerSpec("toxicity", "scoring.scorers.toxicity", "ToxicityScorer", "agent", (0, 1)),
        ScorerSpec("politeness", "scoring.scorers.politeness", "PolitenessScorer", "agent", (0, 1)),
        ScorerSpec("empathy", "scoring.scorers.empathy", "EmpathyScorer", "agent", (0, 1)),
        ScorerSpec("clarity", "scoring.scorers.clarity", "ClarityScorer", "agent", (0, 1)),
        # -1 an unresolved complaint .. 1 a confirmed solution (the strongest marker's weight)
        ScorerSpec(
            "resolution", "scoring.scorers.resolution", "ResolutionScorer", "agent", (-1, 1)
        ),
    )
}


def get_scorer_names() -> list[str]:
    """Names of every registered scorer, in the table's order."""
    return list(SCORERS)


def get_scorer(name: str, **params: Any):
    """A new, unfitted scorer ``name`` built with ``params`` (e.g. ``lang="ru"``)."""
    try:
        spec = SCORERS[name]
    except KeyError:
        raise KeyError(f"unknown scorer {name!r}; known: {', '.join(SCORERS)}") from None
    return spec.load_class()(**params)
