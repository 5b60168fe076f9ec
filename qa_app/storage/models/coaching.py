"""Coaching plans, sessions and agents' confirmations (migration 0009).

Coaching topics live in ``rubrics/coaching-topics.yaml``, not in a table; plans refer to
a topic by its slug."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class CoachingPlan(Base):
    """A trainer's plan to coach one topic (``rubrics/coaching-topics.yaml``) with one agent
    or a group, by a due date. ``lock_version`` makes two trainers' edits of the same plan
    end in a conflict rather than in the later one silently winning."""

    __tablename__ = "coaching_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(120), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    due_at: Mapped[datetime]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    agents: Mapped[list[CoachingPlanAgent]] = relationship(
        cascade="all, delete-orphan", order_by="CoachingPlanAgent.agent_id"
    )
    sessions: Mapped[list[CoachingSession]] = relationship(
        cascade="all, delete-orphan", order_by="CoachingSession.held_at"
    )

    __mapper_args__ = {"version_id_col": lock_version}


class CoachingPlanAgent(Base):
    """An agent a coaching plan is for (one row for a one-to-one plan, several for a group)."""

    __tablename__ = "coaching_plan_agents"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_plans.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True, index=True)


class CoachingSession(Base):
    """One session held under a plan: when, which exercises, the trainer's notes."""

    __tablename__ = "coaching_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_plans.id", ondelete="CASCADE"), index=True
    )
    held_at: Mapped[datetime]
    exercises: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)

    confirmations: Mapped[list[CoachingConfirmation]] = relationship(cascade="all, delete-orphan")


class CoachingConfirmation(Base):
    """An agent confirms they took part in a session (their side of the record)."""

    __tablename__ = "coaching_confirmations"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utc_now)
