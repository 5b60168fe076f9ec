"""Review queues: what each reviewer has to do, and the one-click "next conversation".

Queries stay on the (reviewer_id, status) index and read only the columns a queue row
shows, so a queue opens quickly however many conversations are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.errors import PermissionDenied
from qa_app.services.permissions import can, require, roles_for
from qa_app.storage.models import Agent, Assignment, Conversation, Review, User

#: Queue tabs and the assignment statuses in each.
BUCKETS = {"due": ("pending",), "in_progress": ("in_progress",), "done": ("done",)}


@dataclass(frozen=True, slots=True)
class QueueItem:
    assignment_id: int
    conversation_id: int
    external_id: str
    channel: str
    language: str
    started_at: datetime
    agent: str | None
    reviewer: str
    status: str
    review_status: str | None
    score: float | None
    sample_label: str
    created_at: datetime
    due_at: datetime | None
    blind: bool


@dataclass(frozen=True, slots=True)
class QueueCounts:
    due: int = 0
    in_progress: int = 0
    done: int = 0

    @property
    def open(self) -> int:
        return self.due + self.in_progress


def _reviewer_scope(actor: Actor, reviewer_id: int | None) -> int | None:
    """Reviewers see their own queue; leads and admins any (None = everyone)."""
    require(actor, "queue.view")
    if can(actor, "queue.view_any"):
        return reviewer_id
    if reviewer_id not in (None, actor.user_id):
        raise PermissionDenied(
            "reviewers see only their own queue", key="error.permission_denied", role=actor.role
        )
    return actor.user_id


def queue_counts(session: Session, actor: Actor, reviewer_id: int | None = None) -> QueueCounts:
    """Due / in progress / done counts of one reviewer (or everyone, for leads)."""
    scope = _reviewer_scope(actor, reviewer_id)
    query = select(Assignment.status, func.count()).group_by(Assignment.status)
    if scope is not None:
        query = query.where(Assignment.reviewer_id == scope)
    counts = dict(session.execute(query).all())
    return QueueCounts(
        due=counts.get("pending", 0),
        in_progress=counts.get("in_progress", 0),
        done=counts.get("done", 0),
    )


def list_queue(
    session: Session,
    actor: Actor,
    bucket: str = "due",
    reviewer_id: int | None = None,
    limit: int = 200,
) -> list[QueueItem]:
    """Queue rows of one bucket, oldest first for open work and newest first for done."""
    scope = _reviewer_scope(actor, reviewer_id)
    statuses = BUCKETS[bucket]
    order = Assignment.id.desc() if bucket == "done" else Assignment.id
    query = (
        select(
            Assignment,
            Conversation.external_id,
            Conversation.channel,
            Conversation.language,
            Conversation.started_at,
            Agent.login,
            User.username,
            Review.status.label("review_status"),
            Review.overall_score,
        )
        .join(Conversation, Conversation.id == Assignment.conversation_id)
        .join(User, User.id == Assignment.reviewer_id)
        .outerjoin(Agent, Agent.id == Conversation.agent_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.status.in_(statuses))
        .order_by(order)
        .limit(limit)
    )
    if scope is not None:
        query = query.where(Assignment.reviewer_id == scope)
    return [
        QueueItem(
            assignment_id=a.id,
            conversation_id=a.conversation_id,
            external_id=external_id,
            channel=channel,
            language=language,
            started_at=started_at,
            agent=None if a.blind else login,
            reviewer=username,
            status=a.status,
            review_status=review_status,
            score=score,
            sample_label=a.sample_label,
            created_at=a.created_at,
            due_at=a.due_at,
            blind=a.blind,
        )
        for a, external_id, channel, language, started_at, login, username, review_status, score in (
            session.execute(query).all()
        )
    ]


def next_assignment(session: Session, actor: Actor) -> int | None:
    """The assignment a reviewer should open next: unfinished work first, then the oldest due."""
    require(actor, "queue.view")
    for status in ("in_progress", "pending"):
        found = session.scalar(
            select(Assignment.id)
            .where(Assignment.reviewer_id == actor.user_id, Assignment.status == status)
            .order_by(Assignment.id)
            .limit(1)
        )
        if found is not None:
            return found
    return None


def all_queues(session: Session, actor: Actor) -> pd.DataFrame:
    """One row per reviewer with due / in progress / done counts (leads and admins)."""
    require(actor, "queue.view_any")

    def count(status: str):
        return func.sum(case((Assignment.status == status, 1), else_=0))

    query = (
        select(
            User.username.label("reviewer"),
            count("pending").label("due"),
            count("in_progress").label("in_progress"),
            count("done").label("done"),
        )
        .join(Assignment, Assignment.reviewer_id == User.id)
        .group_by(User.username)
        .order_by(User.username)
    )
    frame = pd.DataFrame(
        session.execute(query).all(), columns=["reviewer", "due", "in_progress", "done"]
    )
    return frame.astype({"due": int, "in_progress": int, "done": int})


def reviewer_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Active users who can review, for leads choosing whose queue to see or whom to assign."""
    require(actor, "queue.view_any")
    query = (
        select(User.id, User.username)
        .where(User.role.in_(roles_for("review.grade")), User.is_active.is_(True))
        .order_by(User.username)
    )
    return [tuple(row) for row in session.execute(query).all()]
