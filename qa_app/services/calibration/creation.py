"""Creating a calibration session: who grades, which conversations, one blind assignment each.

A lead picks the conversations (by id or external id) or has them sampled spread over
agents and channels; every reviewer gets one blind assignment per conversation, marked with
the session id (the only place where a conversation may be assigned more than once)."""

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
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.permissions import require, roles_for
from qa_app.storage.models import Assignment, CalibrationSession, Conversation, User

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
    conv_ids = _chosen_conversations(session, conversation_ids, sample_size, seed)
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
    _add_assignments(session, actor, row, users, conv_ids)
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


def _chosen_conversations(
    session: Session, conversation_ids: Sequence[int] | None, sample_size: int | None, seed: int
) -> list[int]:
    """The session's conversations: the ones given, else a sample of ``sample_size``."""
    if conversation_ids is None:
        if not sample_size or sample_size < 1:
            raise InvalidInput(
                "choose conversations or a sample size", key="calibration.error.no_conversations"
            )
        conversation_ids = sample_conversations(session, sample_size, seed)
    return _check_conversations(session, conversation_ids)


def _add_assignments(
    session: Session,
    actor: Actor,
    row: CalibrationSession,
    users: Sequence[User],
    conv_ids: Sequence[int],
) -> None:
    """One blind assignment per reviewer and conversation, marked with the session."""
    label = f"calibration: {row.name}"[:200]
    session.add_all(
        Assignment(
            conversation_id=conv_id,
            reviewer_id=user.id,
            rubric_version_id=row.rubric_version_id,
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
