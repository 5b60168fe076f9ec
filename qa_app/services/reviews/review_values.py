"""What a reviewer enters and sees: grades and drafts as plain values, what the review page
shows for an assignment and what a save returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_app.services import rubrics
from qa_app.services.autoqa import Suggestion
from qa_app.services.conversations import Transcript
from qa_app.storage.models import Review
from scoring.rubric.conditions import Condition
from scoring.rubric.score_maths import ReviewScore

LOCKED_STATUSES = ("submitted", "disputed", "final")


@dataclass(slots=True)
class GradeInput:
    """What the reviewer entered for one criterion (value None + not N/A = not graded)."""

    value: float | None = None
    not_applicable: bool = False
    comment: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.not_applicable and not self.comment.strip()


@dataclass(slots=True)
class ReviewDraft:
    grades: dict[str, GradeInput] = field(default_factory=dict)
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """Everything the review page shows for one assignment."""

    assignment_id: int
    conversation_id: int
    reviewer: str
    assignment_status: str
    blind: bool
    editable: bool
    rubric: rubrics.StoredRubric
    transcript: Transcript
    review_id: int | None
    review_status: str | None
    lock_version: int | None
    draft: ReviewDraft
    suggestions: dict[str, Suggestion]
    overall_score: float | None
    #: Criteria N/A automatically (their ``applies_when`` does not hold), with the condition
    #: to show as the reason: evaluated now while the review is open, as stored once it is not.
    auto_na: dict[str, Condition] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SavedReview:
    review_id: int
    lock_version: int
    status: str
    score: ReviewScore
    next_assignment_id: int | None = None


def draft_of(review: Review | None) -> ReviewDraft:
    if review is None:
        return ReviewDraft()
    grades = {
        g.criterion_id: GradeInput(g.value, g.not_applicable, g.comment or "")
        for g in review.grades
        if not g.auto_na
    }
    return ReviewDraft(grades=grades, comment=review.comment or "")
