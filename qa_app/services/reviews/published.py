"""Submitted reviews as other programs read them (the REST API): one review with its
grades, or a page of reviews, each limited to what the reader may see.

Leads (``review.read_any``) read every review; reviewers (``review.read_own``) the reviews
they wrote; agents (``results.view_own``) the reviews of their own conversations. Drafts
are never shown: only reviews in ``PUBLISHED`` states.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from qa_app.services.actor import Actor
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.services.permissions import can
from qa_app.storage.models import Conversation, Review, User

#: Review states a reader outside the reviewer's own page may see.
PUBLISHED = ("submitted", "disputed", "final")
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class PublishedGrade:
    criterion_id: str
    value: float | None
    not_applicable: bool
    comment: str


@dataclass(frozen=True, slots=True)
class PublishedReview:
    review_id: int
    conversation_id: int
    external_id: str
    source: str
    agent_id: int | None
    reviewer: str
    rubric_version_id: int
    status: str
    score: float | None
    critical_fail: bool
    comment: str
    calibration: bool
    submitted_at: datetime | None
    grades: tuple[PublishedGrade, ...]


def _scoped(actor: Actor, query: Select) -> Select:
    """``query`` limited to the reviews ``actor`` may read; refused when none."""
    if can(actor, "review.read_any"):
        return query
    if can(actor, "review.read_own"):
        return query.where(Review.reviewer_id == (actor.user_id or -1))
    if can(actor, "results.view_own"):
        return query.where(
            Conversation.agent_id == (actor.agent_id or -1),
            Review.calibration_session_id.is_(None),
        )
    raise PermissionDenied(
        f"{actor.username} ({actor.role}) may not read reviews",
        key="error.permission_denied", role=actor.role,
    )  # fmt: skip


def _base(actor: Actor) -> Select:
    query = (
        select(Review, Conversation.external_id, Conversation.source, Conversation.agent_id,
               User.username)
        .join(Conversation, Conversation.id == Review.conversation_id)
        .join(User, User.id == Review.reviewer_id)
        .where(Review.status.in_(PUBLISHED))
        .options(selectinload(Review.grades))
    )  # fmt: skip
    return _scoped(actor, query)


def _published(row) -> PublishedReview:
    review, external_id, source, agent_id, reviewer = row
    grades = tuple(
        PublishedGrade(g.criterion_id, g.value, bool(g.not_applicable), g.comment or "")
        for g in sorted(review.grades, key=lambda g: g.criterion_id)
    )
    return PublishedReview(
        review.id, review.conversation_id, external_id, source, agent_id, reviewer,
        review.rubric_version_id, review.status, review.overall_score,
        bool(review.critical_fail), review.comment or "",
        review.calibration_session_id is not None, review.submitted_at, grades,
    )  # fmt: skip


def read_review(session: Session, actor: Actor, review_id: int) -> PublishedReview:
    """One submitted review with its grades; NotFound also when the actor may not see it
    (so ids of other people's reviews are not confirmed)."""
    row = session.execute(_base(actor).where(Review.id == int(review_id))).first()
    if row is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    return _published(row)


def list_reviews(
    session: Session,
    actor: Actor,
    *,
    external_id: str | None = None,
    agent_id: int | None = None,
    submitted_since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[PublishedReview]:
    """Submitted reviews the actor may read, oldest first, filtered and paged."""
    query = _base(actor)
    if external_id is not None:
        query = query.where(Conversation.external_id == external_id)
    if agent_id is not None:
        query = query.where(Conversation.agent_id == agent_id)
    if submitted_since is not None:
        query = query.where(Review.submitted_at >= submitted_since)
    limit = max(1, min(int(limit), MAX_PAGE))
    query = query.order_by(Review.id).limit(limit).offset(max(0, int(offset)))
    return [_published(row) for row in session.execute(query)]
