"""Conversations as the scorers see them: plain dataclasses, no database, no app.

The storage layer converts its rows into these, so AutoQA can also run from a notebook on
any list of chats, emails or call transcripts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from scoring.base import ScoreResult, Signal, compact_pickle

if TYPE_CHECKING:
    from scoring.pipeline.timing import TimingResult
    from scoring.scorers.resolution import ResolutionMarks

CUSTOMER = "customer"
AGENT = "agent"
SYSTEM = "system"
#: A chatbot or AI agent answering for the support team: scored like an agent, reported as
#: its own agent, and never counted as a human's first response.
BOT = "bot"
ROLES = (CUSTOMER, AGENT, SYSTEM, BOT)
#: Roles whose replies get the agent-side scorers (politeness, empathy, clarity, toxicity).
ANSWERING_ROLES = (AGENT, BOT)
CHANNELS = ("chat", "email", "messenger", "social", "phone")


@compact_pickle
@dataclass(frozen=True, slots=True)
class Message:
    """One turn: ``role`` is customer, agent, bot or system; ``sent_at`` may be unknown."""

    role: str
    text: str
    sent_at: datetime | None = None
    author: str | None = None


@compact_pickle
@dataclass(frozen=True, slots=True)
class Conversation:
    """A whole contact in one channel; ``language`` is ru, en, or None/"auto" to detect."""

    conversation_id: str
    channel: str
    language: str | None
    messages: Sequence[Message]
    started_at: datetime | None = None
    customer_id: str | None = None


@compact_pickle
@dataclass(frozen=True, slots=True)
class ChannelSla:
    """Service-level targets of one channel in seconds; ``None`` means no target.

    ``first_response``: first customer message -> first agent reply.
    ``response``: any customer message -> the next agent reply (each pair is checked).
    ``handle``: first -> last message of the conversation.
    """

    first_response: float | None
    response: float | None
    handle: float | None


def _minutes(first: float | None, response: float | None, handle: float | None) -> ChannelSla:
    def conv(x: float | None) -> float | None:
        return None if x is None else float(x) * 60.0

    return ChannelSla(conv(first), conv(response), conv(handle))


@compact_pickle
@dataclass(frozen=True, slots=True)
class SlaTargets:
    """Per-channel SLA targets. Defaults follow common support practice:

    ========== ============== ================= ==============
    channel    first response each response     handle time
    ========== ============== ================= ==============
    chat       15 min         5 min             45 min
    messenger  30 min         30 min            24 h
    social     1 h            2 h               48 h
    email      2 h            24 h              72 h
    phone      none           none              15 min
    ========== ============== ================= ==============

    Phone transcripts have no response-time SLA (the customer is on the line); only handle
    time is checked. Unknown channels use the chat targets. Override with
    ``SlaTargets(chat=ChannelSla(...))`` or :meth:`with_channel`.
    """

    chat: ChannelSla = field(default_factory=lambda: _minutes(15, 5, 45))
    messenger: ChannelSla = field(default_factory=lambda: _minutes(30, 30, 24 * 60))
    social: ChannelSla = field(default_factory=lambda: _minutes(60, 120, 48 * 60))
    email: ChannelSla = field(default_factory=lambda: _minutes(120, 24 * 60, 72 * 60))
    phone: ChannelSla = field(default_factory=lambda: _minutes(None, None, 15))

    def for_channel(self, channel: str | None) -> ChannelSla:
        """Targets of a channel; unknown or missing channels fall back to chat."""
        name = (channel or "chat").strip().lower()
        return getattr(self, name) if name in CHANNELS else self.chat

    def with_channel(self, channel: str, **targets_seconds: float | None) -> SlaTargets:
        """A copy with some targets of one channel replaced (values in seconds)."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}; expected one of {CHANNELS}")
        updated = replace(getattr(self, channel), **targets_seconds)
        return replace(self, **{channel: updated})

    def to_dict(self) -> dict[str, dict[str, float | None]]:
        """Plain values, e.g. to store with results or to fingerprint a configuration."""
        return {
            ch: {
                "first_response": getattr(self, ch).first_response,
                "response": getattr(self, ch).response,
                "handle": getattr(self, ch).handle,
            }
            for ch in CHANNELS
        }


def normalise_role(role: str | None) -> str:
    """Map common role spellings (client, operator, chatbot...) onto customer/agent/bot/system."""
    value = (role or "").strip().lower()
    if value in ROLES:
        return value
    if value in {"client", "user", "клиент", "покупатель", "caller", "visitor"}:
        return CUSTOMER
    if value in {"operator", "оператор", "support", "staff", "агент", "сотрудник"}:
        return AGENT
    if value in {"chatbot", "chat bot", "бот", "чат-бот", "чатбот", "ai agent", "ai_agent"}:
        return BOT
    return SYSTEM


@compact_pickle
@dataclass(frozen=True, slots=True)
class MessageScores:
    """Results of every scorer that applies to one message (keyed by task)."""

    index: int
    role: str
    lang: str
    results: Mapping[str, ScoreResult]
    marks: ResolutionMarks
    #: a customer message right after an agent's (or bot's) question: it answers it
    answers_question: bool = False


@compact_pickle
@dataclass(frozen=True, slots=True)
class ConversationScores:
    """Per-message results, conversation signals and timing."""

    conversation_id: str
    language: str
    version: str
    messages: tuple[MessageScores, ...]
    signals: Mapping[str, Signal]
    timing: TimingResult

    def values(self) -> dict[str, float | None]:
        """Flat ``{signal: value}`` in each signal's own unit."""
        return {name: s.value for name, s in self.signals.items()}

    def auto_scores(self) -> dict[str, float | None]:
        """``{signal: 0..1}`` with 1 = good, to pre-score rubric criteria."""
        return {name: s.normalised for name, s in self.signals.items()}
