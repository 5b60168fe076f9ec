"""Calibration sessions as lists and progress: who is in which session, how far they are.

Also the access rule every calibration view shares (``check_can_view``): leads see all,
participants see their session, and other reviewers' grades only once it is closed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.storage.models import Assignment, CalibrationSession, Conversation, Review, User

GRADED = ("submitted", "disputed", "final")


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One calibration session as the sessions list shows it."""

    session_id: int
    name: str
    status: str
    rubric_version_id: int
    rubric_slug: str
    rubric_version: int
    created_at: datetime
    closed_at: datetime | None
    created_by: str
    reviewers: tuple[str, ...]
    conversations: int
    graded: int
    total: int
    my_graded: int | None = None
    my_total: int | None = None
    notes: str = ""
    #: A lead decided the session's grades count as the agents' evaluation (see
    #: ``grading.set_counts_for_agents``); until then agents never see them.
    counts_for_agents: bool = False

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True, slots=True)
class MyAssignment:
    """A reviewer's own assignment in a session (for "open the next one")."""

    assignment_id: int
    conversation_id: int
    external_id: str
    status: str


def session_row(session: Session, session_id: int, *, lock: bool = False) -> CalibrationSession:
    """The session's row; ``lock`` holds it until the transaction ends, so a lead's
    changes to one session (consensus, closing, counting) happen one after the other and
    each sees the state the previous one left (a second close is refused, not repeated)."""
    row = session.get(CalibrationSession, session_id, with_for_update=lock, populate_existing=lock)
    if row is None:
        raise NotFound(
            f"calibration session {session_id} not found", key="calibration.error.not_found"
        )
    return row


def participants(session: Session, session_id: int) -> dict[int, str]:
    query = (
        select(User.id, User.username)
        .join(Assignment, Assignment.reviewer_id == User.id)
        .where(Assignment.calibration_session_id == session_id)
        .distinct()
        .order_by(User.username)
    )
    return dict(session.execute(query).all())


def check_can_view(session: Session, actor: Actor, row: CalibrationSession) -> bool:
    """Leads see everything; a participant sees the session, and its grades once closed.

    Returns whether the actor may see other reviewers' grades now.
    """
    if can(actor, "calibration.manage"):
        return True
    if can(actor, "calibration.take_part") and actor.user_id in participants(session, row.id):
        return row.status == "closed"
    raise PermissionDenied(
        "only participants and leads see a calibration session",
        key="calibration.error.not_participant",
        role=actor.role,
    )


def _progress(session: Session, session_ids: list[int]) -> dict[int, dict[int, list[int]]]:
    """session -> reviewer -> [graded, total] from assignments and their reviews."""
    query = (
        select(
            Assignment.calibration_session_id,
            Assignment.reviewer_id,
            func.count(Assignment.id),
            func.count(Review.id),
        )
        .outerjoin(Review, (Review.assignment_id == Assignment.id) & Review.status.in_(GRADED))
        .where(Assignment.calibration_session_id.in_(session_ids), Assignment.status != "cancelled")
        .group_by(Assignment.calibration_session_id, Assignment.reviewer_id)
    )
    out: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for sid, reviewer_id, total, graded in session.execute(query):
        out[sid][reviewer_id] = [int(graded), int(total)]
    return out


def _summaries(
    session: Session, actor: Actor, rows: list[CalibrationSession]
) -> list[SessionSummary]:
    progress = _progress(session, [r.id for r in rows]) if rows else {}
    names = dict(session.execute(select(User.id, User.username)).all())
    out = []
    for row in rows:
        per_reviewer = progress.get(row.id, {})
        stored = rubrics.get_version(session, row.rubric_version_id)
        n_conv = session.scalar(
            select(func.count(func.distinct(Assignment.conversation_id))).where(
                Assignment.calibration_session_id == row.id
            )
        )
        mine = per_reviewer.get(actor.user_id) if actor.user_id is not None else None
        out.append(
            SessionSummary(
                session_id=row.id,
                name=row.name,
                status=row.status,
                rubric_version_id=row.rubric_version_id,
                rubric_slug=stored.slug,
                rubric_version=stored.version,
                created_at=row.created_at,
                closed_at=row.closed_at,
                created_by=names.get(row.created_by, "system"),
                reviewers=tuple(sorted(names.get(r, str(r)) for r in per_reviewer)),
                conversations=int(n_conv or 0),
                graded=sum(g for g, _ in per_reviewer.values()),
                total=sum(t for _, t in per_reviewer.values()),
                my_graded=mine[0] if mine else None,
                my_total=mine[1] if mine else None,
                notes=row.notes,
                counts_for_agents=bool(row.counts_for_agents),
            )
        )
    return out


def list_sessions(session: Session, actor: Actor) -> list[SessionSummary]:
    """Leads: every session; reviewers: the sessions they grade in; newest first."""
    manager = can(actor, "calibration.manage")
    if not manager:
        require(actor, "calibration.take_part")
    query = select(CalibrationSession).order_by(CalibrationSession.id.desc())
    if not manager:
        mine = select(Assignment.calibration_session_id).where(
            Assignment.reviewer_id == actor.user_id,
            Assignment.calibration_session_id.is_not(None),
        )
        query = query.where(CalibrationSession.id.in_(mine))
    return _summaries(session, actor, list(session.scalars(query)))


def get_session(session: Session, actor: Actor, session_id: int) -> SessionSummary:
    row = session_row(session, session_id)
    check_can_view(session, actor, row)
    return _summaries(session, actor, [row])[0]


def my_assignments(session: Session, actor: Actor, session_id: int) -> list[MyAssignment]:
    """The actor's own assignments in a session, unfinished first."""
    session_row(session, session_id)
    query = (
        select(
            Assignment.id, Assignment.conversation_id, Conversation.external_id, Assignment.status
        )
        .join(Conversation, Conversation.id == Assignment.conversation_id)
        .where(
            Assignment.calibration_session_id == session_id,
            Assignment.reviewer_id == actor.user_id,
        )
        .order_by(Assignment.status == "done", Assignment.id)
    )
    return [MyAssignment(*row) for row in session.execute(query)]
