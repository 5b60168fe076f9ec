"""The read side of automatic scoring: evidence per message, per-agent distributions, status.

Which evidence spans are worth highlighting is decided here (a rule of the product), so
the UI only maps each span's ``kind`` to a colour: politeness strategies (``polite``),
rudeness and toxicity (``rude``), empathy (``empathy``), jargon, acronyms and typos
(``clarity``) and the customer's sentiment words (``sentiment_pos`` / ``sentiment_neg``).
Weak features (pronouns, whole-text readability) explain scores but would drown the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.permissions import require
from qa_app.storage.models import Agent, AutoScore, AutoScoreRun, Conversation, Message
from scoring.text.identify import SUPPORTED as SCORED_LANGUAGES

KINDS = ("polite", "rude", "empathy", "clarity", "sentiment_pos", "sentiment_neg", "defect")
#: Conversation signals shown as per-agent distributions (name -> unit of the value).
KEY_SIGNALS = (
    "politeness",
    "empathy",
    "clarity",
    "jargon",
    "sentiment_trajectory",
    "response_time_sla",
)
#: Per-message labels shown beside each message, by role.
LABEL_TASKS = {
    "customer": ("sentiment",),
    "agent": ("politeness", "empathy", "clarity", "toxicity"),
    "bot": ("politeness", "empathy", "clarity", "toxicity"),  # scored like an agent
}
#: Lexicon words and phrases only: the model's per-word weights touch pronouns too.
SENTIMENT_RULES = (
    "lexicon",
    "phrase",
    "emoticon",
    "negation",
    "harm",
    "sarcasm",
    "repeat_contact",
    "duration",
)  # the customer-side rules a reviewer can see in the words
MIN_POLITE, MIN_RUDE, MIN_EMPATHY, MIN_SENTIMENT = 0.5, -0.5, 0.25, 1.0
MIN_DEFECT = 1.0
CLARITY_RULES = ("clarity.jargon", "clarity.acronym", "clarity.typo", "clarity.long_sentence")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str
    rule: str
    weight: float
    task: str


@dataclass(frozen=True, slots=True)
class MessageLabel:
    task: str
    label: str | None
    score: float | None


@dataclass
class MessageEvidence:
    """What the scorers said about one message (keyed by its ``seq`` in the transcript)."""

    seq: int
    role: str
    labels: list[MessageLabel] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)


def span_kind(task: str, rule: str, weight: float, label: str | None = None) -> str | None:
    """The highlight kind of one evidence item, or None when it is not worth a highlight.

    A politeness feature that weighs against politeness is painted as rude only in a reply
    labelled impolite: in "How can I help you?" (polite) the direct-question feature still
    weighs a little against, and a red mark there would tell the lead the opposite of the
    label."""
    base = rule.split(":")[0]
    if task == "toxicity":
        return "rude"
    if task == "politeness":
        if weight >= MIN_POLITE:
            return "polite"
        return "rude" if weight <= MIN_RUDE and label == "impolite" else None
    if task == "empathy":
        return "empathy" if weight >= MIN_EMPATHY else None
    if task == "clarity":
        return "clarity" if base in CLARITY_RULES else None
    if task == "defect_report":  # a clear symptom; product words alone are only context
        return "defect" if weight >= MIN_DEFECT else None
    if task == "sentiment" and base in SENTIMENT_RULES and abs(weight) >= MIN_SENTIMENT:
        return "sentiment_pos" if weight > 0 else "sentiment_neg"
    return None


def _spans(task: str, evidence: list, text_length: int, label: str | None = None) -> list[Span]:
    out = []
    for item in evidence or ():
        if not isinstance(item, dict):
            continue
        start, end = int(item.get("start", 0)), int(item.get("end", 0))
        if not 0 <= start < end <= text_length:
            continue
        rule, weight = str(item.get("rule", "")), float(item.get("weight", 0.0))
        kind = span_kind(task, rule, weight, label)
        if kind is not None:
            out.append(Span(start, end, kind, rule, weight, task))
    return out


def message_evidence(session: Session, conversation_id: int) -> dict[int, MessageEvidence]:
    """Highlightable spans and labels of every scored message of a conversation, by seq."""
    rows = session.execute(
        select(
            Message.seq,
            Message.role,
            func.length(Message.text),
            AutoScore.task,
            AutoScore.label,
            AutoScore.score,
            AutoScore.evidence,
        )
        .join(AutoScore, AutoScore.message_id == Message.id)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.seq, AutoScore.task)
    ).all()
    out: dict[int, MessageEvidence] = {}
    for seq, role, length, task, label, score, evidence in rows:
        item = out.setdefault(seq, MessageEvidence(seq, role))
        if task in LABEL_TASKS.get(role, ()):
            item.labels.append(MessageLabel(task, label, score))
        item.spans.extend(_spans(task, evidence, length or 0, label))
    return out


@dataclass(frozen=True, slots=True)
class ScoringStatus:
    total: int
    scored: int
    current: int  # scored with this pipeline version and unchanged since
    pipeline_version: str | None
    last_run: datetime | None
    versions: dict[str, int]
    #: Conversations whose language the scorers do not read, by ISO code: left unscored.
    unsupported: dict[str, int] = field(default_factory=dict)

    @property
    def to_score(self) -> int:
        return self.total - self.current


def scoring_status(session: Session, actor: Actor, pipeline_version: str | None) -> ScoringStatus:
    """How much of the corpus carries automatic scores, and from which pipeline; staff only."""
    require(actor, "autoqa.read")
    total = session.scalar(select(func.count()).select_from(Conversation)) or 0
    versions = dict(
        session.execute(
            select(AutoScoreRun.pipeline_version, func.count()).group_by(
                AutoScoreRun.pipeline_version
            )
        ).all()
    )
    current = session.scalar(
        select(func.count())
        .select_from(AutoScoreRun)
        .join(Conversation, Conversation.id == AutoScoreRun.conversation_id)
        .where(
            AutoScoreRun.pipeline_version == (pipeline_version or ""),
            AutoScoreRun.content_hash == Conversation.content_hash,
        )
    )
    last_run = session.scalar(select(func.max(AutoScoreRun.scored_at)))
    unsupported = dict(
        session.execute(
            select(Conversation.language, func.count())
            .where(Conversation.language.not_in(sorted(SCORED_LANGUAGES)))
            .group_by(Conversation.language)
            .order_by(func.count().desc(), Conversation.language)
        ).all()
    )
    return ScoringStatus(
        total, sum(versions.values()), current or 0, pipeline_version, last_run, versions,
        unsupported,
    )  # fmt: skip


def agent_signal_frame(
    session: Session,
    actor: Actor,
    signals: tuple[str, ...] = KEY_SIGNALS,
    team_id: int | None = None,
) -> pd.DataFrame:
    """One row per (conversation, signal): agent, signal, value; agents get only their own.

    Columns: conversation_id, agent_id, agent, team_id, signal, value, label.
    """
    query = (
        select(
            AutoScore.conversation_id,
            Conversation.agent_id,
            func.coalesce(func.nullif(Agent.display_name, ""), Agent.login).label("agent"),
            Conversation.team_id,
            AutoScore.task.label("signal"),
            AutoScore.score.label("value"),
            AutoScore.label,
        )
        .join(Conversation, Conversation.id == AutoScore.conversation_id)
        .join(Agent, Agent.id == Conversation.agent_id)
        .where(AutoScore.message_id.is_(None), AutoScore.task.in_(list(signals)))
        .where(AutoScore.score.is_not(None))
    )
    if actor.is_agent:
        query = query.where(Conversation.agent_id == (actor.agent_id or -1))
    else:
        require(actor, "autoqa.read")
    if team_id is not None:
        query = query.where(Conversation.team_id == team_id)
    rows = session.execute(query.order_by(AutoScore.conversation_id)).all()
    columns = ["conversation_id", "agent_id", "agent", "team_id", "signal", "value", "label"]
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def agent_signal_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """n, median and quartiles per agent and signal (the numbers behind the box plots)."""
    if frame.empty:
        return pd.DataFrame(columns=["agent", "signal", "n", "q1", "median", "q3"])
    grouped = frame.groupby(["agent", "signal"])["value"]
    return (
        pd.DataFrame(
            {
                "n": grouped.size(),
                "q1": grouped.quantile(0.25),
                "median": grouped.median(),
                "q3": grouped.quantile(0.75),
            }
        )
        .reset_index()
        .round(3)
    )


HANDOVER_SIGNALS = ("handover_seconds", "customer_repeated")
HANDOVER_COLUMNS = ["bot", "conversations", "handed_over", "median_seconds", "compared", "repeated"]


def handover_summary(session: Session, actor: Actor, team_id: int | None = None) -> pd.DataFrame:
    """Per bot: conversations it took part in, how many it handed to a person, the median
    time to hand-over, and how often the customer had to repeat themselves (of those where
    there was something to compare); staff only. Read from the stored hand-over signals."""
    require(actor, "autoqa.read")
    query = select(AutoScore.conversation_id, AutoScore.task, AutoScore.label, AutoScore.score)
    query = query.where(AutoScore.message_id.is_(None), AutoScore.task.in_(HANDOVER_SIGNALS))
    if team_id is not None:
        query = query.join(Conversation, Conversation.id == AutoScore.conversation_id).where(
            Conversation.team_id == team_id
        )
    signals = pd.DataFrame(session.execute(query).all(), columns=["cid", "task", "label", "score"])
    if signals.empty:
        return pd.DataFrame(columns=HANDOVER_COLUMNS)
    bots = _first_bots(session, sorted(set(signals["cid"].tolist())))
    signals["bot"] = signals["cid"].map(bots).fillna("bot")
    rows = []
    for bot, group in signals.groupby("bot", sort=True):
        seconds = group[group["task"] == "handover_seconds"]
        handed = seconds[seconds["label"] == "handed_over"]
        repeat = group[(group["task"] == "customer_repeated") & group["label"].notna()]
        median = handed["score"].dropna().median() if not handed.empty else None
        rows.append((bot, len(seconds), len(handed), median, len(repeat),
                     int((repeat["label"] == "repeated").sum())))  # fmt: skip
    return pd.DataFrame(rows, columns=HANDOVER_COLUMNS)


def _first_bots(session: Session, conversation_ids: list[int]) -> dict[int, str]:
    """The name of the first bot that wrote in each conversation (one indexed query)."""
    name = func.coalesce(func.nullif(Agent.display_name, ""), Agent.login, Message.author)
    rows = session.execute(
        select(Message.conversation_id, name)
        .outerjoin(Agent, Agent.id == Message.agent_id)
        .where(Message.conversation_id.in_(conversation_ids), Message.role == "bot")
        .order_by(Message.conversation_id, Message.seq)
    ).all()
    out: dict[int, str] = {}
    for cid, bot in rows:
        out.setdefault(cid, bot)
    return out
