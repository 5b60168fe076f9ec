"""Opening an assignment for grading: who may open it, whether they may edit it, and what
the review page shows (transcript, rubric, draft, suggestions, criteria N/A automatically)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.autoqa import suggestions_for
from qa_app.services.conversations import load_transcript
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.services.reviews.applicability import conditions_failing, reasons_for, stored_auto_na
from qa_app.services.reviews.review_values import ReviewContext, draft_of
from qa_app.storage.models import Assignment, Review, User


def assignment_row(session: Session, assignment_id: int) -> Assignment:
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


def review_for(session: Session, assignment_id: int) -> Review | None:
    return session.scalar(select(Review).where(Review.assignment_id == assignment_id))


def open_review(session: Session, actor: Actor, assignment_id: int) -> ReviewContext:
    """Load one assignment for grading; a reviewer opening their own marks it in progress."""
    assignment = assignment_row(session, assignment_id)
    own = _check_can_open(actor, assignment)
    if own and assignment.status == "pending":
        assignment.status = "in_progress"
        session.flush()
    review = review_for(session, assignment_id)
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
        draft=draft_of(review),
        suggestions=suggestions_for(
            session, assignment.conversation_id, stored.rubric, with_verdicts=True
        ),
        overall_score=review.overall_score if review else None,
        auto_na=auto_na,
    )
