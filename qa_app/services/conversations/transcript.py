"""A conversation as rows a reviewer reads: who, when, how long the other side waited.

Only this conversation's messages are loaded (one indexed query), so opening a review
stays fast with a large corpus. Text is returned raw: escaping happens at render time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.errors import NotFound
from qa_app.storage.models import Agent, Conversation, Message, Team
from scoring.pipeline.conversation import ChannelSla, SlaTargets
from scoring.pipeline.conversation import Message as ScoredMessage
from scoring.pipeline.handover import REPEAT_THRESHOLD, find_handover
from scoring.text.identify import SUPPORTED as SCORED_LANGUAGES

SLA_TARGETS = SlaTargets()
HIDDEN_AUTHOR = "•••"
#: How messages are drawn: a bot's replies on the agent's side but marked as the bot's;
#: its waits are not the agent's response times (the SLA counts from the person's reply).
SIDES = ("customer", "agent", "bot")


@dataclass(frozen=True, slots=True)
class TranscriptRow:
    """One message; ``gap_seconds`` is the time since the other side's previous message."""

    seq: int
    side: str  # customer | agent | bot | system
    author: str | None
    sent_at: datetime | None
    gap_seconds: float | None
    wait_seconds: float | None
    sla_target: float | None
    sla_breach: bool
    text: str


@dataclass(frozen=True, slots=True)
class HandoverFacts:
    """A bot's part in the conversation (``scoring.pipeline.handover``): who answered first,
    which person took over and after how long, and whether the customer had to repeat
    themselves (``similarity`` of the closest pair of their messages across the hand-over)."""

    bot: str | None
    human: str | None  # None: the bot answered alone
    seconds: float | None
    repeated: bool | None
    similarity: float | None
    threshold: float


@dataclass(frozen=True, slots=True)
class ConversationHeader:
    conversation_id: int
    external_id: str
    channel: str
    language: str
    started_at: datetime
    csat: int | None
    nps: int | None
    tags: tuple[str, ...]
    status: str
    escalated: bool
    subject: str | None
    agent: str | None
    team: str | None
    message_count: int
    first_response_seconds: float | None
    first_response_target: float | None
    first_response_breach: bool
    #: The conversation's agent is a bot (it answered alone).
    agent_is_bot: bool = False
    handover: HandoverFacts | None = None

    @property
    def auto_scored_language(self) -> bool:
        """Whether the automatic scorers read this conversation's language (ru, en); other
        languages are stored as they are and left to reviewers."""
        return self.language in SCORED_LANGUAGES


@dataclass(frozen=True, slots=True)
class Transcript:
    header: ConversationHeader
    rows: tuple[TranscriptRow, ...]

    @property
    def breaches(self) -> int:
        return sum(1 for row in self.rows if row.sla_breach)


def channel_sla(channel: str) -> ChannelSla:
    """The SLA targets of a channel (shared with the timing scorer)."""
    return SLA_TARGETS.for_channel(channel)


def first_response_breached(channel: str, seconds: float | None) -> bool:
    target = channel_sla(channel).first_response
    return seconds is not None and target is not None and seconds > target


def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).total_seconds()


def blind_names(agent: Agent | None) -> tuple[str, ...]:
    """Words that identify the agent in message text: login, full name, first name."""
    if agent is None:
        return ()
    names = [agent.login, agent.display_name or ""]
    names += (agent.display_name or "").split()[:1]
    return tuple(sorted({n for n in names if len(n) >= 3}, key=len, reverse=True))


def mask_names(text: str, names: tuple[str, ...]) -> str:
    """Replace the agent's names in text (blind review: signatures give agents away)."""
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", HIDDEN_AUTHOR, text, flags=re.IGNORECASE)
    return text


def build_rows(
    messages: list[Message], channel: str, blind: bool, hidden: tuple[str, ...] = ()
) -> tuple[TranscriptRow, ...]:
    """Display rows with gaps and SLA flags.

    An agent reply is checked against the first *unanswered* customer message (three
    customer lines in a row wait from the first): the first reply against the channel's
    first-response target, later ones against its response target.
    """
    sla = channel_sla(channel)
    rows: list[TranscriptRow] = []
    last_at: dict[str, datetime | None] = {"customer": None, "agent": None}
    unanswered: datetime | None = None
    answered_once = False
    for message in messages:
        side = message.role if message.role in SIDES else "system"
        other = "agent" if side == "customer" else "customer"
        gap = _seconds(message.sent_at, last_at.get(other)) if side in last_at else None
        wait = target = None
        breach = False
        if side == "customer" and unanswered is None:
            unanswered = message.sent_at
        elif side == "agent":
            if unanswered is not None:
                wait = _seconds(message.sent_at, unanswered)
                target = sla.response if answered_once else sla.first_response
                breach = wait is not None and target is not None and wait > target
            answered_once = True
            unanswered = None
        if side in last_at and message.sent_at is not None:
            last_at[side] = message.sent_at
        author = message.author
        if blind and side == "agent":
            author = HIDDEN_AUTHOR
        rows.append(
            TranscriptRow(
                seq=message.seq,
                side=side,
                author=author,
                sent_at=message.sent_at,
                gap_seconds=gap,
                wait_seconds=wait,
                sla_target=target,
                sla_breach=breach,
                text=mask_names(message.text, hidden) if blind else message.text,
            )
        )
    return tuple(rows)


def handover_facts(messages: list[Message], blind: bool) -> HandoverFacts | None:
    """The bot's hand-over read off the stored messages (None without a bot)."""
    scored = [ScoredMessage(m.role, m.text or "", m.sent_at, m.author) for m in messages]
    found = find_handover(scored)
    if found is None:
        return None
    human = None
    if found.human_index is not None:
        human = HIDDEN_AUTHOR if blind else (messages[found.human_index].author or "")
    return HandoverFacts(
        messages[found.bot_index].author, human, found.seconds, found.repeated,
        found.similarity, REPEAT_THRESHOLD,
    )  # fmt: skip


def _header(
    session: Session, conv: Conversation, blind: bool, messages: list[Message] | None = None
) -> ConversationHeader:
    agent, is_bot = None, False
    if conv.agent_id is not None and not blind:
        row = session.get(Agent, conv.agent_id)
        agent = (row.display_name or row.login) if row else None
        is_bot = bool(row and row.is_bot)
    elif blind:
        agent = HIDDEN_AUTHOR
    team = session.get(Team, conv.team_id).name if conv.team_id else None
    target = channel_sla(conv.channel).first_response
    return ConversationHeader(
        conversation_id=conv.id,
        external_id=conv.external_id,
        channel=conv.channel,
        language=conv.language,
        started_at=conv.started_at,
        csat=conv.csat,
        nps=conv.nps,
        tags=tuple(str(tag) for tag in conv.tags or ()),
        status=conv.status,
        escalated=conv.escalated,
        subject=conv.subject,
        agent=agent,
        team=team,
        message_count=conv.message_count,
        first_response_seconds=conv.first_response_seconds,
        first_response_target=target,
        first_response_breach=first_response_breached(conv.channel, conv.first_response_seconds),
        agent_is_bot=is_bot,
        handover=handover_facts(messages, blind) if messages else None,
    )


def load_transcript(session: Session, conversation_id: int, *, blind: bool = False) -> Transcript:
    """The conversation header and its messages in order (blind mode hides agent names)."""
    conv = session.get(Conversation, conversation_id)
    if conv is None:
        raise NotFound(f"conversation {conversation_id} not found", key="error.not_found")
    messages = list(
        session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.seq)
        )
    )
    hidden = blind_names(session.get(Agent, conv.agent_id)) if blind and conv.agent_id else ()
    return Transcript(
        _header(session, conv, blind, messages), build_rows(messages, conv.channel, blind, hidden)
    )
