"""Reviewer productivity for leads: reviews per reviewer per week against the weekly goal,
time per review, and how well the sampling quota per agent was covered; beside it, the
feedback agents have not acknowledged yet (from ``results``).

Weeks run Monday to Monday in the QA team's zone, as the goals do. Time per review is the
median of submitted minus opened (a review opened and left overnight would swamp a mean).
Quota coverage: each agent with conversations in a week should have ``quota`` of them
reviewed, or all of them when they had fewer; coverage is what was reviewed of that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services import results, reviews
from qa_app.services.actor import Actor
from qa_app.services.permissions import require, roles_for
from qa_app.storage.models import AssignmentPlan, Conversation, Review, ReviewerGoal, User
from qa_app.storage.uow import UnitOfWork

DONE = ("submitted", "disputed", "final")
WEEKS = 8
#: The quota when no recurring plan is active: the demo season's three per agent and week.
DEFAULT_QUOTA = 3


def week_start(moments: pd.Series, timezone: str) -> pd.Series:
    """Monday 00:00 (local to ``timezone``) of each moment's week, as a date."""
    local = pd.to_datetime(moments, utc=True).dt.tz_convert(ZoneInfo(timezone))
    return (local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")).dt.date


def reviewer_weeks(done: pd.DataFrame, goals: dict[str, int], timezone: str) -> pd.DataFrame:
    """Per reviewer and week: reviews, goal, share of goal, median minutes per review.
    ``done`` has reviewer, created_at, submitted_at."""
    columns = ["reviewer", "week", "reviews", "goal", "of_goal", "median_minutes"]
    if done.empty:
        return pd.DataFrame(columns=columns)
    frame = done.assign(
        week=week_start(done["submitted_at"], timezone),
        minutes=(done["submitted_at"] - done["created_at"]).dt.total_seconds() / 60.0,
    )
    grouped = frame.groupby(["reviewer", "week"]).agg(
        reviews=("minutes", "size"), median_minutes=("minutes", "median")
    )
    grouped = grouped.reset_index()
    grouped["goal"] = grouped["reviewer"].map(goals)
    grouped["of_goal"] = grouped["reviews"] / grouped["goal"].where(grouped["goal"] > 0)
    return grouped[columns].sort_values(
        ["week", "reviewer"], ascending=[False, True], ignore_index=True
    )


def quota_coverage(conversations: pd.DataFrame, quota: int, timezone: str) -> pd.DataFrame:
    """Per week: agents with conversations, reviewed conversations counted up to each
    agent's quota, what the quota asked for (min(quota, conversations) per agent) and the
    share covered. ``conversations`` has agent_id, started_at, reviewed (bool)."""
    columns = ["week", "agents", "expected", "covered", "coverage"]
    if conversations.empty:
        return pd.DataFrame(columns=columns)
    frame = conversations.assign(week=week_start(conversations["started_at"], timezone))
    per_agent = frame.groupby(["week", "agent_id"]).agg(
        total=("reviewed", "size"), reviewed=("reviewed", "sum")
    )
    per_agent["expected"] = per_agent["total"].clip(upper=quota)
    per_agent["covered"] = per_agent[["reviewed", "expected"]].min(axis=1)
    weekly = per_agent.groupby("week").agg(
        agents=("total", "size"), expected=("expected", "sum"), covered=("covered", "sum")
    )
    weekly["coverage"] = weekly["covered"] / weekly["expected"]
    return weekly.reset_index()[columns].sort_values("week", ascending=False, ignore_index=True)


@dataclass(frozen=True, slots=True)
class ProductivityScreen:
    since: datetime
    until: datetime
    timezone: str
    quota: int
    quota_from_plans: bool
    weeks: pd.DataFrame  # reviewer_weeks
    coverage: pd.DataFrame  # quota_coverage
    unacknowledged: pd.DataFrame  # results.unacknowledged_counts


def _done(session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    rows = session.execute(
        select(User.username, Review.created_at, Review.submitted_at)
        .join(User, User.id == Review.reviewer_id)
        .where(
            Review.status.in_(DONE),
            Review.submitted_at >= since,
            Review.submitted_at < until,
        )
    ).all()
    return pd.DataFrame(rows, columns=["reviewer", "created_at", "submitted_at"])


def _goals(session: Session) -> dict[str, int]:
    return dict(
        session.execute(
            select(User.username, ReviewerGoal.weekly_reviews)
            .join(ReviewerGoal, ReviewerGoal.user_id == User.id)
            .where(User.role.in_(roles_for("review.grade")))
        ).all()
    )


def _conversations(session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    reviewed = (
        select(Review.conversation_id)
        .where(Review.status.in_(DONE), Review.calibration_session_id.is_(None))
        .distinct()
        .subquery()
    )
    rows = session.execute(
        select(
            Conversation.agent_id,
            Conversation.started_at,
            reviewed.c.conversation_id.is_not(None),
        )
        .outerjoin(reviewed, reviewed.c.conversation_id == Conversation.id)
        .where(
            Conversation.agent_id.is_not(None),
            Conversation.started_at >= since,
            Conversation.started_at < until,
        )
    ).all()
    return pd.DataFrame(rows, columns=["agent_id", "started_at", "reviewed"])


def _quota(session: Session) -> tuple[int, bool]:
    found = session.scalar(
        select(func.max(AssignmentPlan.quota_per_agent)).where(AssignmentPlan.is_active.is_(True))
    )
    return (int(found), True) if found else (DEFAULT_QUOTA, False)


def productivity_screen(
    uow: UnitOfWork, actor: Actor, now: datetime, weeks: int = WEEKS
) -> ProductivityScreen:
    """The reviewer-productivity page in one read (leads)."""
    require(actor, "reviews.productivity")
    timezone = reviews.team_timezone()
    local = now.astimezone(ZoneInfo(timezone))
    this_monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    until = this_monday + timedelta(weeks=1)
    since = until - timedelta(weeks=weeks)
    with uow:
        session = uow.session
        quota, from_plans = _quota(session)
        return ProductivityScreen(
            since,
            until,
            timezone,
            quota,
            from_plans,
            reviewer_weeks(_done(session, since, until), _goals(session), timezone),
            quota_coverage(_conversations(session, since, until), quota, timezone),
            results.unacknowledged_counts(session, actor),
        )
