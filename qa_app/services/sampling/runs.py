"""Running recurring plans: one period's assignments, spread by capacity, exactly once.

``run_plan`` first claims the period with ``INSERT ... ON CONFLICT DO NOTHING`` on the
unique (plan, period) key, then samples. Two schedulers starting at the same moment (a
cron job and a lead opening the page) therefore never both assign: on PostgreSQL the
second insert waits for the first transaction and then finds the key taken; on SQLite
the second writer waits for the first to commit. The loser gets ``already_ran``, a no-op,
never a database error. If sampling fails after the claim, the whole unit of work rolls
back, claim included, so the period can be run again.

``due_plans`` is the cheap check the app makes on a lead's visit (two small queries and
some date arithmetic); ``do_run_due_plans`` runs each due plan in its own unit of work,
so one plan's failure does not undo another's assignments.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.errors import Conflict, InvalidInput, ServiceError
from qa_app.services.permissions import require
from qa_app.services.sampling.candidates import SampleRequest, load_candidates
from qa_app.services.sampling.filters import ConversationFilters
from qa_app.services.sampling.plans import (
    SamplePlan,
    active_reviewers,
    build_sample,
    insert_assignments,
    record_override,
)
from qa_app.services.sampling.recurring import plan_row, plan_schedule
from qa_app.services.sampling.schedule import Occurrence, latest_occurrence
from qa_app.storage.models import AssignmentPlan, AssignmentPlanRun, User
from qa_app.storage.uow import UnitOfWork

RUN_STATUSES = ("created", "already_ran", "preview", "failed")


@dataclass(frozen=True, slots=True)
class PlanRunResult:
    plan_id: int
    plan_name: str
    period_key: str
    status: str  # one of RUN_STATUSES
    occurrence_at: datetime | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    created: int = 0
    left_out_capacity: int = 0
    sample: SamplePlan | None = None
    #: For ``failed``: the catalogue key and parameters of the reason.
    error_key: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)


def plan_label(plan: AssignmentPlan, period_key: str) -> str:
    """The assignments' ``sample_label`` head: strategy first (the queue page reads it),
    then the plan and the period; the name loses characters the label format uses."""
    name = plan.name.replace(": ", " ").replace("|", "/")[:60]
    return f"{plan.strategy} plan={name}|{period_key}"


def _request(plan: AssignmentPlan, reviewers: tuple[str, ...], period: str, override: bool):
    return SampleRequest(
        strategy=plan.strategy,
        per_agent_week=plan.quota_per_agent,
        reviewers=reviewers,
        seed=zlib.crc32(f"{plan.id}:{period}".encode()),
        filters=ConversationFilters.from_document(plan.filters),
        rubric_slug=plan.rubric_slug,
        blind=plan.blind,
        override_capacity=override,
    )


def _plan_reviewers(session: Session, plan: AssignmentPlan) -> list[User]:
    """The plan's reviewers who can still review (a deactivated one is skipped)."""
    names = dict(
        session.execute(
            select(User.id, User.username).where(
                User.id.in_(plan.reviewer_ids), User.is_active.is_(True)
            )
        ).all()
    )
    usable = tuple(names[i] for i in plan.reviewer_ids if i in names)
    if not usable:
        raise InvalidInput(
            f"plan {plan.name!r} has no active reviewers",
            key="sampling.error.plan_no_reviewers",
            name=plan.name,
        )
    return active_reviewers(session, usable)


def _claim(
    session: Session, plan: AssignmentPlan, occ: Occurrence, actor: Actor, now
) -> int | None:
    """Insert the run row unless this period already has one; its id, or None."""
    values = {
        "plan_id": plan.id,
        "period_key": occ.period_key,
        "occurrence_at": occ.at,
        "window_start": occ.window_start,
        "window_end": occ.window_end,
        "ran_at": now,
        "ran_by": actor.user_id,
        "actor": actor.username,
        "created_count": 0,
        "left_out": 0,
        "capacity_override": False,
        "details": {},
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(AssignmentPlanRun)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["plan_id", "period_key"])
        .returning(AssignmentPlanRun.id)
    )
    try:
        return session.execute(statement).scalar()
    except OperationalError as exc:  # SQLite: another writer held the file past the timeout
        raise Conflict(
            "another run is writing to the database; try again", key="sampling.error.busy"
        ) from exc


def _result(plan, occ: Occurrence, status: str, **extra) -> PlanRunResult:
    return PlanRunResult(
        plan.id,
        plan.name,
        occ.period_key,
        status,
        occ.at,
        occ.window_start,
        occ.window_end,
        **extra,
    )


def _sample(session: Session, plan, occ: Occurrence, reviewers, override: bool, now) -> SamplePlan:
    request = _request(plan, tuple(u.username for u in reviewers), occ.period_key, override)
    window = (occ.window_start, occ.window_end)
    candidates = load_candidates(session, request.filters, window=window)
    return build_sample(session, request, candidates, reviewers, now, whole_window=True)


def run_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    now: datetime,
    *,
    override: bool = False,
    preview: bool = False,
) -> PlanRunResult:
    """Run ``plan_id`` for its latest scheduled period at ``now`` (or, with ``preview``,
    show what it would assign). A period already run is a no-op (``already_ran``)."""
    require(actor, "sampling.plan")
    plan = plan_row(session, plan_id)
    occ = latest_occurrence(plan_schedule(plan), now)
    reviewers = _plan_reviewers(session, plan)
    if preview:
        sample = _sample(session, plan, occ, reviewers, override, now)
        return _result(plan, occ, "preview", sample=sample, created=len(sample.items))
    run_id = _claim(session, plan, occ, actor, now)
    if run_id is None:
        return _result(plan, occ, "already_ran")
    sample = _sample(session, plan, occ, reviewers, override, now)
    rows = insert_assignments(
        session, actor, sample, plan_label(plan, occ.period_key), now=now, plan_run_id=run_id
    )
    run = session.get(AssignmentPlanRun, run_id)
    run.created_count, run.left_out = len(rows), sample.left_out_capacity
    run.capacity_override = override
    run.details = {"per_reviewer": sample.per_reviewer(), "candidates": sample.candidates}
    if override:
        record_override(session, actor, sample, f"plan {plan.id} {occ.period_key}", now=now)
    record_event(
        session,
        actor,
        "plan.run",
        "assignment_plan",
        plan.id,
        now=now,
        period=occ.period_key,
        assignments=len(rows),
        left_out=sample.left_out_capacity,
        override=override,
    )
    return _result(
        plan,
        occ,
        "created",
        created=len(rows),
        left_out_capacity=sample.left_out_capacity,
        sample=sample,
    )


def due_plans(session: Session, actor: Actor, now: datetime) -> list[tuple[int, str]]:
    """(id, name) of every active plan whose latest scheduled period has not run yet."""
    require(actor, "sampling.plan")
    plans = list(session.scalars(select(AssignmentPlan).where(AssignmentPlan.is_active.is_(True))))
    if not plans:
        return []
    latest = {p.id: latest_occurrence(plan_schedule(p), now) for p in plans}
    done = set(
        session.execute(
            select(AssignmentPlanRun.plan_id, AssignmentPlanRun.period_key).where(
                AssignmentPlanRun.plan_id.in_(latest),
                AssignmentPlanRun.period_key.in_({o.period_key for o in latest.values()}),
            )
        ).all()
    )
    return [
        (p.id, p.name)
        for p in sorted(plans, key=lambda p: p.name)
        if (p.id, latest[p.id].period_key) not in done and latest[p.id].at >= p.active_from
    ]


def _failed(plan_id: int, name: str, exc: ServiceError) -> PlanRunResult:
    return PlanRunResult(
        plan_id, name, "", "failed", error_key=exc.key, error_params=dict(exc.params)
    )


def do_run_due_plans(uow: UnitOfWork, actor: Actor, now: datetime) -> list[PlanRunResult]:
    """Run every due plan, each in its own unit of work; a plan that cannot run is
    reported (``failed`` with the reason) and the others still run."""
    with uow:
        due = due_plans(uow.session, actor, now)
    results = []
    for plan_id, name in due:
        try:
            with uow:
                result = run_plan(uow.session, actor, plan_id, now)
                uow.commit()
        except ServiceError as exc:
            result = _failed(plan_id, name, exc)
        results.append(result)
    return results
