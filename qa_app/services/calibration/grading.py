"""Calibration sessions: several reviewers grade the same conversations blind, then compare.

A lead creates a session (a rubric version, a set of conversations, several reviewers);
every reviewer gets one blind assignment per conversation, marked with the session id (the
only place where a conversation may be assigned more than once). Reviewers grade on the
ordinary review page. The lead reads the agreement figures (``calibration_results``),
records the agreed grade per (conversation, criterion) and closes the session; only then do
reviewers see everyone's grades, so nobody anchors on a colleague's answer.

This module holds the lead's decisions on a session (the agreed grades, closing it, whether
it counts for the agents); creating one is in ``creation`` and reading them in
``sessions``. Its ``__all__`` names all three, the session's life in one place.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.calibration.creation import (
    MAX_CONVERSATIONS,
    create_session,
    resolve_conversations,
    sample_conversations,
)
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
from qa_app.services.errors import Conflict, InvalidInput
from qa_app.services.permissions import require
from qa_app.storage.models import (
    Assignment,
    CalibrationConsensus,
    CalibrationSession,
    Dispute,
    Review,
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
    _check_consensus(session, row, conversation_id, criterion_id, value)
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


def _check_consensus(
    session: Session,
    row: CalibrationSession,
    conversation_id: int,
    criterion_id: str,
    value: float | None,
) -> None:
    """The conversation is in the session and the value fits the criterion's scale."""
    in_session = session.scalar(
        select(Assignment.id)
        .where(
            Assignment.calibration_session_id == row.id,
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
