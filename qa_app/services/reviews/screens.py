"""What the review and queue pages draw, each read in one unit of work.

A page calls one of these once per run and turns the result into widgets; it never goes
back to the database while drawing (the transcript's evidence and the suggestions come
with the screen, not from a second query in the middle of the page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from qa_app.services.actor import Actor
from qa_app.services.autoqa import MessageEvidence, message_evidence
from qa_app.services.permissions import can
from qa_app.services.reviews.goals import GoalProgress, goal_progress, my_progress
from qa_app.services.reviews.opening import open_review
from qa_app.services.reviews.queue import (
    BUCKETS,
    QueueCounts,
    QueueItem,
    all_queues,
    list_queue,
    next_assignment,
    queue_counts,
    reviewer_options,
)
from qa_app.services.reviews.review_scores import preview_score
from qa_app.services.reviews.review_values import ReviewContext
from qa_app.storage.uow import UnitOfWork
from scoring.rubric.score_maths import ReviewScore


@dataclass(frozen=True, slots=True)
class ReviewScreen:
    """The review page for one assignment: the assignment with its transcript, stored
    draft and suggestions (``review``), the scorers' evidence by message seq, and the
    score of the stored draft. ``review`` is None when the queue is empty."""

    review: ReviewContext | None
    evidence: dict[int, MessageEvidence] = field(default_factory=dict)
    stored_score: ReviewScore | None = None

    @property
    def assignment_id(self) -> int | None:
        return None if self.review is None else self.review.assignment_id


def review_screen(uow: UnitOfWork, actor: Actor, assignment_id: int | None = None) -> ReviewScreen:
    """Open ``assignment_id`` (or the actor's next one) with everything the page shows.

    Opening their own pending assignment marks it in progress, so this commits.
    """
    with uow:
        session = uow.session
        if assignment_id is None:
            assignment_id = next_assignment(session, actor)
            if assignment_id is None:
                return ReviewScreen(None)
        review = open_review(session, actor, assignment_id)
        evidence = message_evidence(session, review.conversation_id)
        uow.commit()
    score = preview_score(review.rubric.rubric, review.draft, review.auto_na)
    return ReviewScreen(review, evidence, score)


@dataclass(frozen=True, slots=True)
class QueueScreen:
    """The queue page: the actor's own counts and next assignment, each bucket's items for
    the chosen reviewer, and for leads every reviewer's counts and the reviewer choice."""

    counts: QueueCounts
    next_assignment_id: int | None
    reviewer_id: int | None
    buckets: dict[str, list[QueueItem]]
    all_reviewers: pd.DataFrame | None = None
    reviewer_options: list[tuple[int, str]] | None = None
    #: The actor's own weekly goal and progress (None when their role has no goals).
    goal: GoalProgress | None = None


def queue_screen(
    uow: UnitOfWork,
    actor: Actor,
    reviewer_id: int | None = None,
    *,
    now: datetime | None = None,
) -> QueueScreen:
    """The queue page; leads list ``reviewer_id``'s queue (None: everyone's), others their own.
    With ``now``, the actor's own goal progress for that week comes too.

    A chosen reviewer who no longer has a queue falls back to everyone.
    """
    with uow:
        session = uow.session
        counts = queue_counts(session, actor, actor.user_id)
        next_id = next_assignment(session, actor)
        goal = None
        if now is not None and can(actor, "goals.view_own"):
            goal = my_progress(session, actor, now)
        frame = options = None
        if can(actor, "queue.view_any"):
            frame = all_queues(session, actor)
            options = reviewer_options(session, actor)
            if reviewer_id not in {rid for rid, _name in options}:
                reviewer_id = None
        else:
            reviewer_id = actor.user_id
        buckets = {
            bucket: list_queue(session, actor, bucket, reviewer_id=reviewer_id)
            for bucket in BUCKETS
        }
    return QueueScreen(counts, next_id, reviewer_id, buckets, frame, options, goal)


def goals_screen(uow: UnitOfWork, actor: Actor, now: datetime) -> list[GoalProgress]:
    """Every reviewer's weekly goal and progress (the lead's goals section)."""
    with uow:
        return goal_progress(uow.session, actor, now)
