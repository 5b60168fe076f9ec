"""One-off samples: choose conversations for review and put them in reviewers' queues.

A lead previews a sample (what would be picked, for whom, why, and whether it fits each
reviewer's capacity) and then creates the assignments. The same filters and seed give the
same sample. A conversation already in a review queue outside calibration is never picked
again (the database enforces it too), and nobody gets a conversation they already
reviewed. Conversations go to reviewers by capacity (``spread``): nobody is given more
than their weekly goal leaves room for unless the lead overrides, which is audited.
Recurring plans (``runs``) build their samples with the same ``build_sample``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa_app.services import reviews, rubrics
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
from qa_app.services.sampling.filters import validate_filters
from qa_app.services.sampling.spread import Seat, spread
from qa_app.services.sampling.strategies import STRATEGIES, Candidate, Pick, choose
from qa_app.storage.models import Assignment, Review, User

__all__ = [
    "CapacityRow",
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
class CapacityRow:
    """One reviewer in a preview: the week so far and what this sample would add."""

    reviewer: str
    goal: int | None
    done: int
    open: int
    capacity: int | None
    planned: int  # what this sample assigns (capped unless overridden)
    wanted: int  # what it would assign without the cap

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.wanted > self.capacity


@dataclass(frozen=True, slots=True)
class SamplePlan:
    request: SampleRequest
    candidates: int
    items: tuple[PlannedAssignment, ...]
    skipped_no_reviewer: int = 0
    created_ids: tuple[int, ...] = field(default=())
    capacity: tuple[CapacityRow, ...] = ()
    left_out_capacity: int = 0

    def per_reviewer(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for item in self.items:
            counts[item.reviewer] += 1
        return dict(counts)

    @property
    def over_capacity(self) -> tuple[CapacityRow, ...]:
        """Reviewers this sample would push past their capacity without the cap."""
        return tuple(row for row in self.capacity if row.over)


def validate_request(request: SampleRequest) -> None:
    if request.strategy not in STRATEGIES:
        raise InvalidInput(
            f"unknown strategy {request.strategy!r}",
            key="sampling.error.strategy",
            strategy=request.strategy,
            allowed=", ".join(STRATEGIES),
        )
    if request.per_agent_week < 1 or (request.size is not None and request.size < 1):
        raise InvalidInput("quota must be at least 1", key="sampling.error.quota")
    validate_filters(request.filters)
    if not request.reviewers:
        raise InvalidInput("choose at least one reviewer", key="sampling.error.no_reviewers")


def active_reviewers(session: Session, usernames: tuple[str, ...]) -> list[User]:
    """The users named, in the order given; unknown or inactive names are refused."""
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


def _planned(pick: Pick, reviewer: str) -> PlannedAssignment:
    c = pick.candidate
    return PlannedAssignment(
        conversation_id=c.conversation_id,
        external_id=c.external_id,
        agent=c.agent,
        team=c.team,
        channel=c.channel,
        language=c.language,
        started_at=c.started_at,
        week=c.week,
        reviewer=reviewer,
        reasons=pick.reasons,
        risk=pick.risk,
    )


def _capacity_rows(
    reviewers: list[User], loads: dict[int, reviews.GoalProgress], capped: dict, wanted: dict
) -> tuple[CapacityRow, ...]:
    return tuple(
        CapacityRow(
            u.username,
            loads[u.id].goal,
            loads[u.id].done,
            loads[u.id].open,
            loads[u.id].capacity,
            capped.get(u.id, 0),
            wanted.get(u.id, 0),
        )
        for u in reviewers
    )


def assign_picks(
    session: Session,
    request: SampleRequest,
    picks: list[Pick],
    candidates: int,
    reviewers: list[User],
    now: datetime,
) -> SamplePlan:
    """Spread ``picks`` (in fair order) over ``reviewers`` by capacity: capped, unless the
    request overrides; the capacity rows say what the cap held back from whom."""
    ids = [u.id for u in reviewers]
    loads = reviews.reviewer_loads(session, ids, now)
    seats = [Seat(uid, loads[uid].capacity, loads[uid].open) for uid in ids]
    seen = _seen_by(session, ids, {p.candidate.conversation_id for p in picks})
    conv_ids = [p.candidate.conversation_id for p in picks]
    wanted = spread(conv_ids, seats, seen, cap=False)
    used = wanted if request.override_capacity else spread(conv_ids, seats, seen, cap=True)
    names = {u.id: u.username for u in reviewers}
    items = tuple(_planned(picks[index], names[rid]) for index, rid in used.assigned)
    return SamplePlan(
        request,
        candidates,
        items,
        used.left_out_seen,
        capacity=_capacity_rows(reviewers, loads, used.per_reviewer, wanted.per_reviewer),
        left_out_capacity=used.left_out_capacity,
    )


def build_sample(
    session: Session,
    request: SampleRequest,
    candidates: list[Candidate],
    reviewers: list[User],
    now: datetime,
    *,
    whole_window: bool = False,
) -> SamplePlan:
    """Pick from ``candidates`` with the request's strategy, then ``assign_picks``."""
    picks = choose(
        request.strategy,
        candidates,
        per_agent_week=request.per_agent_week,
        size=request.size,
        seed=request.seed,
        whole_window=whole_window,
    )
    return assign_picks(session, request, picks, len(candidates), reviewers, now)


def preview_sample(
    session: Session, actor: Actor, request: SampleRequest, *, now: datetime | None = None
) -> SamplePlan:
    """What a sample would assign, to whom and why, and each reviewer's capacity; changes
    nothing."""
    require(actor, "sampling.run")
    validate_request(request)
    reviewers = active_reviewers(session, request.reviewers)
    candidates = load_candidates(session, request.filters)
    return build_sample(session, request, candidates, reviewers, utc_now(now))


def insert_assignments(
    session: Session,
    actor: Actor,
    plan: SamplePlan,
    label: str,
    *,
    now: datetime,
    plan_run_id: int | None = None,
) -> list[Assignment]:
    """The assignments of ``plan``, made at ``now``; a conversation taken meanwhile is a
    clear Conflict."""
    version = rubrics.active_version(session, plan.request.rubric_slug)
    names = tuple(plan.per_reviewer())
    reviewer_ids = dict(
        session.execute(select(User.username, User.id).where(User.username.in_(names))).all()
    )
    rows = [
        Assignment(
            conversation_id=item.conversation_id,
            reviewer_id=reviewer_ids[item.reviewer],
            rubric_version_id=version.version_id,
            blind=plan.request.blind,
            sample_label=f"{label}: {', '.join(item.reasons)}"[:200],
            created_by=actor.user_id,
            created_at=now,
            plan_run_id=plan_run_id,
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
    return rows


def record_override(
    session: Session, actor: Actor, plan: SamplePlan, what: str, *, now: datetime
) -> None:
    """Audit a lead's choice to assign beyond capacity, with the numbers per reviewer."""
    over = {
        row.reviewer: {"capacity": row.capacity, "assigned": row.planned}
        for row in plan.capacity
        if row.capacity is not None and row.planned > row.capacity
    }
    if over:
        record_event(
            session, actor, "sampling.capacity_override", "sample", what, now=now, over=over
        )


def create_sample(
    session: Session, actor: Actor, request: SampleRequest, *, now: datetime | None = None
) -> SamplePlan:
    """Create the assignments of a sample (recomputed from the request, so it matches the
    preview when nothing changed in between) and record an audit event."""
    now = utc_now(now)
    plan = preview_sample(session, actor, request, now=now)
    label = f"{request.strategy} seed={request.seed}"
    rows = insert_assignments(session, actor, plan, label, now=now)
    if request.override_capacity:
        record_override(session, actor, plan, label, now=now)
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
        left_out_capacity=plan.left_out_capacity,
        override_capacity=request.override_capacity,
        rubric_slug=request.rubric_slug,
    )
    return SamplePlan(
        request,
        plan.candidates,
        plan.items,
        plan.skipped_no_reviewer,
        tuple(r.id for r in rows),
        plan.capacity,
        plan.left_out_capacity,
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
    (user,) = active_reviewers(session, (reviewer,))
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
