"""What sampling can choose from: the request, the filtered candidates and their signals.

Reads only the columns sampling needs, in a few set-based queries; every filter but
"repeat contact" is a SQL condition, and the automatic signals (sentiment at the end,
politeness, rudeness, missed empathy) come out of the stored JSON inside the database.
A preview over 100,000 conversations took about 4 s on a loaded 2-core machine (was about
30 s when every signal document was decoded in Python); ``qa-studio bench sampling``
prints the current figures.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.conversations import channel_sla
from qa_app.services.permissions import require, roles_for
from qa_app.services.sampling.filters import (
    ConversationFilters,
    handle_minutes,
    signal_value,
    unassigned_clause,
    where_clauses,
)
from qa_app.services.sampling.strategies import Candidate
from qa_app.storage.models import CHANNELS, Agent, AutoScoreRun, Conversation, Team, User

REPEAT_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class SampleRequest:
    """What a lead asks for. ``override_capacity``: assign beyond reviewers' capacity
    (their weekly goal minus what is done and open); audited."""

    strategy: str = "stratified"
    per_agent_week: int = 5
    reviewers: tuple[str, ...] = ()
    seed: int = 42
    filters: ConversationFilters = field(default_factory=ConversationFilters)
    size: int | None = None
    rubric_slug: str | None = None
    blind: bool = False
    override_capacity: bool = False


@dataclass(frozen=True, slots=True)
class ContactHistory:
    """Per conversation: did the customer come back within 7 days, and how many times had
    they written in the 7 days before."""

    came_back: set[int]
    prior: dict[int, int]


def contact_history(session: Session, rows: Sequence) -> ContactHistory:
    """One range scan over the started_at index from 7 days before the first row to 7 days
    after the last, then binary searches in each customer's sorted start times."""
    customers = {row.customer_id for row in rows if row.customer_id}
    if not customers:
        return ContactHistory(set(), {})
    earliest = min(r.started_at for r in rows) - REPEAT_WINDOW
    latest = max(r.started_at for r in rows) + REPEAT_WINDOW
    starts: dict[str, list[datetime]] = defaultdict(list)
    query = select(Conversation.customer_id, Conversation.started_at).where(
        Conversation.started_at >= earliest,
        Conversation.started_at <= latest,
        Conversation.customer_id.is_not(None),
    )
    for customer, started in session.execute(query):
        if customer in customers:
            starts[customer].append(started)
    for values in starts.values():
        values.sort()
    came_back, prior = set(), {}
    for row in rows:
        times = starts.get(row.customer_id) if row.customer_id else None
        if not times:
            continue
        after = bisect_right(times, row.started_at)
        if after < len(times) and times[after] <= row.started_at + REPEAT_WINDOW:
            came_back.add(row.id)
        before = bisect_left(times, row.started_at) - bisect_left(
            times, row.started_at - REPEAT_WINDOW
        )
        if before:
            prior[row.id] = before
    return ContactHistory(came_back, prior)


def _columns() -> tuple:
    return (
        Conversation.id,
        Conversation.external_id,
        Conversation.channel,
        Conversation.language,
        Conversation.started_at,
        Conversation.csat,
        Conversation.nps,
        Conversation.status,
        Conversation.escalated,
        Conversation.first_response_seconds,
        Conversation.customer_id,
        handle_minutes().label("handle_minutes"),
        Agent.login,
        Team.name.label("team"),
        signal_value("sentiment_end").label("sentiment_end"),
        signal_value("politeness").label("politeness"),
        signal_value("rudeness").label("rudeness"),
        signal_value("missed_empathy").label("missed_empathy"),
    )


def _breach_limits() -> dict[str, float | None]:
    """First-response SLA per channel, looked up once per load (not once per row)."""
    return {channel: channel_sla(channel).first_response for channel in CHANNELS}


def _breached(limits: dict, channel: str, seconds: float | None) -> bool:
    target = limits.get(channel, limits["chat"])
    return seconds is not None and target is not None and seconds > target


def _candidate(row, history: ContactHistory, limits: dict) -> Candidate:
    return Candidate(
        conversation_id=row.id,
        external_id=row.external_id,
        agent=row.login,
        team=row.team or "",
        channel=row.channel,
        language=row.language,
        started_at=row.started_at,
        csat=row.csat,
        escalated=bool(row.escalated),
        repeat_contact=row.id in history.came_back,
        sla_breach=_breached(limits, row.channel, row.first_response_seconds),
        sentiment_end=row.sentiment_end,
        politeness=row.politeness,
        nps=row.nps,
        status=row.status,
        first_response_seconds=row.first_response_seconds,
        handle_minutes=row.handle_minutes,
        rudeness=row.rudeness,
        missed_empathy=row.missed_empathy,
        prior_contacts=history.prior.get(row.id, 0),
    )


def load_candidates(
    session: Session,
    filters: ConversationFilters,
    *,
    window: tuple[datetime, datetime] | None = None,
    extra: Sequence = (),
) -> list[Candidate]:
    """Unassigned conversations with an agent matching ``filters`` (and started inside
    ``window``, a plan run's [start, end)), with the columns sampling needs; ``extra``
    conditions narrow further (the notable list's "anything stands out")."""
    clauses = [Conversation.agent_id.is_not(None), unassigned_clause(), *where_clauses(filters)]
    if window is not None:
        clauses += [Conversation.started_at >= window[0], Conversation.started_at < window[1]]
    query = (
        select(*_columns())
        .join(Agent, Agent.id == Conversation.agent_id)
        .outerjoin(Team, Team.id == Conversation.team_id)
        .outerjoin(AutoScoreRun, AutoScoreRun.conversation_id == Conversation.id)
        .where(and_(*clauses, *extra))
        .order_by(Conversation.id)
    )
    rows = session.execute(query).all()
    history = contact_history(session, rows)
    limits = _breach_limits()
    candidates = [_candidate(row, history, limits) for row in rows]
    if filters.repeat_contact is not None:
        candidates = [c for c in candidates if c.is_repeat_contact == filters.repeat_contact]
    return candidates


def any_of(conditions: Sequence) -> list:
    """``extra`` for ``load_candidates``: at least one condition holds (none: no limit)."""
    return [or_(*conditions)] if conditions else []


@dataclass(frozen=True, slots=True)
class SampleOptions:
    """Choices for the sampling form."""

    reviewers: tuple[str, ...]
    teams: tuple[str, ...]
    agents: tuple[str, ...]
    channels: tuple[str, ...]
    languages: tuple[str, ...]
    first_day: date | None
    last_day: date | None


def sample_options(session: Session, actor: Actor) -> SampleOptions:
    """Reviewers, teams, agents, channels, languages and the date span of the corpus."""
    require(actor, "sampling.run")
    reviewers = session.scalars(
        select(User.username)
        .where(User.role.in_(roles_for("review.grade")), User.is_active.is_(True))
        .order_by(User.username)
    )
    span = session.execute(
        select(func.min(Conversation.started_at), func.max(Conversation.started_at))
    ).one()
    return SampleOptions(
        reviewers=tuple(reviewers),
        teams=tuple(session.scalars(select(Team.name).order_by(Team.name))),
        agents=tuple(session.scalars(select(Agent.login).order_by(Agent.login))),
        channels=tuple(
            session.scalars(select(Conversation.channel).distinct().order_by(Conversation.channel))
        ),
        languages=tuple(
            session.scalars(
                select(Conversation.language).distinct().order_by(Conversation.language)
            )
        ),
        first_day=span[0].date() if span[0] else None,
        last_day=span[1].date() if span[1] else None,
    )
