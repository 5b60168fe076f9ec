"""Honest statistics for QA figures: every number with its sample size and 95% interval.

Used by agent scorecards, the team dashboard, coaching follow-up and "what drives
satisfaction". Pure (numpy, scipy, pandas); the formulas, the reasons for each choice and
the simulation that checks them are in docs/statistics.md. Import from here; the modules
behind it may move.
"""

from scoring.stats.compare import Comparison, Verdict, compare_means, compare_proportions
from scoring.stats.csi_index import CsiBreakdown, csi_from_ratings, importance_weights
from scoring.stats.effects import (
    Relation,
    Strength,
    StrengthLabel,
    correlation,
    odds_ratio,
    relate,
    standardized_mean_difference,
    strength,
)
from scoring.stats.estimate import Estimate
from scoring.stats.means import (
    bootstrap_mean_interval,
    kish_effective_n,
    mean_interval,
    weighted_mean_interval,
)
from scoring.stats.proportions import (
    csat,
    nps,
    proportion_difference,
    response_rate,
    share,
    wilson_interval,
)
from scoring.stats.severity import correct_for_severity, reviewer_severity
from scoring.stats.shrinkage import (
    AgentShrinkage,
    Shrinkage,
    min_reviews_to_rank,
    reliability_of_mean,
    shrink_agent_means,
)
from scoring.stats.surveys import SurveyWarning, check_survey, csi
from scoring.stats.trend import weekly_trend

__all__ = [
    "AgentShrinkage",
    "Comparison",
    "CsiBreakdown",
    "Estimate",
    "Relation",
    "Shrinkage",
    "Strength",
    "StrengthLabel",
    "SurveyWarning",
    "Verdict",
    "bootstrap_mean_interval",
    "check_survey",
    "compare_means",
    "compare_proportions",
    "correct_for_severity",
    "correlation",
    "csat",
    "csi",
    "csi_from_ratings",
    "importance_weights",
    "kish_effective_n",
    "mean_interval",
    "min_reviews_to_rank",
    "nps",
    "odds_ratio",
    "proportion_difference",
    "relate",
    "reliability_of_mean",
    "response_rate",
    "reviewer_severity",
    "share",
    "shrink_agent_means",
    "standardized_mean_difference",
    "strength",
    "weekly_trend",
    "weighted_mean_interval",
    "wilson_interval",
]
