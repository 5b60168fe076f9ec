"""An agent's own results: their submitted reviews, newest first, with what each one needs
to be read without asking anyone (transcript, grades, comments, automatic signals, the
disputes raised on it), and their score week by week.

Visibility is decided here, not on the page: an agent reads only reviews of conversations
they handled; leads get counts of what agents have not acknowledged yet, never the items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services import autoqa, conversations, disputes
from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.services.permissions import require
from qa_app.storage.models import Agent, Conversation, Review, ReviewGrade
from scoring.stats.trend import TREND_COLUMNS, weekly_trend

#: Review states an agent sees: submitted, final after a dispute, or under dispute.
RESULT_STATES = ("submitted", "final", "disputed")
#: The trend covers at most this many weeks back from today (older weeks crowd the chart).
TREND_WEEKS = 26
PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class AutoSignal:
    """A conversation-level signal computed by the automatic scorers (never by a person)."""

    signal: str
    value: float


@dataclass(frozen=True, slots=True)
class ResultItem:
    """One review of the agent's work, with everything the page shows for it."""

    summary: disputes.ReviewSummary
    transcript: conversations.Transcript
    evidence: dict[int, autoqa.MessageEvidence]
    #: The automatic pre-score per criterion id (None: no automatic suggestion).
    auto_values: dict[str, float | None]
    signals: tuple[AutoSignal, ...]
    disputes: tuple[disputes.DisputeInfo, ...]
    acknowledged_at: dt.datetime | None

    @property
    def review_id(self) -> int:
        return self.summary.review_id

    @property
    def open_dispute(self) -> bool:
        return any(d.status == "open" for d in self.disputes)


@dataclass(frozen=True, slots=True)
class ResultsPage:
    items: list[ResultItem]
    total: int
    unacknowledged: int
    page: int
    page_size: int
    #: ``weekly_trend`` rows (week, week_start, n, mean, low, high, partial).
    trend: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TREND_COLUMNS))

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _own_reviews(actor: Actor):
    """Reviews of the agent's own conversations that count as results (calibration
    exercises only once a lead decided they count for the agents: ``disputes.counts_for_agent``)."""
    return (
        select(Review)
        .join(Conversation, Conversation.id == Review.conversation_id)
        .where(
            Conversation.agent_id == actor.agent_id,
            Review.status.in_(RESULT_STATES),
            disputes.counts_for_agent(),
        )
    )


def _auto_values(session: Session, review_ids: list[int]) -> dict[int, dict[str, float | None]]:
    rows = session.execute(
        select(ReviewGrade.review_id, ReviewGrade.criterion_id, ReviewGrade.auto_value).where(
            ReviewGrade.review_id.in_(review_ids)
        )
    )
    out: dict[int, dict[str, float | None]] = {rid: {} for rid in review_ids}
    for review_id, criterion_id, value in rows:
        out[review_id][criterion_id] = value
    return out


def _signals(session: Session, actor: Actor, conversation_ids: set[int]) -> dict[int, list]:
    frame = autoqa.agent_signal_frame(session, actor)
    frame = frame[frame["conversation_id"].isin(conversation_ids)]
    out: dict[int, list[AutoSignal]] = {}
    for row in frame.itertuples(index=False):
        out.setdefault(int(row.conversation_id), []).append(
            AutoSignal(row.signal, float(row.value))
        )
    return out


def result_items(session: Session, actor: Actor, reviews: list[Review]) -> list[ResultItem]:
    """The page's reviews with their transcripts, grades, signals and disputes."""
    ids = [r.id for r in reviews]
    autos = _auto_values(session, ids)
    signals = _signals(session, actor, {r.conversation_id for r in reviews})
    raised = [d for d in disputes.list_disputes(session, actor) if d.review_id in set(ids)]
    return [
        ResultItem(
            disputes.review_summary(session, actor, r.id),
            conversations.load_transcript(session, r.conversation_id),
            autoqa.message_evidence(session, r.conversation_id),
            autos[r.id],
            tuple(signals.get(r.conversation_id, ())),
            tuple(d for d in raised if d.review_id == r.id),
            r.acknowledged_at,
        )
        for r in reviews
    ]


def my_results(
    session: Session, actor: Actor, *, page: int = 0, page_size: int = PAGE_SIZE
) -> tuple[list[ResultItem], int, int]:
    """One page of the agent's reviews, newest submission first, with the total count and
    how many are not acknowledged yet. An account not linked to an agent has none."""
    require(actor, "results.view_own")
    if actor.agent_id is None:
        return [], 0, 0
    base = _own_reviews(actor).subquery()
    total = session.scalar(select(func.count()).select_from(base)) or 0
    waiting = session.scalar(
        select(func.count()).select_from(base).where(base.c.acknowledged_at.is_(None))
    )
    page = min(max(page, 0), max(0, (total - 1) // page_size))
    query = (
        _own_reviews(actor)
        .order_by(Review.submitted_at.desc(), Review.id.desc())
        .offset(page * page_size)
        .limit(page_size)
    )
    return result_items(session, actor, list(session.scalars(query))), total, waiting or 0


def score_trend(session: Session, actor: Actor, now: dt.datetime | None = None) -> pd.DataFrame:
    """The agent's score per ISO week (mean, interval and n reviews behind each point) over
    the last ``TREND_WEEKS`` weeks up to ``now``; the same statistics as every other trend."""
    require(actor, "results.view_own")
    empty = pd.DataFrame(columns=TREND_COLUMNS)
    if actor.agent_id is None:
        return empty
    today = utc_now(now).date()
    start = today - dt.timedelta(days=today.weekday() + 7 * (TREND_WEEKS - 1))
    rows = session.execute(
        _own_reviews(actor)
        .with_only_columns(Review.submitted_at, Review.overall_score)
        .where(Review.overall_score.is_not(None), Review.submitted_at.is_not(None))
    ).all()
    dated = [(at.date(), score) for at, score in rows if start <= at.date() <= today]
    if not dated:
        return empty
    frame = pd.DataFrame(dated, columns=["date", "score"])
    first = min(d for d, _ in dated)
    return weekly_trend(
        frame, period_end=today, period_start=first - dt.timedelta(days=first.weekday())
    )


def unacknowledged_counts(
    session: Session, actor: Actor, team_id: int | None = None
) -> pd.DataFrame:
    """Per agent, how many reviews of their work wait for their acknowledgement and since
    when (columns: agent_id, agent, unacknowledged, oldest_submitted_at), most first."""
    require(actor, "results.acknowledgements")
    name = func.coalesce(func.nullif(Agent.display_name, ""), Agent.login)
    query = (
        select(
            Agent.id,
            name,
            func.count(Review.id),
            func.min(Review.submitted_at),
        )
        .join(Conversation, Conversation.id == Review.conversation_id)
        .join(Agent, Agent.id == Conversation.agent_id)
        .where(
            Review.status.in_(RESULT_STATES),
            disputes.counts_for_agent(),
            Review.acknowledged_at.is_(None),
        )
        .group_by(Agent.id, name)
    )
    if team_id is not None:
        query = query.where(Conversation.team_id == team_id)
    rows = session.execute(query).all()
    columns = ["agent_id", "agent", "unacknowledged", "oldest_submitted_at"]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    return frame.sort_values(
        ["unacknowledged", "agent"], ascending=[False, True], ignore_index=True
    )
