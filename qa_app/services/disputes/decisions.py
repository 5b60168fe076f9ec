"""Disputes: an agent or a lead challenges a grade; the reviewer or a lead decides.

Accepting changes the grade (recorded in GradeChange with the dispute id) and rescoring
uses the same formula as submission. Agents only ever see reviews of their own
conversations: the filter is applied here, not only in the page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services import reviews
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.disputes.listing import (
    DISPUTABLE,
    DisputeInfo,
    GradeLine,
    ReviewSummary,
    check_owner,
    dispute_info,
    grade_history,
    list_disputes,
    review_counts,
    review_summary,
    visible_reviews,
)
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.storage.models import Dispute, GradeChange, Review, ReviewGrade
from scoring.rubric.score_maths import check_grades

__all__ = [
    "DisputeInfo",
    "GradeLine",
    "ReviewSummary",
    "grade_history",
    "list_disputes",
    "raise_dispute",
    "resolve_dispute",
    "review_summary",
    "visible_reviews",
]


def raise_dispute(
    session: Session,
    actor: Actor,
    review_id: int,
    reason: str,
    criterion_id: str | None = None,
    proposed_value: float | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Dispute a whole review or one criterion; the review moves to ``disputed``."""
    require(actor, "dispute.raise")
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    check_owner(session, actor, review)
    if not review_counts(session, review):
        raise Conflict(
            "a calibration review is not the agent's evaluation until a lead decides it counts",
            key="disputes.error.calibration",
        )
    if review.status not in DISPUTABLE:
        raise Conflict("only submitted reviews can be disputed", key="disputes.error.not_submitted")
    if not reason.strip():
        raise InvalidInput("a reason is required", key="disputes.error.reason_required")
    _, stored, _ = reviews.stored_score(session, review_id)
    if criterion_id is not None:
        if criterion_id not in stored.rubric.criterion_ids():
            raise InvalidInput(f"unknown criterion {criterion_id}", key="disputes.error.criterion")
        if proposed_value is not None and check_grades(
            stored.rubric, {criterion_id: proposed_value}
        ):
            raise InvalidInput("proposed value is not on the scale", key="disputes.error.value")
    open_same = session.scalar(
        select(Dispute.id).where(
            Dispute.review_id == review_id,
            Dispute.status == "open",
            Dispute.criterion_id.is_(None)
            if criterion_id is None
            else Dispute.criterion_id == criterion_id,
        )
    )
    if open_same is not None:
        raise Conflict("this grade is already disputed", key="disputes.error.already_open")
    dispute = Dispute(
        review_id=review_id,
        criterion_id=criterion_id,
        raised_by=actor.user_id,
        reason=reason.strip(),
        proposed_value=proposed_value if criterion_id else None,
        created_at=utc_now(now),
    )
    session.add(dispute)
    review.status = "disputed"
    review.updated_at = utc_now(now)
    _flush(session, review)
    record_event(
        session,
        actor,
        "dispute.raised",
        "dispute",
        dispute.id,
        now=now,
        review_id=review_id,
        criterion_id=criterion_id,
        proposed_value=proposed_value,
    )
    return dispute.id


def _flush(session: Session, review: Review) -> None:
    review_id = review.id  # read before a failed flush expires the row
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(f"review {review_id} changed meanwhile", key="review.error.stale") from exc


def _change_grades(
    session: Session,
    actor: Actor,
    review: Review,
    dispute: Dispute,
    new_values: dict,
    now: datetime,
) -> None:
    _, stored, _ = reviews.stored_score(session, review.id)
    problems = check_grades(stored.rubric, new_values)
    if problems:
        raise InvalidInput(
            "; ".join(problems), key="review.error.bad_grade", detail="; ".join(problems)
        )
    rows = {g.criterion_id: g for g in review.grades}
    for criterion_id, value in new_values.items():
        row = rows.get(criterion_id)
        if row is None:
            row = ReviewGrade(criterion_id=criterion_id)
            review.grades.append(row)
        old = row.value
        if old == value and row.not_applicable == (value is None):
            continue
        row.value, row.not_applicable = value, value is None
        session.add(
            GradeChange(
                review_id=review.id,
                criterion_id=criterion_id,
                old_value=old,
                new_value=value,
                changed_by=actor.user_id,
                dispute_id=dispute.id,
                reason=dispute.answer,
                at=now,
            )
        )
    session.flush()
    _, _, score = reviews.stored_score(session, review.id)
    review.overall_score = score.overall
    review.critical_fail = bool(score.critical_fails)


def resolve_dispute(
    session: Session,
    actor: Actor,
    dispute_id: int,
    accept: bool,
    answer: str,
    new_values: dict[str, float | None] | None = None,
    *,
    now: datetime | None = None,
) -> DisputeInfo:
    """Accept (grades change, score recomputed) or reject with an answer."""
    now = utc_now(now)
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(f"dispute {dispute_id} not found", key="error.not_found")
    review = session.get(Review, dispute.review_id)
    if not can(actor, "dispute.resolve_any"):
        require(actor, "dispute.resolve")
        if review.reviewer_id != actor.user_id:
            raise PermissionDenied(
                "not your review", key="disputes.error.not_yours", role=actor.role
            )
    if dispute.status != "open":
        raise Conflict("dispute already resolved", key="disputes.error.resolved")
    if not answer.strip():
        raise InvalidInput("an answer is required", key="disputes.error.answer_required")
    dispute.answer = answer.strip()
    if accept:
        values = new_values
        if values is None and dispute.criterion_id and dispute.proposed_value is not None:
            values = {dispute.criterion_id: dispute.proposed_value}
        _change_grades(session, actor, review, dispute, values or {}, now)
    dispute.status = "accepted" if accept else "rejected"
    dispute.resolved_by = actor.user_id
    dispute.resolved_at = now
    session.flush()
    still_open = session.scalar(
        select(Dispute.id).where(Dispute.review_id == review.id, Dispute.status == "open")
    )
    review.status = "disputed" if still_open else "final"
    review.updated_at = now
    _flush(session, review)
    record_event(
        session,
        actor,
        f"dispute.{dispute.status}",
        "dispute",
        dispute.id,
        now=now,
        review_id=review.id,
        changes=new_values or {},
        score=review.overall_score,
    )
    return dispute_info(session, actor, dispute)
