"""What disputes and reviews look like to each role (agents: their own conversations only).

The read side of disputes: the visibility rules live here, next to the queries they guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qa_app.services import reviews
from qa_app.services.actor import Actor
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.services.permissions import can
from qa_app.storage.models import (
    CalibrationSession,
    Conversation,
    Dispute,
    GradeChange,
    Review,
    User,
)

DISPUTABLE = ("submitted", "final", "disputed")


@dataclass(frozen=True, slots=True)
class GradeLine:
    criterion_id: str
    name: str
    category: str
    value: float | None
    level_label: str
    not_applicable: bool
    comment: str
    scale_values: tuple[float, ...]
    na_allowed: bool
    #: N/A because the criterion's ``applies_when`` did not hold on the conversation.
    auto_na: bool = False


@dataclass(frozen=True, slots=True)
class DisputeInfo:
    dispute_id: int
    review_id: int
    #: The conversation's id as imported (what reviewers see everywhere).
    external_id: str
    criterion_id: str | None
    criterion_name: str
    raised_by: str
    reason: str
    proposed_value: float | None
    status: str
    answer: str
    resolved_by: str | None
    created_at: datetime
    resolved_at: datetime | None
    #: The review's score before and after the decision (set on the decision's own result).
    score_before: float | None = None
    score_after: float | None = None


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    review_id: int
    conversation_id: int
    #: The conversation's id as imported (``conversation_id`` is the database key).
    external_id: str
    reviewer: str
    status: str
    overall_score: float | None
    submitted_at: datetime | None
    rubric_version: int
    grades: tuple[GradeLine, ...]
    comment: str


def counts_for_agent():
    """SQL condition: the review is the agent's evaluation. Ordinary reviews are; a
    calibration review only once its session is closed and a lead decided it counts
    (``calibration.set_counts_for_agents``): until then it is reviewers practising."""
    counted = select(CalibrationSession.id).where(
        CalibrationSession.status == "closed", CalibrationSession.counts_for_agents.is_(True)
    )
    return or_(Review.calibration_session_id.is_(None), Review.calibration_session_id.in_(counted))


def review_counts(session: Session, review: Review) -> bool:
    """Whether ``review`` is the agent's evaluation (see ``counts_for_agent``)."""
    if review.calibration_session_id is None:
        return True
    row = session.get(CalibrationSession, review.calibration_session_id)
    return row is not None and row.status == "closed" and bool(row.counts_for_agents)


def check_owner(session: Session, actor: Actor, review: Review) -> None:
    """Agents: own conversations only; reviewers: reviews they wrote; leads: all."""
    if can(actor, "review.read_any"):
        return
    if actor.is_agent:
        conv = session.get(Conversation, review.conversation_id)
        if actor.agent_id is not None and conv is not None and conv.agent_id == actor.agent_id:
            return
    elif can(actor, "review.read_own") and review.reviewer_id == actor.user_id:
        return
    raise PermissionDenied("not your review", key="disputes.error.not_yours", role=actor.role)


def can_see(session: Session, actor: Actor, review: Review) -> None:
    """``check_owner``, and an agent never sees a calibration review that does not count
    for them (it is not found, as if it did not exist)."""
    check_owner(session, actor, review)
    if actor.is_agent and not review_counts(session, review):
        raise NotFound(f"review {review.id} not found", key="error.not_found")


def summary_of(session: Session, actor: Actor, review: Review) -> ReviewSummary:
    _r, stored, _score = reviews.stored_score(session, review.id)
    rubric, lang = stored.rubric, actor.language
    by_id = {g.criterion_id: g for g in review.grades}
    lines = []
    for criterion in rubric.criteria():
        grade = by_id.get(criterion.id)
        value = grade.value if grade else None
        label = criterion.scale.level(value).label.get(lang) if value is not None else ""
        lines.append(
            GradeLine(
                criterion.id,
                criterion.name.get(lang),
                rubric.category_of(criterion.id).name.get(lang),
                value,
                label,
                bool(grade and grade.not_applicable),
                grade.comment if grade else "",
                tuple(criterion.scale.values),
                criterion.na_allowed,
                bool(grade and grade.auto_na),
            )
        )
    conv = session.get(Conversation, review.conversation_id)
    reviewer = session.get(User, review.reviewer_id)
    return ReviewSummary(
        review.id,
        review.conversation_id,
        conv.external_id if conv else str(review.conversation_id),
        reviewer.username if reviewer else "",
        review.status,
        review.overall_score,
        review.submitted_at,
        stored.version,
        tuple(lines),
        review.comment,
    )


def _visible_to(query, actor: Actor):
    """Restrict a query over reviews to what the actor may see (None: nothing at all).

    One rule for reviews and disputes alike: agents see their own conversations' reviews
    that count for them (no calibration grades before a lead decides they count),
    reviewers their own reviews, leads and admins everything.
    """
    if actor.is_agent:
        if actor.agent_id is None:
            return None
        return query.join(Conversation, Conversation.id == Review.conversation_id).where(
            Conversation.agent_id == actor.agent_id, counts_for_agent()
        )
    if can(actor, "review.read_any"):
        return query
    if can(actor, "review.read_own"):
        return query.where(Review.reviewer_id == actor.user_id)
    return None


def visible_reviews(session: Session, actor: Actor, limit: int = 200) -> list[ReviewSummary]:
    """Submitted reviews the actor may see and dispute (agents: their own conversations)."""
    query = select(Review).where(Review.status.in_(DISPUTABLE)).order_by(Review.id.desc())
    query = _visible_to(query, actor)
    if query is None:
        return []
    return [summary_of(session, actor, r) for r in session.scalars(query.limit(limit))]


def review_summary(session: Session, actor: Actor, review_id: int) -> ReviewSummary:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    can_see(session, actor, review)
    return summary_of(session, actor, review)


def dispute_info(
    session: Session,
    actor: Actor,
    d: Dispute,
    names: dict[int, str] | None = None,
    *,
    score_before: float | None = None,
) -> DisputeInfo:
    if names is None:
        names = dict(session.execute(select(User.id, User.username)).all())
    review = session.get(Review, d.review_id)
    conv = session.get(Conversation, review.conversation_id)
    criterion_name = ""
    if d.criterion_id:
        _, stored, _ = reviews.stored_score(session, review.id)
        criterion_name = stored.rubric.criterion(d.criterion_id).name.get(actor.language)
    return DisputeInfo(
        d.id,
        d.review_id,
        conv.external_id,
        d.criterion_id,
        criterion_name,
        names.get(d.raised_by, ""),
        d.reason,
        d.proposed_value,
        d.status,
        d.answer,
        names.get(d.resolved_by) if d.resolved_by else None,
        d.created_at,
        d.resolved_at,
        score_before,
        review.overall_score if score_before is not None else None,
    )


def list_disputes(session: Session, actor: Actor, status: str | None = None) -> list[DisputeInfo]:
    """Disputes the actor may see: agents their own conversations', reviewers their reviews'."""
    query = select(Dispute).join(Review, Review.id == Dispute.review_id).order_by(Dispute.id.desc())
    if status:
        query = query.where(Dispute.status == status)
    query = _visible_to(query, actor)
    if query is None:
        return []
    names = dict(session.execute(select(User.id, User.username)).all())
    return [dispute_info(session, actor, d, names) for d in session.scalars(query.limit(500))]


def grade_history(session: Session, actor: Actor, review_id: int) -> list[dict]:
    """Every grade change of a review after submission (who, when, which dispute)."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    can_see(session, actor, review)
    names = dict(session.execute(select(User.id, User.username)).all())
    rows = session.scalars(
        select(GradeChange).where(GradeChange.review_id == review_id).order_by(GradeChange.id)
    )
    return [
        {
            "criterion_id": c.criterion_id,
            "old_value": c.old_value,
            "new_value": c.new_value,
            "changed_by": names.get(c.changed_by, ""),
            "dispute_id": c.dispute_id,
            "reason": c.reason,
            "decision": c.decision,
            "at": c.at,
        }
        for c in rows
    ]
