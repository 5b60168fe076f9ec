"""Sampling: choose conversations for review and put them in reviewers' queues.

A lead previews a sample (what would be picked, for whom, and why) and then creates the
assignments. The same filters and seed give the same sample. A conversation already in a
review queue outside calibration is never picked again (the database enforces it too), and
nobody gets a conversation they already reviewed. Load is balanced by open queue size.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor, require_role
from qa_app.services.audit import record_event
from qa_app.services.errors import Conflict, InvalidInput, NotFound
from qa_app.services.sampling_strategies import STRATEGIES, Candidate, Pick, choose
from qa_app.services.transcript import first_response_breached
from qa_app.storage.models import (
    Agent,
    Assignment,
    AutoScoreRun,
    Conversation,
    Review,
    Team,
    User,
)

REPEAT_WINDOW = timedelta(days=7)
SAMPLE_ROLES = ("lead",)
OPEN_STATUSES = ("pending", "in_progress")


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


@dataclass(frozen=True, slots=True)
class PlannedAssignment:
    conversation_id: int
    external_id: str
    agent: str
    team: str
    channel: str
    language: str
    started_at: datetime
    week: str
    reviewer: str
    reasons: tuple[str, ...]
    risk: float


@dataclass(frozen=True, slots=True)
class SamplePlan:
    request: SampleRequest
    candidates: int
    items: tuple[PlannedAssignment, ...]
    skipped_no_reviewer: int = 0
    created_ids: tuple[int, ...] = field(default=())

    def per_reviewer(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for item in self.items:
            counts[item.reviewer] += 1
        return dict(counts)


def _validate(request: SampleRequest) -> None:
    if request.strategy not in STRATEGIES:
        raise InvalidInput(
            f"unknown strategy {request.strategy!r}",
            key="sampling.error.strategy",
            strategy=request.strategy,
            allowed=", ".join(STRATEGIES),
        )
    if request.per_agent_week < 1 or (request.size is not None and request.size < 1):
        raise InvalidInput("quota must be at least 1", key="sampling.error.quota")
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise InvalidInput("date range is reversed", key="sampling.error.dates")
    if not request.reviewers:
        raise InvalidInput("choose at least one reviewer", key="sampling.error.no_reviewers")


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


def _auto_signals(session: Session, ids: list[int]) -> dict[int, dict]:
    signals: dict[int, dict] = {}
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        query = select(AutoScoreRun.conversation_id, AutoScoreRun.signals).where(
            AutoScoreRun.conversation_id.in_(chunk)
        )
        signals.update(dict(session.execute(query).all()))
    return signals


def signal_number(signals: dict | None, name: str) -> float | None:
    """A numeric signal from AutoScoreRun.signals: a number or a mapping with ``score``."""
    value = (signals or {}).get(name)
    if isinstance(value, dict):
        value = value.get("score", value.get("value"))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


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
        )
        .join(Agent, Agent.id == Conversation.agent_id)
        .outerjoin(Team, Team.id == Conversation.team_id)
        .where(and_(*_conversation_filters(session, request)))
        .order_by(Conversation.id)
    )
    rows = session.execute(query).all()
    repeat = _repeat_customers(session, rows)
    signals = _auto_signals(session, [r.id for r in rows])
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
            sentiment_end=signal_number(signals.get(r.id), "sentiment_end"),
            politeness=signal_number(signals.get(r.id), "politeness"),
        )
        for r in rows
    ]


def _reviewers(session: Session, usernames: tuple[str, ...]) -> list[User]:
    users = list(session.scalars(select(User).where(User.username.in_(usernames))))
    found = {u.username: u for u in users}
    missing = [name for name in usernames if name not in found]
    if missing:
        raise NotFound(
            f"unknown reviewer(s): {', '.join(missing)}",
            key="sampling.error.unknown_reviewer",
            names=", ".join(missing),
        )
    wrong = [
        u.username for u in users if u.role not in ("reviewer", "lead", "admin") or not u.is_active
    ]
    if wrong:
        raise InvalidInput(
            f"not active reviewers: {', '.join(wrong)}",
            key="sampling.error.not_reviewer",
            names=", ".join(wrong),
        )
    return [found[name] for name in dict.fromkeys(usernames)]


def _open_load(session: Session, reviewer_ids: list[int]) -> dict[int, int]:
    query = (
        select(Assignment.reviewer_id, func.count())
        .where(Assignment.reviewer_id.in_(reviewer_ids), Assignment.status.in_(OPEN_STATUSES))
        .group_by(Assignment.reviewer_id)
    )
    return {rid: 0 for rid in reviewer_ids} | dict(session.execute(query).all())


def _seen_by(session: Session, reviewer_ids: list[int], conv_ids: set[int]) -> set[tuple[int, int]]:
    """(reviewer, conversation) pairs already reviewed or assigned (calibration included)."""
    pairs: set[tuple[int, int]] = set()
    ids = sorted(conv_ids)
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        for model in (Review, Assignment):
            query = select(model.reviewer_id, model.conversation_id).where(
                model.reviewer_id.in_(reviewer_ids), model.conversation_id.in_(chunk)
            )
            pairs.update(tuple(row) for row in session.execute(query))
    return pairs


def _balance(session: Session, picks: list[Pick], reviewers: list[User]) -> tuple[list, int]:
    """Give each pick to the reviewer with the smallest open queue who has not seen it."""
    ids = [u.id for u in reviewers]
    load = _open_load(session, ids)
    seen = _seen_by(session, ids, {p.candidate.conversation_id for p in picks})
    order = {rid: index for index, rid in enumerate(ids)}
    planned, skipped = [], 0
    for pick in picks:
        conv_id = pick.candidate.conversation_id
        options = [rid for rid in ids if (rid, conv_id) not in seen]
        if not options:
            skipped += 1
            continue
        chosen = min(options, key=lambda rid: (load[rid], order[rid]))
        load[chosen] += 1
        planned.append((pick, chosen))
    return planned, skipped


def preview_sample(session: Session, actor: Actor, request: SampleRequest) -> SamplePlan:
    """What a sample would assign, to whom and why; changes nothing."""
    require_role(actor, *SAMPLE_ROLES)
    _validate(request)
    reviewers = _reviewers(session, request.reviewers)
    candidates = load_candidates(session, request)
    picks = choose(
        request.strategy,
        candidates,
        per_agent_week=request.per_agent_week,
        size=request.size,
        seed=request.seed,
    )
    planned, skipped = _balance(session, picks, reviewers)
    names = {u.id: u.username for u in reviewers}
    items = tuple(
        PlannedAssignment(
            conversation_id=p.candidate.conversation_id,
            external_id=p.candidate.external_id,
            agent=p.candidate.agent,
            team=p.candidate.team,
            channel=p.candidate.channel,
            language=p.candidate.language,
            started_at=p.candidate.started_at,
            week=p.candidate.week,
            reviewer=names[rid],
            reasons=p.reasons,
            risk=p.risk,
        )
        for p, rid in planned
    )
    return SamplePlan(request, len(candidates), items, skipped)


def create_sample(session: Session, actor: Actor, request: SampleRequest) -> SamplePlan:
    """Create the assignments of a sample (recomputed from the request, so it matches the
    preview when nothing changed in between) and record an audit event."""
    plan = preview_sample(session, actor, request)
    version = rubrics.active_version(session, request.rubric_slug)
    reviewer_ids = dict(
        session.execute(
            select(User.username, User.id).where(User.username.in_(request.reviewers))
        ).all()
    )
    label = f"{request.strategy} seed={request.seed}"
    rows = [
        Assignment(
            conversation_id=item.conversation_id,
            reviewer_id=reviewer_ids[item.reviewer],
            rubric_version_id=version.version_id,
            blind=request.blind,
            sample_label=f"{label}: {', '.join(item.reasons)}"[:200],
            created_by=actor.user_id,
        )
        for item in plan.items
    ]
    session.add_all(rows)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "a conversation in this sample was assigned by someone else meanwhile",
            key="sampling.error.already_assigned",
        ) from exc
    record_event(
        session,
        actor,
        "sample.created",
        "sample",
        label,
        strategy=request.strategy,
        seed=request.seed,
        per_agent_week=request.per_agent_week,
        assignments=len(rows),
        per_reviewer=plan.per_reviewer(),
        rubric_version=version.version,
    )
    return SamplePlan(
        request, plan.candidates, plan.items, plan.skipped_no_reviewer, tuple(r.id for r in rows)
    )


def assign_conversation(
    session: Session, actor: Actor, conversation_id: int, reviewer: str, *, blind: bool = False
) -> int:
    """Put one conversation in one reviewer's queue (service check, then the DB index)."""
    require_role(actor, *SAMPLE_ROLES)
    taken = session.scalar(
        select(Assignment.id).where(
            Assignment.conversation_id == conversation_id,
            Assignment.calibration_session_id.is_(None),
            Assignment.status != "cancelled",
        )
    )
    if taken is not None:
        raise Conflict(
            f"conversation {conversation_id} is already assigned",
            key="sampling.error.already_assigned",
        )
    (user,) = _reviewers(session, (reviewer,))
    version = rubrics.active_version(session)
    row = Assignment(
        conversation_id=conversation_id,
        reviewer_id=user.id,
        rubric_version_id=version.version_id,
        blind=blind,
        sample_label="manual",
        created_by=actor.user_id,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"conversation {conversation_id} is already assigned",
            key="sampling.error.already_assigned",
        ) from exc
    record_event(session, actor, "assignment.created", "assignment", row.id, reviewer=reviewer)
    return row.id


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
    require_role(actor, *SAMPLE_ROLES)
    reviewers = session.scalars(
        select(User.username)
        .where(User.role.in_(("reviewer", "lead", "admin")), User.is_active.is_(True))
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
