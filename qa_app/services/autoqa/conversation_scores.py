"""The automatic scores of one conversation as other programs read them (the REST API):
the conversation-level signals and, per message, each scorer's label and score.

Staff who read automatic scores (``autoqa.read``) read any conversation's; the
conversation is named as it was imported: its source and external id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.errors import NotFound
from qa_app.services.permissions import require
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation, Message


@dataclass(frozen=True, slots=True)
class AutoScoreItem:
    task: str
    label: str | None
    score: float | None
    scorer_version: str
    message_seq: int | None  # None: a conversation-level signal


@dataclass(frozen=True, slots=True)
class ConversationScores:
    conversation_id: int
    external_id: str
    source: str
    pipeline_version: str | None
    scored_at: datetime | None
    current: bool  # scored from the conversation's present content
    scores: tuple[AutoScoreItem, ...]


def conversation_scores(
    session: Session, actor: Actor, external_id: str, source: str
) -> ConversationScores:
    """Every automatic score of the conversation ``(source, external_id)``; NotFound when
    no such conversation exists (an unscored one has an empty ``scores``)."""
    require(actor, "autoqa.read")
    conversation = session.scalar(
        select(Conversation).where(
            Conversation.source == source, Conversation.external_id == external_id
        )
    )
    if conversation is None:
        raise NotFound(f"conversation {external_id!r} not found in source {source!r}",
                       key="error.not_found")  # fmt: skip
    run = session.get(AutoScoreRun, conversation.id)
    rows = session.execute(
        select(AutoScore.task, AutoScore.label, AutoScore.score, AutoScore.scorer_version,
               Message.seq)
        .outerjoin(Message, Message.id == AutoScore.message_id)
        .where(AutoScore.conversation_id == conversation.id)
        .order_by(Message.seq.is_not(None), Message.seq, AutoScore.task)
    ).all()  # fmt: skip
    return ConversationScores(
        conversation.id, conversation.external_id, conversation.source,
        run.pipeline_version if run else None, run.scored_at if run else None,
        run is not None and run.content_hash == conversation.content_hash,
        tuple(AutoScoreItem(*row) for row in rows),
    )  # fmt: skip
