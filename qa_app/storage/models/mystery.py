"""Mystery shopping (migration 0008): scenarios, visits, their answers and attachments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class MysteryScenario(Base):
    """A staged contact a shopper performs. Texts are ``{"en": ..., "ru": ...}`` (either may
    be missing when a lead typed one language); ``checklist`` is the rubric id graded with."""

    __tablename__ = "mystery_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    channel: Mapped[str] = mapped_column(String(20))
    persona: Mapped[dict[str, Any]] = mapped_column(default=dict)
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    correct_answer: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checklist: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class MysteryVisit(Base):
    """One staged contact and what the shopper saw. ``channel`` is copied from the scenario
    so reports group without a join; ``overall_score`` is the checklist's score maths."""

    __tablename__ = "mystery_visits"
    __table_args__ = (
        Index("ix_mystery_visits_contacted", "contacted_at"),
        Index("ix_mystery_visits_agent_contacted", "agent_id", "contacted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("mystery_scenarios.id"), index=True)
    shopper_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    external_ref: Mapped[str | None] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    contacted_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    checklist: Mapped[str] = mapped_column(String(120))
    checklist_version: Mapped[int] = mapped_column(Integer, default=1)
    overall_score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    critical_fail: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None]
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    answers: Mapped[list[MysteryAnswer]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    scenario: Mapped[MysteryScenario] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


class MysteryAnswer(Base):
    """One checklist item of one visit: the level given (None when not applicable), whether
    it counts as failed under the checklist's rule, and the shopper's comment."""

    __tablename__ = "mystery_answers"
    __table_args__ = (UniqueConstraint("visit_id", "criterion_id", name="uq_mystery_answers_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("mystery_visits.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Float)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")

    visit: Mapped[MysteryVisit] = relationship(back_populates="answers")


class MysteryAttachment(Base):
    """A screenshot or audio note of a visit. The bytes live in the data folder under
    ``stored_name`` (random); ``original_name`` is only shown, never used as a path."""

    __tablename__ = "mystery_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("mystery_visits.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(60))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
