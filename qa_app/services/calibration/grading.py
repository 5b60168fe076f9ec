"""Calibration sessions: several reviewers grade the same conversations blind, then compare.

A lead creates a session (a rubric version, a set of conversations, several reviewers);
every reviewer gets one blind assignment per conversation, marked with the session id (the
only place where a conversation may be assigned more than once). Reviewers grade on the
ordinary review page. The lead reads the agreement figures (``calibration_results``),
records the agreed grade per (conversation, criterion) and closes the session; only then do
reviewers see everyone's grades, so nobody anchors on a colleague's answer.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.calibration.sessions import (
    GRADED,
    MyAssignment,
    SessionSummary,
    check_can_view,
    get_session,
    list_sessions,
    my_assignments,
    participants,
    session_row,
)
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, InvalidInput, NotFound
from qa_app.services.permissions import require, roles_for
from qa_app.storage.models import (
    Assignment,
    CalibrationConsensus,
    CalibrationSession,
    Conversation,
    Dispute,
    Review,
    User,
)

__all__ = [
    "GRADED",
    "MAX_CONVERSATIONS",
    "MyAssignment",
    "SessionSummary",
    "check_can_view",
    "close_session",
    "create_session",
    "get_session",
    "list_sessions",
    "my_assignments",
    "participants",
    "record_consensus",
    "resolve_conversations",
    "sample_conversations",
    "session_row",
    "set_counts_for_agents",
]

MIN_REVIEWERS = 2
MAX_CONVERSATIONS = 50


def _reviewer_users(session: Session, usernames: Sequence[str]) -> list[User]:
    names = list(dict.fromkeys(n.strip() for n in usernames if n and n.strip()))
    if len(names) < MIN_REVIEWERS:
        raise InvalidInput(
            "a calibration session needs at least two reviewers",
            key="calibration.error.few_reviewers",
            minimum=MIN_REVIEWERS,
        )
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    missing = [n for n in names if n not in users]
    if missing:
        raise NotFound(
            f"unknown reviewer(s): {', '.join(missing)}",
            key="calibration.error.unknown_reviewer",
            names=", ".join(missing),
        )
    wrong = [
        n for n in names if users[n].role not in roles_for("review.grade") or not users[n].is_active
    ]
    if wrong:
        raise InvalidInput(
            f"not active reviewers: {', '.join(wrong)}",
            key="calibration.error.not_reviewer",
            names=", ".join(wrong),
        )
    return [users[n] for n in names]


def sample_conversations(
    session: Session, size: int, seed: int, exclude: Sequence[int] = ()
) -> list[int]:
    """``size`` conversations spread over agents and channels, the same for the same seed.

    Agents take turns (so one busy agent cannot fill the session) and each agent's pick
    prefers a channel used least so far; ties are broken by the seeded shuffle.
    """
    rows = session.execute(
        select(Conversation.id, Conversation.agent_id, Conversation.channel)
        .where(Conversation.agent_id.is_not(None))
        .order_by(Conversation.id)
    ).all()
    skip = set(exclude)
    rng = random.Random(seed)
    rows = [r for r in rows if r.id not in skip]
    rng.shuffle(rows)
    by_agent: dict[int, list] = defaultdict(list)
    for row in rows:
        by_agent[row.agent_id].append(row)
    agents = list(by_agent)
    rng.shuffle(agents)
    used_channels: dict[str, int] = defaultdict(int)
    chosen: list[int] = []
    while len(chosen) < size and any(by_agent.values()):
        for agent in agents:
            pool = by_agent[agent]
            if not pool or len(chosen) >= size:
                continue
            pick = min(pool, key=lambda r: used_channels[r.channel])
            pool.remove(pick)
            used_channels[pick.channel] += 1
            chosen.append(pick.id)
    return chosen


def _check_conversations(session: Session, ids: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        raise InvalidInput(
            "choose at least one conversation", key="calibration.error.no_conversations"
        )
    if len(wanted) > MAX_CONVERSATIONS:
        raise InvalidInput(
            f"at most {MAX_CONVERSATIONS} conversations per session",
            key="calibration.error.too_many",
            maximum=MAX_CONVERSATIONS,
        )
    found = set(session.scalars(select(Conversation.id).where(Conversation.id.in_(wanted))))
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise NotFound(
            f"unknown conversation(s): {', '.join(missing)}",
            key="calibration.error.unknown_conversation",
            ids=", ".join(missing),
        )
    return wanted


def resolve_conversations(session: Session, tokens: Sequence[str]) -> list[int]:
    """Conversation ids from what a user types: external ids (``c-17``) or database ids."""
    wanted = [t.strip() for t in tokens if t and t.strip()]
    by_external = dict(
        session.execute(
            select(Conversation.external_id, Conversation.id).where(
                Conversation.external_id.in_(wanted)
            )
        ).all()
    )
    out, unknown = [], []
    for token in wanted:
        if token in by_external:
            out.append(by_external[token])
        elif token.isdigit():
            out.append(int(token))
        else:
            unknown.append(token)
    if unknown:
        raise NotFound(
            f"unknown conversation(s): {', '.join(unknown)}",
            key="calibration.error.unknown_conversation",
            ids=", ".join(unknown),
        )
    return out


def create_session(
    session: Session,
    actor: Actor,
    name: str,
    reviewers: Sequence[str],
    conversation_ids: Sequence[int] | None = None,
    *,
    sample_size: int | None = None,
    seed: int = 42,
    rubric_version_id: int | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> int:
    """Create a session and one blind assignment per reviewer × conversation; returns its id.

    Give ``conversation_ids`` explicitly, or ``sample_size`` (with ``seed``) to sample
    conversations spread over agents and channels.
    """
    require(actor, "calibration.manage")
    if not name.strip():
        raise InvalidInput("a session needs a name", key="calibration.error.name_required")
    users = _reviewer_users(session, reviewers)
    if conversation_ids is None:
        if not sample_size or sample_size < 1:
            raise InvalidInput(
                "choose conversations or a sample size", key="calibration.error.no_conversations"
            )
        conversation_ids = sample_conversations(session, sample_size, seed)
    conv_ids = _check_conversations(session, conversation_ids)
    stored = (
        rubrics.get_version(session, rubric_version_id)
        if rubric_version_id is not None
        else rubrics.active_version(session)
    )
    row = CalibrationSession(
        name=name.strip()[:200],
        rubric_version_id=stored.version_id,
        created_by=actor.user_id,
        status="open",
        notes=notes.strip(),
        created_at=utc_now(now),
    )
    session.add(row)
    session.flush()
    label = f"calibration: {row.name}"[:200]
    session.add_all(
        Assignment(
            conversation_id=conv_id,
            reviewer_id=user.id,
            rubric_version_id=stored.version_id,
            calibration_session_id=row.id,
            blind=True,
            sample_label=label,
            created_by=actor.user_id,
            created_at=row.created_at,
        )
        for conv_id in conv_ids
        for user in users
    )
    session.flush()
    record_event(
        session,
        actor,
        "calibration.created",
        "calibration_session",
        row.id,
        now=now,
        name=row.name,
        reviewers=[u.username for u in users],
        conversations=conv_ids,
        rubric_version=stored.version,
        seed=seed if sample_size else None,
    )
    return row.id


def _check_open(row: CalibrationSession) -> None:
    if row.status == "closed":
        raise Conflict(f"calibration session {row.id} is closed", key="calibration.error.closed")


def record_consensus(
    session: Session,
    actor: Actor,
    session_id: int,
    conversation_id: int,
    criterion_id: str,
    value: float | None,
    notes: str = "",
    *,
    now: datetime | None = None,
) -> None:
    """Record (or change) the agreed grade of one criterion; ``None`` means agreed N/A."""
    require(actor, "calibration.manage")
    row = session_row(session, session_id, lock=True)
    _check_open(row)
    in_session = session.scalar(
        select(Assignment.id)
        .where(
            Assignment.calibration_session_id == session_id,
            Assignment.conversation_id == conversation_id,
        )
        .limit(1)
    )
    if in_session is None:
        raise InvalidInput(
            f"conversation {conversation_id} is not in this session",
            key="calibration.error.not_in_session",
        )
    rubric = rubrics.get_version(session, row.rubric_version_id).rubric
    try:
        criterion = rubric.criterion(criterion_id)
    except KeyError as exc:
        raise InvalidInput(
            str(exc), key="calibration.error.criterion", criterion=criterion_id
        ) from exc
    if value is None and not criterion.na_allowed:
        raise InvalidInput("N/A is not allowed here", key="calibration.error.na_not_allowed")
    if value is not None and value not in criterion.scale.values:
        raise InvalidInput(f"{value} is not on the scale", key="calibration.error.value")
    existing = session.scalar(
        select(CalibrationConsensus).where(
            CalibrationConsensus.session_id == session_id,
            CalibrationConsensus.conversation_id == conversation_id,
            CalibrationConsensus.criterion_id == criterion_id,
        )
    )
    if existing is None:
        existing = CalibrationConsensus(
            session_id=session_id, conversation_id=conversation_id, criterion_id=criterion_id
        )
        session.add(existing)
    old = existing.value
    existing.value = None if value is None else float(value)
    existing.notes = notes.strip()
    existing.decided_by = actor.user_id
    existing.decided_at = utc_now(now)
    session.flush()
    record_event(
        session,
        actor,
        "calibration.consensus",
        "calibration_session",
        session_id,
        now=now,
        conversation_id=conversation_id,
        criterion_id=criterion_id,
        value=existing.value,
        previous=old,
    )


def close_session(
    session: Session,
    actor: Actor,
    session_id: int,
    notes: str = "",
    *,
    now: datetime | None = None,
) -> None:
    """Close a session: grading stops, reviewers may now see every grade and the consensus.

    Unfinished assignments are cancelled so they leave the reviewers' queues.
    """
    require(actor, "calibration.manage")
    row = session_row(session, session_id, lock=True)
    _check_open(row)
    cancelled = 0
    for assignment in session.scalars(
        select(Assignment).where(
            Assignment.calibration_session_id == session_id,
            Assignment.status.in_(("pending", "in_progress")),
        )
    ):
        assignment.status = "cancelled"
        cancelled += 1
    row.status = "closed"
    row.closed_at = utc_now(now)
    if notes.strip():
        row.notes = notes.strip()
    session.flush()
    record_event(
        session,
        actor,
        "calibration.closed",
        "calibration_session",
        session_id,
        now=now,
        notes=row.notes,
        cancelled_assignments=cancelled,
    )


def set_counts_for_agents(
    session: Session,
    actor: Actor,
    session_id: int,
    counts: bool = True,
    *,
    now: datetime | None = None,
) -> None:
    """A lead's decision that a closed session's grades count as the agents' evaluation.

    Calibration grades are reviewers practising on the same conversations, not the agent's
    evaluation: agents do not see them and nobody may dispute them until this decision
    (``disputes`` reads it). It is taken on a closed session only, so nothing an agent sees
    can still change; it can be withdrawn while none of the session's reviews is disputed.
    """
    require(actor, "calibration.manage")
    row = session_row(session, session_id, lock=True)
    if row.status != "closed":
        raise Conflict(
            f"calibration session {session_id} is still open",
            key="calibration.error.count_open",
        )
    if bool(row.counts_for_agents) == counts:
        return
    if not counts and _has_disputes(session, session_id):
        raise Conflict(
            f"reviews of calibration session {session_id} are disputed",
            key="calibration.error.count_disputed",
        )
    row.counts_for_agents = counts
    row.counted_by = actor.user_id if counts else None
    row.counted_at = utc_now(now) if counts else None
    session.flush()
    record_event(
        session,
        actor,
        "calibration.counts_for_agents" if counts else "calibration.not_counted",
        "calibration_session",
        session_id,
        now=now,
    )


def _has_disputes(session: Session, session_id: int) -> bool:
    disputed = session.scalar(
        select(Dispute.id)
        .join(Review, Review.id == Dispute.review_id)
        .where(Review.calibration_session_id == session_id)
        .limit(1)
    )
    return disputed is not None
