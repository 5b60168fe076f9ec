"""A simulated reviewer: grades assignments through the same service calls as the review
page (open, submit with the lock version it saw), so load and scale runs exercise the real
write path, its checks and its conflicts rather than bulk inserts.

Shared by ``bench scale`` (grading the sampled conversations) and ``bench load`` (many
reviewers at once).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime

from qa_app.services import database, reviews
from qa_app.services.actor import Actor
from qa_app.services.errors import Conflict
from qa_app.services.use_case import atomic

do_open_review = atomic(reviews.open_review)


@dataclass(frozen=True, slots=True)
class Graded:
    """One attempt: ``outcome`` is ``submitted`` or ``conflict``; seconds per service call."""

    assignment_id: int
    outcome: str
    open_seconds: float
    submit_seconds: float
    review_id: int | None = None


def draft_for(
    context: reviews.ReviewContext, rng: random.Random, quality: float
) -> reviews.ReviewDraft:
    """Grades a reviewer of the given strictness might give: every criterion that applies
    gets a level drawn around ``quality`` (0..1); automatic N/A criteria stay untouched."""
    grades: dict[str, reviews.GradeInput] = {}
    for criterion in context.rubric.rubric.criteria():
        if criterion.id in context.auto_na:
            continue
        levels = criterion.scale.values
        q = min(1.0, max(0.0, rng.gauss(quality, 0.18)))
        grades[criterion.id] = reviews.GradeInput(value=float(levels[round(q * (len(levels) - 1))]))
    return reviews.ReviewDraft(grades=grades, comment="")


def grade_one(
    url: str,
    actor: Actor,
    assignment_id: int,
    rng: random.Random,
    *,
    quality: float = 0.75,
    now: datetime | None = None,
) -> Graded:
    """Open ``assignment_id`` as ``actor`` and submit a full review, as the page does."""
    began = time.perf_counter()
    context = do_open_review(database.unit_of_work(url), actor, assignment_id)
    opened = time.perf_counter()
    draft = draft_for(context, rng, quality)
    try:
        saved = reviews.do_submit_review(
            database.unit_of_work(url), actor, assignment_id, draft, context.lock_version, now=now
        )
    except Conflict:
        return Graded(assignment_id, "conflict", opened - began, time.perf_counter() - opened)
    return Graded(
        assignment_id, "submitted", opened - began, time.perf_counter() - opened, saved.review_id
    )
