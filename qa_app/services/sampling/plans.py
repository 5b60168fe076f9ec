"""Sampling: choose conversations for review and put them in reviewers' queues.

A lead previews a sample (what would be picked, for whom, and why) and then creates the
assignments. The same filters and seed give the same sample. A conversation already in a
review queue outside calibration is never picked again (the database enforces it too), and
nobody gets a conversation they already reviewed. Load is balanced by open queue size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, InvalidInput, NotFound
from qa_app.services.permissions import require, roles_for
from qa_app.services.sampling.candidates import (
    SampleOptions,
    SampleRequest,
    load_candidates,
    sample_options,
)
from qa_app.services.sampling.strategies import STRATEGIES, Pick, choose
from qa_app.storage.models import (
    Assignment,
    Review,
    User,
)

__all__ = [
    "PlannedAssignment",
    "SampleOptions",
    "SamplePlan",
    "SampleRequest",
    "assign_conversation",
    "create_sample",
    "load_candidates",
    "preview_sample",
    "sample_options",
]

OPEN_STATUSES = ("pending", "in_progress")


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
        u.username for u in users if u.role not in roles_for("review.grade") or not u.is_active
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
    require(actor, "sampling.run")
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


def create_sample(
    session: Session, actor: Actor, request: SampleRequest, *, now: datetime | None = None
) -> SamplePlan:
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
    now = utc_now(now)
    rows = [
        Assignment(
            conversation_id=item.conversation_id,
            reviewer_id=reviewer_ids[item.reviewer],
            rubric_version_id=version.version_id,
            blind=request.blind,
            sample_label=f"{label}: {', '.join(item.reasons)}"[:200],
            created_by=actor.user_id,
            created_at=now,
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
        now=now,
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
    session: Session,
    actor: Actor,
    conversation_id: int,
    reviewer: str,
    *,
    blind: bool = False,
    now: datetime | None = None,
) -> int:
    """Put one conversation in one reviewer's queue (service check, then the DB index)."""
    require(actor, "sampling.run")
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
        created_at=utc_now(now),
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"conversation {conversation_id} is already assigned",
            key="sampling.error.already_assigned",
        ) from exc
    record_event(
        session, actor, "assignment.created", "assignment", row.id, now=now, reviewer=reviewer
    )
    return row.id
