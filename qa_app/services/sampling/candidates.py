"""What sampling can choose from: the request, the filtered candidates and their signals.

Reads only the columns sampling needs, in a few set-based queries; the two automatic
signals come out of the stored JSON inside the database. A preview over 100,000
conversations took about 4 s on a loaded 2-core machine (was about 30 s when every signal
document was decoded in Python).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.conversations import first_response_breached
from qa_app.services.permissions import require, roles_for
from qa_app.services.sampling.strategies import Candidate
from qa_app.storage.models import Agent, Assignment, AutoScoreRun, Conversation, Team, User

REPEAT_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class SampleRequest:
    """What a lead asks for; dates are inclusive days in UTC."""

    strategy: str = "stratified"
    per_agent_week: int = 5
    reviewers: tuple[str, ...] = ()
    seed: int = 42
    date_from: date | None = None
    date_to: date | None = None
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    size: int | None = None
    rubric_slug: str | None = None
    blind: bool = False


def _window(request: SampleRequest) -> tuple[datetime | None, datetime | None]:
    start = datetime.combine(request.date_from, time.min, UTC) if request.date_from else None
    end = (
        datetime.combine(request.date_to + timedelta(days=1), time.min, UTC)
        if request.date_to
        else None
    )
    return start, end


def _conversation_filters(session: Session, request: SampleRequest) -> list:
    start, end = _window(request)
    filters = [
        Conversation.agent_id.is_not(None),
        ~select(Assignment.id)
        .where(
            Assignment.conversation_id == Conversation.id,
            Assignment.calibration_session_id.is_(None),
            Assignment.status != "cancelled",
        )
        .exists(),
    ]
    if start:
        filters.append(Conversation.started_at >= start)
    if end:
        filters.append(Conversation.started_at < end)
    if request.channels:
        filters.append(Conversation.channel.in_(request.channels))
    if request.languages:
        filters.append(Conversation.language.in_(request.languages))
    if request.teams:
        filters.append(
            Conversation.team_id.in_(select(Team.id).where(Team.name.in_(request.teams)))
        )
    if request.agents:
        filters.append(
            Conversation.agent_id.in_(select(Agent.id).where(Agent.login.in_(request.agents)))
        )
    return filters


def _repeat_customers(session: Session, rows: list) -> set[int]:
    """Conversation ids whose customer came back within 7 days (probably not solved).

    One range scan over the started_at index from the first candidate to 7 days after
    the last, then a binary search per conversation in its customer's sorted start times.
    """
    customers = {row.customer_id for row in rows if row.customer_id}
    if not customers:
        return set()
    earliest = min(r.started_at for r in rows)
    latest = max(r.started_at for r in rows) + REPEAT_WINDOW
    starts: dict[str, list[datetime]] = defaultdict(list)
    query = select(Conversation.customer_id, Conversation.started_at).where(
        Conversation.started_at > earliest,
        Conversation.started_at <= latest,
        Conversation.customer_id.is_not(None),
    )
    for customer, started in session.execute(query):
        if customer in customers:
            starts[customer].append(started)
    for values in starts.values():
        values.sort()
    repeat = set()
    for row in rows:
        later = starts.get(row.customer_id) if row.customer_id else None
        if not later:
            continue
        index = bisect_right(later, row.started_at)
        if index < len(later) and later[index] <= row.started_at + REPEAT_WINDOW:
            repeat.add(row.id)
    return repeat


def _signal_value(name: str):
    """One number out of ``AutoScoreRun.signals`` ({name: {value, unit, normalised, label}}),
    extracted by the database: decoding every document in Python took most of a preview's
    time on a large corpus."""
    return AutoScoreRun.signals[name]["value"].as_float().label(name)


def load_candidates(session: Session, request: SampleRequest) -> list[Candidate]:
    """Unassigned conversations matching the filters, with the columns sampling needs."""
    query = (
        select(
            Conversation.id,
            Conversation.external_id,
            Conversation.channel,
            Conversation.language,
            Conversation.started_at,
            Conversation.csat,
            Conversation.escalated,
            Conversation.first_response_seconds,
            Conversation.customer_id,
            Agent.login,
            Team.name.label("team"),
            _signal_value("sentiment_end"),
            _signal_value("politeness"),
        )
        .join(Agent, Agent.id == Conversation.agent_id)
        .outerjoin(Team, Team.id == Conversation.team_id)
        .outerjoin(AutoScoreRun, AutoScoreRun.conversation_id == Conversation.id)
        .where(and_(*_conversation_filters(session, request)))
        .order_by(Conversation.id)
    )
    rows = session.execute(query).all()
    repeat = _repeat_customers(session, rows)
    return [
        Candidate(
            conversation_id=r.id,
            external_id=r.external_id,
            agent=r.login,
            team=r.team or "",
            channel=r.channel,
            language=r.language,
            started_at=r.started_at,
            csat=r.csat,
            escalated=bool(r.escalated),
            repeat_contact=r.id in repeat,
            sla_breach=first_response_breached(r.channel, r.first_response_seconds),
            sentiment_end=r.sentiment_end,
            politeness=r.politeness,
        )
        for r in rows
    ]


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
