"""Disputes: an agent or a lead challenges a grade; the reviewer or a lead decides.

Accepting changes the grade (recorded in GradeChange with the dispute id) and rescoring
uses the same formula as submission. Agents only ever see reviews of their own
conversations: the filter is applied here, not only in the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services import reviews as review_service
from qa_app.services.actor import Actor, require_role
from qa_app.services.audit import record_event
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.storage.models import Conversation, Dispute, GradeChange, Review, ReviewGrade, User
from qa_app.storage.types import utc_now
from scoring.score_maths import check_grades

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


@dataclass(frozen=True, slots=True)
class DisputeInfo:
    dispute_id: int
    review_id: int
    conversation: str
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


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    review_id: int
    conversation_id: int
    conversation: str
    reviewer: str
    status: str
    overall_score: float | None
    submitted_at: datetime | None
    rubric_version: int
    grades: tuple[GradeLine, ...]
    comment: str


def _can_see(session: Session, actor: Actor, review: Review) -> None:
    """Agents: own conversations only; reviewers: reviews they wrote; leads: all."""
    if actor.role in ("admin", "lead"):
        return
    if actor.is_agent:
        conv = session.get(Conversation, review.conversation_id)
        if actor.agent_id is not None and conv is not None and conv.agent_id == actor.agent_id:
            return
    elif actor.role == "reviewer" and review.reviewer_id == actor.user_id:
        return
    raise PermissionDenied("not your review", key="disputes.error.not_yours", role=actor.role)


def _summary(session: Session, actor: Actor, review: Review) -> ReviewSummary:
    _r, stored, _score = review_service.stored_score(session, review.id)
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


def visible_reviews(session: Session, actor: Actor, limit: int = 200) -> list[ReviewSummary]:
    """Submitted reviews the actor may see and dispute (agents: their own conversations)."""
    query = select(Review).where(Review.status.in_(DISPUTABLE)).order_by(Review.id.desc())
    if actor.is_agent:
        if actor.agent_id is None:
            return []
        query = query.join(Conversation, Conversation.id == Review.conversation_id).where(
            Conversation.agent_id == actor.agent_id
        )
    elif actor.role == "reviewer":
        query = query.where(Review.reviewer_id == actor.user_id)
    elif actor.role not in ("admin", "lead"):
        return []
    return [_summary(session, actor, r) for r in session.scalars(query.limit(limit))]


def review_summary(session: Session, actor: Actor, review_id: int) -> ReviewSummary:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    _can_see(session, actor, review)
    return _summary(session, actor, review)


def raise_dispute(
    session: Session,
    actor: Actor,
    review_id: int,
    reason: str,
    criterion_id: str | None = None,
    proposed_value: float | None = None,
) -> int:
    """Dispute a whole review or one criterion; the review moves to ``disputed``."""
    require_role(actor, "agent", "lead")
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    _can_see(session, actor, review)
    if review.status not in DISPUTABLE:
        raise Conflict("only submitted reviews can be disputed", key="disputes.error.not_submitted")
    if not reason.strip():
        raise InvalidInput("a reason is required", key="disputes.error.reason_required")
    _, stored, _ = review_service.stored_score(session, review_id)
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
    )
    session.add(dispute)
    review.status = "disputed"
    review.updated_at = utc_now()
    _flush(session, review)
    record_event(
        session,
        actor,
        "dispute.raised",
        "dispute",
        dispute.id,
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
    session: Session, actor: Actor, review: Review, dispute: Dispute, new_values: dict
) -> None:
    _, stored, _ = review_service.stored_score(session, review.id)
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
            )
        )
    session.flush()
    _, _, score = review_service.stored_score(session, review.id)
    review.overall_score = score.overall
    review.critical_fail = bool(score.critical_fails)


def resolve_dispute(
    session: Session,
    actor: Actor,
    dispute_id: int,
    accept: bool,
    answer: str,
    new_values: dict[str, float | None] | None = None,
) -> DisputeInfo:
    """Accept (grades change, score recomputed) or reject with an answer."""
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(f"dispute {dispute_id} not found", key="error.not_found")
    review = session.get(Review, dispute.review_id)
    require_role(actor, "reviewer", "lead")
    if actor.role == "reviewer" and review.reviewer_id != actor.user_id:
        raise PermissionDenied("not your review", key="disputes.error.not_yours", role=actor.role)
    if dispute.status != "open":
        raise Conflict("dispute already resolved", key="disputes.error.resolved")
    if not answer.strip():
        raise InvalidInput("an answer is required", key="disputes.error.answer_required")
    dispute.answer = answer.strip()
    if accept:
        values = new_values
        if values is None and dispute.criterion_id and dispute.proposed_value is not None:
            values = {dispute.criterion_id: dispute.proposed_value}
        _change_grades(session, actor, review, dispute, values or {})
    dispute.status = "accepted" if accept else "rejected"
    dispute.resolved_by = actor.user_id
    dispute.resolved_at = utc_now()
    session.flush()
    still_open = session.scalar(
        select(Dispute.id).where(Dispute.review_id == review.id, Dispute.status == "open")
    )
    review.status = "disputed" if still_open else "final"
    review.updated_at = utc_now()
    _flush(session, review)
    record_event(
        session,
        actor,
        f"dispute.{dispute.status}",
        "dispute",
        dispute.id,
        review_id=review.id,
        changes=new_values or {},
        score=review.overall_score,
    )
    return _info(session, actor, dispute)


def _info(session: Session, actor: Actor, d: Dispute) -> DisputeInfo:
    names = dict(session.execute(select(User.id, User.username)).all())
    review = session.get(Review, d.review_id)
    conv = session.get(Conversation, review.conversation_id)
    criterion_name = ""
    if d.criterion_id:
        _, stored, _ = review_service.stored_score(session, review.id)
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
    )


def list_disputes(session: Session, actor: Actor, status: str | None = None) -> list[DisputeInfo]:
    """Disputes the actor may see: agents their own conversations', reviewers their reviews'."""
    query = select(Dispute).join(Review, Review.id == Dispute.review_id).order_by(Dispute.id.desc())
    if status:
        query = query.where(Dispute.status == status)
    if actor.is_agent:
        if actor.agent_id is None:
            return []
        query = query.join(Conversation, Conversation.id == Review.conversation_id).where(
            Conversation.agent_id == actor.agent_id
        )
    elif actor.role == "reviewer":
        query = query.where(Review.reviewer_id == actor.user_id)
    elif actor.role not in ("admin", "lead"):
        return []
    return [_info(session, actor, d) for d in session.scalars(query.limit(500))]


def grade_history(session: Session, actor: Actor, review_id: int) -> list[dict]:
    """Every grade change of a review after submission (who, when, which dispute)."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    _can_see(session, actor, review)
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
            "at": c.at,
        }
        for c in rows
    ]
