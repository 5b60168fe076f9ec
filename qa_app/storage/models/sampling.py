"""Planned sampling (migration 0006): recurring plans, their runs, reviewer goals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class AssignmentPlan(Base):
    """A recurring sample a lead defines once: on its schedule it fills reviewers' queues.

    ``weekdays`` (0 = Monday) and ``run_at`` (``"07:00"``) are local to ``timezone``; one
    weekday makes a weekly plan (one run per ISO week), several a daily one (one run per
    day). ``filters`` is a ``ConversationFilters`` document without dates: each run takes
    the conversations that started since the previous scheduled run.
    """

    __tablename__ = "assignment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    weekdays: Mapped[list[Any]] = mapped_column(default=list)
    run_at: Mapped[str] = mapped_column(String(5), default="07:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    strategy: Mapped[str] = mapped_column(String(20), default="stratified")
    quota_per_agent: Mapped[int] = mapped_column(Integer, default=5)
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reviewer_ids: Mapped[list[Any]] = mapped_column(default=list)
    rubric_slug: Mapped[str | None] = mapped_column(String(120))
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Scheduled runs before this moment are never due (a new plan does not back-fill).
    active_from: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class AssignmentPlanRun(Base):
    """One period of one plan. The unique (plan, period) key makes running a plan twice
    for the same week a no-op, even when two schedulers start at the same moment."""

    __tablename__ = "assignment_plan_runs"
    __table_args__ = (
        UniqueConstraint("plan_id", "period_key", name="uq_assignment_plan_runs_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("assignment_plans.id"), index=True)
    period_key: Mapped[str] = mapped_column(String(20))
    occurrence_at: Mapped[datetime]
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    ran_at: Mapped[datetime] = mapped_column(default=utc_now)
    ran_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120), default="system")
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    left_out: Mapped[int] = mapped_column(Integer, default=0)
    capacity_override: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReviewerGoal(Base):
    """How many reviews a week a lead expects of one reviewer; the base of their capacity."""

    __tablename__ = "reviewer_goals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    weekly_reviews: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
