"""Calibration sessions and the consensus grades a lead records in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class CalibrationSession(Base):
    __tablename__ = "calibration_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    closed_at: Mapped[datetime | None]
    #: A lead's decision (migration 0011): the session's grades count as the agents'
    #: evaluation. Until then agents never see them and nobody may dispute them.
    counts_for_agents: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    counted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[datetime | None]


class CalibrationConsensus(Base):
    """The grade a calibration lead records as the agreed answer, with notes."""

    __tablename__ = "calibration_consensus"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "conversation_id", "criterion_id", name="uq_calibration_consensus_item"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    criterion_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utc_now)
