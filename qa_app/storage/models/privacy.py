"""Personal data (migration 0012): retention policies and the aggregates kept after a
purge."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class RetentionPolicy(Base):
    """How long conversations from one ``source`` are kept (days after they started).

    A table rather than a settings file: the admin changes it in the app, the change is
    audited, and every app server and cron job of one deployment reads the same value."""

    __tablename__ = "retention_policies"

    source: Mapped[str] = mapped_column(String(120), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class AgentWeekAggregate(Base):
    """What scorecards need of conversations a retention purge deleted: per source, agent,
    ISO week and channel, the counts and sums that averages and trends are computed from.

    Written in the purge's transaction just before the rows go, so a scorecard over a
    purged week still has its volume, CSAT, review scores and automatic-score means. No
    text, no customer id: nothing here identifies a customer."""

    __tablename__ = "agent_week_aggregates"
    __table_args__ = (Index("ix_agent_week_aggregates_agent_week", "agent_id", "week_start"),)

    @classmethod
    def weeks_overlapping(cls, start: datetime, end: datetime) -> list:
        """WHERE conditions for the weeks sharing a moment with [start, end): a week's
        rows cannot be split by day, so a period that cuts a week still reads all of it."""
        return [cls.week_start > start - timedelta(days=7), cls.week_start < end]

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(120))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    week_start: Mapped[datetime]  # Monday 00:00 UTC
    channel: Mapped[str] = mapped_column(String(20))
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    escalated: Mapped[int] = mapped_column(Integer, default=0)
    csat_sum: Mapped[int] = mapped_column(Integer, default=0)
    csat_count: Mapped[int] = mapped_column(Integer, default=0)
    first_response_sum: Mapped[float] = mapped_column(Float, default=0.0)
    first_response_count: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    review_score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    critical_fails: Mapped[int] = mapped_column(Integer, default=0)
    #: Per automatic-score task: {"task": [sum of scores, how many]} (conversation level).
    auto_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Survey answers (migration 0023): CSAT is the share of 4-5 answers, NPS promoters
    # (9-10) minus detractors (0-6) over all answers, so their counts are kept, not means.
    csat_satisfied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    nps_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    nps_promoters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    nps_detractors: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Per survey attribute: {"speed": [satisfaction sum, answers, importance sum, importance
    #: answers]}: the CSI's per-attribute satisfaction and importance means.
    survey_ratings: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    purged_at: Mapped[datetime] = mapped_column(default=utc_now)
