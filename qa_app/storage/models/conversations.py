"""Imported conversations, their messages and survey answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from qa_app.storage.models.accounts import Agent, Team


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_conversations_source_external_id"),
        Index("ix_conversations_agent_started", "agent_id", "started_at"),
        Index("ix_conversations_customer_started", "customer_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(120), default="import")
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(2), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    customer_id: Mapped[str | None] = mapped_column(String(200))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="resolved")
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    subject: Mapped[str | None] = mapped_column(String(500))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    first_response_seconds: Mapped[float | None] = mapped_column(Float)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Personal data masked at import, per kind ({"email": 2, "phone": 1}); migration 0012.
    masked_items: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.seq", cascade="all, delete-orphan"
    )
    team: Mapped[Team | None] = relationship()
    agent: Mapped[Agent | None] = relationship()


class SurveyRating(Base):
    """One answer of a multi-attribute customer survey: how satisfied the customer of a
    conversation was with one attribute (speed, courtesy ...) on 1-5, and how important it
    is (a positive weight; None = not stated). The CSI is computed from these rows
    (docs/statistics.md, "CSI"); a re-import replaces a conversation's rows (migration 0017).
    """

    __tablename__ = "survey_ratings"
    __table_args__ = (
        UniqueConstraint(
            "conversation_id", "attribute", name="uq_survey_ratings_conversation_attribute"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    attribute: Mapped[str] = mapped_column(String(60))
    satisfaction: Mapped[int] = mapped_column(Integer)
    importance: Mapped[float | None] = mapped_column(Float)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "seq", name="uq_messages_conv_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(10))
    author: Mapped[str | None] = mapped_column(String(200))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None]

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
