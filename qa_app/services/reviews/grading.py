"""Grading a conversation: open, autosave drafts, submit with the one score formula.

Every save carries the ``lock_version`` the page last saw: if someone else (another
reviewer, another tab) saved in between, the save fails with Conflict and the page keeps
the reviewer's input. The database check (SQLAlchemy ``version_id_col``) closes the race
between two sessions that both read the same version.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.autoqa import Suggestion, suggestions_for
from qa_app.services.clock import utc_now
from qa_app.services.conversations import Transcript, load_transcript
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.services.reviews.applicability import (
    conditions_failing,
    reasons_for,
    stored_auto_na,
)
from qa_app.services.reviews.queue import next_assignment
from qa_app.storage.models import Assignment, Review, ReviewGrade, User
from scoring.rubric.conditions import Condition
from scoring.rubric.files import Rubric
from scoring.rubric.score_maths import GradeError, ReviewScore, check_grades, score_review

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


def _assignment(session: Session, assignment_id: int) -> Assignment:
    row = session.get(Assignment, assignment_id)
    if row is None:
        raise NotFound(f"assignment {assignment_id} not found", key="error.not_found")
    return row


def _check_can_open(actor: Actor, assignment: Assignment) -> bool:
    """Reviewers open their own assignments, leads any; returns whether the actor may edit."""
    require(actor, "review.grade")
    own = assignment.reviewer_id == actor.user_id
    if not own and not can(actor, "review.read_any"):
        raise PermissionDenied(
            "this conversation is in another reviewer's queue",
            key="review.error.not_yours",
            role=actor.role,
        )
    return own


def _review_for(session: Session, assignment_id: int) -> Review | None:
    return session.scalar(select(Review).where(Review.assignment_id == assignment_id))


def _draft_of(review: Review | None) -> ReviewDraft:
    if review is None:
        return ReviewDraft()
    grades = {
        g.criterion_id: GradeInput(g.value, g.not_applicable, g.comment or "")
        for g in review.grades
        if not g.auto_na
    }
    return ReviewDraft(grades=grades, comment=review.comment or "")


def open_review(session: Session, actor: Actor, assignment_id: int) -> ReviewContext:
    """Load one assignment for grading; a reviewer opening their own marks it in progress."""
    assignment = _assignment(session, assignment_id)
    own = _check_can_open(actor, assignment)
    if own and assignment.status == "pending":
        assignment.status = "in_progress"
        session.flush()
    review = _review_for(session, assignment_id)
    stored = rubrics.get_version(session, assignment.rubric_version_id)
    reviewer = session.get(User, assignment.reviewer_id)
    editable = (
        own and assignment.status != "cancelled" and (review is None or review.status == "draft")
    )
    if review is None or review.status == "draft":
        auto_na = conditions_failing(session, stored.rubric, assignment.conversation_id)
    else:
        auto_na = reasons_for(stored.rubric, stored_auto_na(review))
    return ReviewContext(
        assignment_id=assignment.id,
        conversation_id=assignment.conversation_id,
        reviewer=(reviewer.display_name or reviewer.username) if reviewer else "",
        assignment_status=assignment.status,
        blind=assignment.blind,
        editable=editable,
        rubric=stored,
        transcript=load_transcript(session, assignment.conversation_id, blind=assignment.blind),
        review_id=review.id if review else None,
        review_status=review.status if review else None,
        lock_version=review.lock_version if review else None,
        draft=_draft_of(review),
        suggestions=suggestions_for(
            session, assignment.conversation_id, stored.rubric, with_verdicts=True
        ),
        overall_score=review.overall_score if review else None,
        auto_na=auto_na,
    )


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
    review = _review_for(session, assignment.id)
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
    assignment = _assignment(session, assignment_id)
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


def missing_criteria(
    rubric: Rubric, draft: ReviewDraft, not_applicable: Collection[str] = ()
) -> list[str]:
    """Ids of criteria neither graded nor N/A (by hand or automatically), in rubric order."""
    return list(preview_score(rubric, draft, not_applicable).missing)


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


def stored_score(
    session: Session, review_id: int
) -> tuple[Review, rubrics.StoredRubric, ReviewScore]:
    """A review's score recomputed from its stored grades (disputes and detail views)."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    stored = rubrics.get_version(session, review.rubric_version_id)
    return review, stored, preview_score(stored.rubric, _draft_of(review), stored_auto_na(review))
