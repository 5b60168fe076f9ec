"""Automatic scoring (migration 0003): scores, which pipeline scored what, and why
a queued scoring job failed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class AutoScore(Base):
    """One automatic score: per message (``message_id`` set) or per conversation.

    ``task`` is the scorer or signal name; ``scorer_version`` lets a scorer change trigger
    rescoring. Evidence holds the spans and rules that explain the score.
    """

    __tablename__ = "auto_scores"
    __table_args__ = (
        Index("ix_auto_scores_conversation_task", "conversation_id", "task"),
        Index("ix_auto_scores_message", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    task: Mapped[str] = mapped_column(String(60))
    scorer_version: Mapped[str] = mapped_column(String(80))
    label: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class AutoScoreRun(Base):
    """Which conversation was scored with which pipeline version and content hash."""

    __tablename__ = "auto_score_runs"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    pipeline_version: Mapped[str] = mapped_column(String(120))
    content_hash: Mapped[str] = mapped_column(String(64))
    signals: Mapped[dict[str, Any]] = mapped_column(default=dict)
    scored_at: Mapped[datetime] = mapped_column(default=utc_now)


class ScoringJobFailure(Base):
    """Why a scoring job on the task queue failed (``qa-studio worker``): the queue keeps
    only the job's state, so the reason the queue page shows is written here (0022)."""

    __tablename__ = "scoring_job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(BigInteger, index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    conversations: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    failed_at: Mapped[datetime] = mapped_column(default=utc_now)
