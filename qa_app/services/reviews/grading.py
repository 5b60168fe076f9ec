"""Grading a conversation: open, autosave drafts, submit with the one score formula.

Every save carries the ``lock_version`` the page last saw: if someone else (another
reviewer, another tab) saved in between, the save fails with Conflict and the page keeps
the reviewer's input. The database check (SQLAlchemy ``version_id_col``) closes the race
between two sessions that both read the same version.

This module saves and submits; the values are in ``review_values``, opening an assignment
in ``opening`` and the score formula in ``review_scores``. Its ``__all__`` names the whole
grading cycle, so a caller that works through one review reads it from one module.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.autoqa import Suggestion, suggestions_for
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, InvalidInput, PermissionDenied
from qa_app.services.permissions import require
from qa_app.services.reviews.applicability import conditions_failing
from qa_app.services.reviews.opening import assignment_row, open_review, review_for
from qa_app.services.reviews.queue import next_assignment
from qa_app.services.reviews.review_scores import (
    missing_criteria,
    preview_score,
    scoring_grades,
    stored_score,
)
from qa_app.services.reviews.review_values import (
    LOCKED_STATUSES,
    GradeInput,
    ReviewContext,
    ReviewDraft,
    SavedReview,
)
from qa_app.storage.models import Assignment, Review, ReviewGrade
from scoring.rubric.files import Rubric
from scoring.rubric.score_maths import check_grades

__all__ = [
    "GradeInput",
    "ReviewContext",
    "ReviewDraft",
    "SavedReview",
    "missing_criteria",
    "open_review",
    "preview_score",
    "save_draft",
    "scoring_grades",
    "stored_score",
    "submit_review",
]


def _stale(review_id: int | None) -> Conflict:
    return Conflict(
        f"review {review_id} was changed by someone else",
        key="review.error.stale",
    )


def _editable_review(
    session: Session,
    actor: Actor,
    assignment: Assignment,
    lock_version: int | None,
    now: datetime | None = None,
) -> Review:
    """The draft to write into (created on first save), after the optimistic-lock check."""
    if assignment.reviewer_id != actor.user_id:
        raise PermissionDenied(
            "only the assigned reviewer can grade", key="review.error.not_yours", role=actor.role
        )
    if assignment.status == "cancelled":
        raise Conflict("assignment was cancelled", key="review.error.cancelled")
    review = review_for(session, assignment.id)
    if review is None:
        if lock_version is not None:
            raise _stale(None)
        review = Review(
            assignment_id=assignment.id,
            conversation_id=assignment.conversation_id,
            reviewer_id=assignment.reviewer_id,
            rubric_version_id=assignment.rubric_version_id,
            calibration_session_id=assignment.calibration_session_id,
            status="draft",
            created_at=utc_now(now),
        )
        session.add(review)
        # Written now, not by the autoflush of the next query (the suggestions read): a
        # second first save of the same draft at this moment ends here, as a conflict.
        _flush(session, review)
        return review
    if review.lock_version != lock_version:
        raise _stale(review.id)
    if review.status in LOCKED_STATUSES:
        raise Conflict(
            f"review {review.id} is already {review.status}", key="review.error.already_submitted"
        )
    return review


def _apply(
    review: Review,
    draft: ReviewDraft,
    rubric: Rubric,
    suggestions: dict[str, Suggestion] | None,
    now: datetime | None = None,
    auto_na: Collection[str] = (),
) -> None:
    """Write the draft's grades into the review; ``suggestions`` (at submission) records
    the automatic value beside each grade, None (a draft save) leaves it untouched."""
    known = set(rubric.criterion_ids())
    current = {g.criterion_id: g for g in review.grades}
    for criterion_id in auto_na:  # recorded, so the stored score never moves with the facts
        row = current.get(criterion_id)
        if row is None:
            row = current[criterion_id] = ReviewGrade(criterion_id=criterion_id)
            review.grades.append(row)
        row.value, row.not_applicable, row.auto_na = None, True, True
        row.comment = ""
        row.auto_value = None
    for criterion_id, grade in draft.grades.items():
        if criterion_id not in known or criterion_id in auto_na:
            continue
        row = current.get(criterion_id)
        if row is not None and row.auto_na:  # applies again (facts changed since)
            row.auto_na = False
            row.not_applicable = False
        if grade.is_empty:
            if row is not None:
                review.grades.remove(row)
            continue
        if row is None:
            row = ReviewGrade(criterion_id=criterion_id)
            review.grades.append(row)
        row.value = None if grade.not_applicable else grade.value
        row.not_applicable = grade.not_applicable
        row.comment = grade.comment
        if suggestions is not None:
            suggestion = suggestions.get(criterion_id)
            row.auto_value = suggestion.value if suggestion else None
    review.comment = draft.comment
    review.updated_at = utc_now(now)


def _flush(session: Session, review: Review) -> None:
    review_id = review.id  # read before a failed flush expires the row
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as exc:  # IntegrityError: two first saves at once
        raise _stale(review_id) from exc


def _check_values(rubric: Rubric, draft: ReviewDraft, auto_na: Collection[str]) -> None:
    problems = check_grades(rubric, scoring_grades(rubric, draft, auto_na), auto_na)
    if problems:
        raise InvalidInput(
            "; ".join(problems), key="review.error.bad_grade", detail="; ".join(problems)
        )


def _checked_input(session: Session, actor: Actor, assignment_id: int, draft: ReviewDraft):
    """What saving and submitting both start with: role, assignment, rubric, the criteria
    N/A automatically on this conversation, valid values."""
    require(actor, "review.grade")
    assignment = assignment_row(session, assignment_id)
    stored = rubrics.get_version(session, assignment.rubric_version_id)
    auto_na = frozenset(conditions_failing(session, stored.rubric, assignment.conversation_id))
    _check_values(stored.rubric, draft, auto_na)
    return assignment, stored, auto_na


def save_draft(
    session: Session,
    actor: Actor,
    assignment_id: int,
    draft: ReviewDraft,
    lock_version: int | None,
    *,
    now: datetime | None = None,
) -> SavedReview:
    """Autosave: store the draft as it is (incomplete is fine) and return the new version."""
    assignment, stored, auto_na = _checked_input(session, actor, assignment_id, draft)
    review = _editable_review(session, actor, assignment, lock_version, now)
    # Automatic values are recorded at submission: computing them on every keystroke's
    # save cost ~90% of the save, and nothing reads them from a draft.
    _apply(review, draft, stored.rubric, None, now, auto_na)
    if assignment.status == "pending":
        assignment.status = "in_progress"
    _flush(session, review)
    score = preview_score(stored.rubric, draft, auto_na)
    return SavedReview(review.id, review.lock_version, review.status, score)


def submit_review(
    session: Session,
    actor: Actor,
    assignment_id: int,
    draft: ReviewDraft,
    lock_version: int | None,
    *,
    now: datetime | None = None,
) -> SavedReview:
    """Submit a complete review: score it, close the assignment, point at the next one."""
    assignment, stored, auto_na = _checked_input(session, actor, assignment_id, draft)
    score = preview_score(stored.rubric, draft, auto_na)
    if score.missing:
        names = [stored.rubric.criterion(c).name.get(actor.language) for c in score.missing]
        raise InvalidInput(
            f"not graded: {', '.join(score.missing)}",
            key="review.error.incomplete",
            criteria=", ".join(names),
            missing=list(score.missing),
        )
    review = _editable_review(session, actor, assignment, lock_version, now)
    _apply(
        review,
        draft,
        stored.rubric,
        suggestions_for(session, assignment.conversation_id, stored.rubric),
        now,
        auto_na,
    )
    review.status = "submitted"
    review.overall_score = score.overall
    review.critical_fail = bool(score.critical_fails)
    review.submitted_at = utc_now(now)
    assignment.status = "done"
    _flush(session, review)
    record_event(
        session,
        actor,
        "review.submitted",
        "review",
        review.id,
        now=now,
        assignment_id=assignment.id,
        score=score.overall,
        rubric_version=stored.version,
    )
    return SavedReview(
        review.id, review.lock_version, review.status, score, next_assignment(session, actor)
    )
