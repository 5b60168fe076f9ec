"""Walk a recurring plan through simulated weeks: the demo of planned sampling, and the
check that it keeps its promises (quotas, capacity, no duplicates, goal progress).

Each week, at the plan's scheduled time: read every plan reviewer's standing, run the
plan, then let each reviewer review a share of their open queue during the week (real
reviews through the review service, graded at the top level of every criterion and dated
inside the simulated week), and read the standing again before the next run. The clock is
the simulated one throughout. This WRITES reviews: run it on a scratch copy or the demo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from qa_app.services import reviews
from qa_app.services.accounts import actor_for
from qa_app.services.actor import Actor
from qa_app.services.errors import InvalidInput
from qa_app.services.permissions import require
from qa_app.services.sampling.recurring import plan_row, plan_schedule
from qa_app.services.sampling.runs import PlanRunResult, run_plan
from qa_app.services.sampling.schedule import next_run
from qa_app.storage.models import Assignment, User
from qa_app.storage.uow import UnitOfWork

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class SimulatedWeek:
    run: PlanRunResult
    #: Each reviewer's standing just before the run, and six days later (same week).
    before: dict[str, reviews.GoalProgress]
    after: dict[str, reviews.GoalProgress]
    reviewed: dict[str, int]


def _standing(session, plan_id: int, now: datetime) -> dict[str, reviews.GoalProgress]:
    plan = plan_row(session, plan_id)
    loads = reviews.reviewer_loads(session, list(plan.reviewer_ids), now)
    return {load.reviewer: load for load in loads.values()}


def _full_marks(context: reviews.ReviewContext) -> reviews.ReviewDraft:
    rubric = context.rubric.rubric
    return reviews.ReviewDraft(
        {c.id: reviews.GradeInput(c.scale.max_value) for c in rubric.criteria()}
    )


def _review_share(session, plan_id: int, share: float, start: datetime) -> dict[str, int]:
    """Each plan reviewer reviews ``share`` of their open queue (oldest first), one review
    every ten minutes from a day after ``start``."""
    plan = plan_row(session, plan_id)
    users = session.scalars(select(User).where(User.id.in_(plan.reviewer_ids))).all()
    done: dict[str, int] = {}
    for user in users:
        actor = actor_for(user)
        queue = session.scalars(
            select(Assignment.id)
            .where(
                Assignment.reviewer_id == user.id, Assignment.status.in_(("pending", "in_progress"))
            )
            .order_by(Assignment.id)
        ).all()
        count = math.floor(len(queue) * share)
        for n, assignment_id in enumerate(queue[:count]):
            context = reviews.open_review(session, actor, assignment_id)
            at = start + timedelta(days=1, minutes=10 * n)
            reviews.submit_review(
                session, actor, assignment_id, _full_marks(context), context.lock_version, now=at
            )
        done[user.username] = count
    return done


def simulate_plan(
    uow: UnitOfWork,
    actor: Actor,
    plan_id: int,
    start: datetime,
    weeks: int = 2,
    *,
    review_share: float = 1.0,
) -> list[SimulatedWeek]:
    """Run ``plan_id`` at its first scheduled time at or after ``start`` and then once a
    week for ``weeks`` weeks, reviewers working in between (see the module docstring)."""
    require(actor, "sampling.plan")
    if not 1 <= weeks <= 52 or not 0.0 <= review_share <= 1.0:
        raise InvalidInput("1-52 weeks, share 0-1", key="sampling.error.simulation")
    with uow:
        first = next_run(
            plan_schedule(plan_row(uow.session, plan_id)), start - timedelta(seconds=1)
        )
    out = []
    for week in range(weeks):
        now = first + week * WEEK
        with uow:
            before = _standing(uow.session, plan_id, now)
            result = run_plan(uow.session, actor, plan_id, now)
            uow.commit()
        with uow:
            reviewed = _review_share(uow.session, plan_id, review_share, now)
            uow.commit()
        with uow:
            after = _standing(uow.session, plan_id, now + timedelta(days=6))  # same goal week
        out.append(SimulatedWeek(result, before, after, reviewed))
    return out
