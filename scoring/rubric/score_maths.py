"""The one score formula: criterion grades -> category scores -> overall review score.

Used by the review page, scorecards, calibration and exports alike, so a number means the
same thing everywhere. The formula and a worked example are in ``docs/score-formula.md``.

* criterion score = (value - scale min) / (scale max - scale min) * 100
* category score  = weighted mean of its graded criteria; N/A (None) leaves the denominator;
  a category with nothing graded is itself N/A and leaves the overall denominator
* overall         = weighted mean of the non-N/A categories by category weight
* critical fail   = a critical criterion graded at a fail level zeroes its category
  (``critical: category``) or the whole review (``critical: conversation``)
* conditional     = a criterion whose ``applies_when`` does not hold on the conversation is
  passed in ``not_applicable``: it counts exactly as a manual N/A (status "na", ``auto``
  set), whatever grade was given and even where the rubric allows no manual N/A
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from scoring.rubric.files import Criterion, Rubric

__all__ = [
    "CategoryScore",
    "CriterionScore",
    "CriticalFail",
    "GradeError",
    "ReviewScore",
    "check_grades",
    "score_review",
    "weighted_mean",
]


class GradeError(ValueError):
    """Grades that do not fit the rubric (unknown criterion, value off the scale...)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """A criterion's grade and its 0-100 score; ``score`` is None for N/A or ungraded."""

    criterion_id: str
    category_id: str
    value: float | None
    score: float | None
    weight: float
    status: str  # "graded" | "na" | "missing"
    failed: bool = False
    #: N/A because the criterion's ``applies_when`` does not hold (not the reviewer's choice).
    auto: bool = False


@dataclass(frozen=True, slots=True)
class CriticalFail:
    """A critical criterion graded at a fail level, and what it zeroed."""

    criterion_id: str
    category_id: str
    scope: str  # "category" | "conversation"
    value: float


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """A category's score after critical fails; ``raw_score`` is the score before them."""

    category_id: str
    score: float | None
    raw_score: float | None
    weight: float
    zeroed_by: tuple[str, ...] = ()

    @property
    def is_na(self) -> bool:
        return self.score is None


@dataclass(frozen=True, slots=True)
class ReviewScore:
    """Everything a reviewer, lead or export needs to know about one review's score."""

    rubric_id: str
    rubric_version: int
    overall: float | None
    raw_overall: float | None
    criteria: Mapping[str, CriterionScore]
    categories: Mapping[str, CategoryScore]
    critical_fails: tuple[CriticalFail, ...] = ()
    missing: tuple[str, ...] = ()
    passed: bool | None = None
    zeroed_by: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """Submittable: every criterion is graded or explicitly N/A."""
        return not self.missing

    def to_dict(self) -> dict:
        """Plain data for storage and JSON exports."""
        return {
            "rubric_id": self.rubric_id,
            "rubric_version": self.rubric_version,
            "overall": self.overall,
            "raw_overall": self.raw_overall,
            "passed": self.passed,
            "complete": self.complete,
            "missing": list(self.missing),
            "zeroed_by": list(self.zeroed_by),
            "critical_fails": [
                {
                    "criterion_id": f.criterion_id,
                    "category_id": f.category_id,
                    "scope": f.scope,
                    "value": f.value,
                }
                for f in self.critical_fails
            ],
            "categories": {
                k: {
                    "score": c.score,
                    "raw_score": c.raw_score,
                    "weight": c.weight,
                    "zeroed_by": list(c.zeroed_by),
                }
                for k, c in self.categories.items()
            },
            "criteria": {
                k: {
                    "value": c.value,
                    "score": c.score,
                    "status": c.status,
                    "failed": c.failed,
                    "auto": c.auto,
                }
                for k, c in self.criteria.items()
            },
        }


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of (score, weight) pairs; None when there is nothing to average."""
    total = sum(weight for _score, weight in pairs)
    if not pairs or total <= 0:
        return None
    return min(100.0, max(0.0, sum(score * weight for score, weight in pairs) / total))


def check_grades(
    rubric: Rubric, grades: Mapping[str, float | None], not_applicable: Collection[str] = ()
) -> list[str]:
    """Problems with grades: unknown criteria, values off the scale, N/A where not allowed.

    Criteria in ``not_applicable`` (their condition does not hold) are N/A whatever the
    grade says, so their grades are not checked."""
    known = {c.id: c for c in rubric.criteria()}
    problems = [f"unknown criterion '{key}'" for key in grades if key not in known]
    problems += [f"unknown criterion '{key}'" for key in not_applicable if key not in known]
    for key, value in grades.items():
        criterion = known.get(key)
        if criterion is None or key in not_applicable:
            continue
        if value is None:
            if not criterion.na_allowed:
                problems.append(f"{key}: N/A is not allowed for this criterion")
        elif isinstance(value, bool) or value not in criterion.scale.values:
            allowed = ", ".join(str(v) for v in criterion.scale.values)
            problems.append(f"{key}: {value!r} is not a level of its scale ({allowed})")
    return problems


def _criterion_score(
    criterion: Criterion, category_id: str, grades: Mapping, not_applicable: Collection[str]
) -> CriterionScore:
    if criterion.id in not_applicable:
        return CriterionScore(
            criterion.id, category_id, None, None, criterion.weight, "na", False, auto=True
        )
    if criterion.id not in grades:
        status, value, score = "missing", None, None
    elif grades[criterion.id] is None:
        status, value, score = "na", None, None
    else:
        value = grades[criterion.id]
        status, score = "graded", criterion.scale.position(value)
    failed = value is not None and criterion.critical is not None and criterion.is_fail(value)
    return CriterionScore(criterion.id, category_id, value, score, criterion.weight, status, failed)


def score_review(
    rubric: Rubric,
    grades: Mapping[str, float | None],
    not_applicable: Collection[str] = (),
) -> ReviewScore:
    """Score one review. ``grades`` maps criterion id to a level value, or None for N/A.

    Criteria absent from ``grades`` are reported in ``missing`` (the review is incomplete)
    and left out of the averages like N/A, so a draft still shows a provisional score.
    Criteria in ``not_applicable`` (``Rubric.not_applicable(facts)``) are N/A automatically.
    Raises GradeError when a grade does not fit the rubric.
    """
    not_applicable = frozenset(not_applicable)
    problems = check_grades(rubric, grades, not_applicable)
    if problems:
        raise GradeError(problems)
    criteria: dict[str, CriterionScore] = {}
    categories: dict[str, CategoryScore] = {}
    fails: list[CriticalFail] = []
    for category in rubric.categories:
        scores = [
            _criterion_score(c, category.id, grades, not_applicable) for c in category.criteria
        ]
        criteria.update((s.criterion_id, s) for s in scores)
        for s, criterion in zip(scores, category.criteria, strict=True):
            if s.failed:
                fails.append(CriticalFail(s.criterion_id, category.id, criterion.critical, s.value))
        raw = weighted_mean([(s.score, s.weight) for s in scores if s.score is not None])
        zeroed = tuple(
            f.criterion_id for f in fails if f.category_id == category.id and f.scope == "category"
        )
        score = 0.0 if zeroed else raw
        categories[category.id] = CategoryScore(category.id, score, raw, category.weight, zeroed)
    pairs = [(c.score, c.weight) for c in categories.values() if c.score is not None]
    raw_pairs = [(c.raw_score, c.weight) for c in categories.values() if c.raw_score is not None]
    conversation = tuple(f.criterion_id for f in fails if f.scope == "conversation")
    overall = 0.0 if conversation else weighted_mean(pairs)
    passing = rubric.settings.passing_score
    return ReviewScore(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        overall=overall,
        raw_overall=weighted_mean(raw_pairs),
        criteria=criteria,
        categories=categories,
        critical_fails=tuple(fails),
        missing=tuple(k for k, s in criteria.items() if s.status == "missing"),
        passed=None if passing is None or overall is None else overall >= passing,
        zeroed_by=conversation,
    )
