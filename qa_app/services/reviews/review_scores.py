"""The one score formula applied to a draft or a stored review (``scoring.rubric.score_maths``):
the live score while grading, the criteria still missing, a stored review recomputed."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.reviews.applicability import stored_auto_na
from qa_app.services.reviews.review_values import ReviewDraft, draft_of
from qa_app.storage.models import Review
from scoring.rubric.files import Rubric
from scoring.rubric.score_maths import GradeError, ReviewScore, score_review


def scoring_grades(
    rubric: Rubric, draft: ReviewDraft, not_applicable: Collection[str] = ()
) -> dict[str, float | None]:
    """Grades in the shape score_maths expects: graded values, None for N/A, rest missing
    (criteria N/A automatically are left to ``score_review(..., not_applicable)``)."""
    known = set(rubric.criterion_ids())
    grades: dict[str, float | None] = {}
    for criterion_id, grade in draft.grades.items():
        if criterion_id not in known or criterion_id in not_applicable:
            continue
        if grade.not_applicable:
            grades[criterion_id] = None
        elif grade.value is not None:
            grades[criterion_id] = grade.value
    return grades


def preview_score(
    rubric: Rubric, draft: ReviewDraft, not_applicable: Collection[str] = ()
) -> ReviewScore:
    """The live score of a draft (missing criteria are listed, not counted; criteria in
    ``not_applicable`` are N/A automatically, exactly like a manual N/A)."""
    try:
        return score_review(
            rubric, scoring_grades(rubric, draft, not_applicable), frozenset(not_applicable)
        )
    except GradeError as exc:
        raise InvalidInput(str(exc), key="review.error.bad_grade", detail=str(exc)) from exc


def missing_criteria(
    rubric: Rubric, draft: ReviewDraft, not_applicable: Collection[str] = ()
) -> list[str]:
    """Ids of criteria neither graded nor N/A (by hand or automatically), in rubric order."""
    return list(preview_score(rubric, draft, not_applicable).missing)


def stored_score(
    session: Session, review_id: int
) -> tuple[Review, rubrics.StoredRubric, ReviewScore]:
    """A review's score recomputed from its stored grades (disputes and detail views)."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    stored = rubrics.get_version(session, review.rubric_version_id)
    return review, stored, preview_score(stored.rubric, draft_of(review), stored_auto_na(review))
