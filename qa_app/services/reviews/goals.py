"""Reviewer goals (reviews per week) and the capacity that follows from them.

A lead sets each reviewer's weekly goal; progress is the reviews submitted this week (any
review, calibration included: it is work done) against it, beside the assignments still
open. Capacity, what sampling may still give a reviewer this week, is the goal minus
both: the open work will be done this week too. Weeks run Monday 00:00 to Monday 00:00
in the QA team's time zone (``QA_STUDIO_TIMEZONE``, default UTC).

Goals live with the reviewer's work (the queue page shows each reviewer their own
progress); sampling reads ``reviewer_loads`` to spread work by capacity.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.permissions import require, roles_for
from qa_app.storage.models import Assignment, Review, ReviewerGoal, User

TIMEZONE_ENV = "QA_STUDIO_TIMEZONE"
DONE_STATUSES = ("submitted", "disputed", "final")
OPEN_STATUSES = ("pending", "in_progress")
MAX_WEEKLY_GOAL = 1000


@dataclass(frozen=True, slots=True)
class GoalProgress:
    reviewer_id: int
    reviewer: str
    goal: int | None
    done: int
    open: int
    week_start: datetime
    week_end: datetime

    @property
    def capacity(self) -> int | None:
        """What sampling may still assign this week (None: no goal, not capped)."""
        return None if self.goal is None else max(0, self.goal - self.done - self.open)


def team_timezone() -> str:
    """The zone that weeks are counted in (an unknown name falls back to UTC)."""
    name = os.environ.get(TIMEZONE_ENV, "").strip() or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def week_bounds(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 (local to ``timezone``) around ``now``, in UTC:
    the week a reviewer's goal counts."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone).date()
    monday = local - timedelta(days=local.weekday())
    start = datetime.combine(monday, time.min, tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _counts(session: Session, query, ids: list[int]) -> dict[int, int]:
    return dict(session.execute(query.group_by(query.selected_columns[0])).all()) if ids else {}


def reviewer_loads(
    session: Session, user_ids: list[int], now: datetime, timezone: str | None = None
) -> dict[int, GoalProgress]:
    """Goal, done this week and open work of each reviewer in ``user_ids`` (three grouped
    queries, whatever the number of reviewers)."""
    start, end = week_bounds(now, timezone or team_timezone())
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all())
    goals = dict(
        session.execute(
            select(ReviewerGoal.user_id, ReviewerGoal.weekly_reviews).where(
                ReviewerGoal.user_id.in_(user_ids)
            )
        ).all()
    )
    done = _counts(
        session,
        select(Review.reviewer_id, func.count()).where(
            Review.reviewer_id.in_(user_ids),
            Review.status.in_(DONE_STATUSES),
            Review.submitted_at >= start,
            Review.submitted_at < end,
        ),
        user_ids,
    )
    open_ = _counts(
        session,
        select(Assignment.reviewer_id, func.count()).where(
            Assignment.reviewer_id.in_(user_ids), Assignment.status.in_(OPEN_STATUSES)
        ),
        user_ids,
    )
    return {
        uid: GoalProgress(
            uid, names[uid], goals.get(uid), done.get(uid, 0), open_.get(uid, 0), start, end
        )
        for uid in user_ids
        if uid in names
    }


def _reviewer_ids(session: Session) -> list[int]:
    query = (
        select(User.id)
        .where(User.role.in_(roles_for("review.grade")), User.is_active.is_(True))
        .order_by(User.username)
    )
    return list(session.scalars(query))


def goal_progress(
    session: Session, actor: Actor, now: datetime, timezone: str | None = None
) -> list[GoalProgress]:
    """Every active reviewer's goal and progress this week (for leads)."""
    require(actor, "sampling.goals")
    ids = _reviewer_ids(session)
    loads = reviewer_loads(session, ids, now, timezone)
    return [loads[uid] for uid in ids]


def my_progress(
    session: Session, actor: Actor, now: datetime, timezone: str | None = None
) -> GoalProgress:
    """The signed-in reviewer's own goal and progress this week (their queue page)."""
    require(actor, "goals.view_own")
    loads = reviewer_loads(session, [actor.user_id], now, timezone)
    if actor.user_id not in loads:
        raise NotFound("your account was not found", key="error.not_found")
    return loads[actor.user_id]


def set_goal(
    session: Session,
    actor: Actor,
    reviewer: str,
    weekly_reviews: int | None,
    *,
    now: datetime | None = None,
) -> None:
    """Set (or with None remove) a reviewer's weekly goal; audited with the old value."""
    require(actor, "sampling.goals")
    if weekly_reviews is not None and not 0 <= weekly_reviews <= MAX_WEEKLY_GOAL:
        raise InvalidInput(
            f"a weekly goal must be between 0 and {MAX_WEEKLY_GOAL}, not {weekly_reviews}",
            key="sampling.error.goal_range",
            value=weekly_reviews,
            most=MAX_WEEKLY_GOAL,
        )
    user = session.scalar(select(User).where(User.username == reviewer))
    if user is None:
        raise NotFound(
            f"unknown reviewer {reviewer}", key="sampling.error.unknown_reviewer", names=reviewer
        )
    if user.role not in roles_for("review.grade") or not user.is_active:
        raise InvalidInput(
            f"{reviewer} is not an active reviewer",
            key="sampling.error.not_reviewer",
            names=reviewer,
        )
    row = session.get(ReviewerGoal, user.id)
    old = row.weekly_reviews if row else None
    at = utc_now(now)
    if weekly_reviews is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(
            ReviewerGoal(
                user_id=user.id, weekly_reviews=weekly_reviews, set_by=actor.user_id, updated_at=at
            )
        )
    else:
        row.weekly_reviews, row.set_by, row.updated_at = weekly_reviews, actor.user_id, at
    session.flush()
    record_event(
        session,
        actor,
        "goal.set",
        "user",
        user.id,
        now=at,
        reviewer=reviewer,
        old=old,
        new=weekly_reviews,
    )
