"""Recurring assignment plans as a lead defines them: name, schedule, scope, strategy and
quota, reviewers, rubric. Running them is ``runs.py``; this module saves, lists, pauses.

A plan's filters are the one-off sample's filters without dates: each run covers the
conversations started since the previous scheduled run (``schedule.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, InvalidInput, NotFound
from qa_app.services.permissions import require
from qa_app.services.sampling.filters import ConversationFilters, validate_filters
from qa_app.services.sampling.plans import active_reviewers
from qa_app.services.sampling.schedule import (
    Schedule,
    ScheduleError,
    latest_occurrence,
    make_schedule,
    next_run,
)
from qa_app.services.sampling.strategies import STRATEGIES
from qa_app.storage.models import AssignmentPlan, AssignmentPlanRun, User

MAX_NAME = 120
MAX_QUOTA = 500


@dataclass(frozen=True, slots=True)
class PlanInput:
    """What the plan form (or the command line) sends. ``weekdays``: numbers (0 = Monday),
    names (``"mon,thu"``) or ``"weekdays"`` (Monday to Friday)."""

    name: str
    weekdays: object = (0,)
    run_at: str = "07:00"
    timezone: str = "UTC"
    strategy: str = "stratified"
    quota_per_agent: int = 5
    filters: ConversationFilters = field(default_factory=ConversationFilters)
    reviewers: tuple[str, ...] = ()
    rubric_slug: str | None = None
    blind: bool = False


@dataclass(frozen=True, slots=True)
class LastRun:
    period_key: str
    ran_at: datetime
    created: int
    left_out: int
    override: bool


@dataclass(frozen=True, slots=True)
class PlanSummary:
    id: int
    name: str
    is_active: bool
    weekdays: tuple[int, ...]
    run_at: str
    timezone: str
    strategy: str
    quota_per_agent: int
    filters: ConversationFilters
    reviewers: tuple[str, ...]
    rubric_slug: str | None
    blind: bool
    next_run: datetime
    last_run: LastRun | None
    due: bool

    @property
    def period(self) -> str:
        return "week" if len(self.weekdays) == 1 else "day"


def plan_schedule(plan: AssignmentPlan) -> Schedule:
    return make_schedule(tuple(plan.weekdays), plan.run_at, plan.timezone)


def _checked_schedule(data: PlanInput) -> Schedule:
    try:
        return make_schedule(data.weekdays, data.run_at, data.timezone)
    except ScheduleError as exc:
        raise InvalidInput(
            str(exc), key=f"sampling.error.schedule_{exc.field}", value=str(exc.value)
        ) from exc


def _validate(session: Session, data: PlanInput) -> tuple[Schedule, list[User]]:
    name = data.name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput("a plan needs a name", key="sampling.error.plan_name", most=MAX_NAME)
    schedule = _checked_schedule(data)
    if data.strategy not in STRATEGIES:
        raise InvalidInput(
            f"unknown strategy {data.strategy!r}",
            key="sampling.error.strategy",
            strategy=data.strategy,
            allowed=", ".join(STRATEGIES),
        )
    if not 1 <= data.quota_per_agent <= MAX_QUOTA:
        raise InvalidInput("quota must be at least 1", key="sampling.error.quota")
    validate_filters(data.filters)
    if not data.reviewers:
        raise InvalidInput("choose at least one reviewer", key="sampling.error.no_reviewers")
    reviewers = active_reviewers(session, data.reviewers)
    rubrics.active_version(session, data.rubric_slug)  # NotFound for an unknown rubric
    return schedule, reviewers


def save_plan(
    session: Session,
    actor: Actor,
    data: PlanInput,
    *,
    now: datetime,
    plan_id: int | None = None,
) -> int:
    """Create a plan (``plan_id`` None) or change one; returns its id. A new plan's first
    run is its first scheduled time after ``now`` (no back-filling)."""
    require(actor, "sampling.plan")
    schedule, reviewers = _validate(session, data)
    name = data.name.strip()
    clash = session.scalar(select(AssignmentPlan.id).where(AssignmentPlan.name == name))
    if clash is not None and clash != plan_id:
        raise Conflict(f"a plan named {name!r} exists", key="sampling.error.plan_exists", name=name)
    if plan_id is None:
        plan = AssignmentPlan(active_from=now, created_by=actor.user_id, created_at=now)
        session.add(plan)
    else:
        plan = plan_row(session, plan_id)
    plan.name = name
    plan.weekdays = list(schedule.weekdays)
    plan.run_at = schedule.run_at.strftime("%H:%M")
    plan.timezone = schedule.timezone
    plan.strategy = data.strategy
    plan.quota_per_agent = data.quota_per_agent
    plan.filters = ConversationFilters.from_document(data.filters.to_document()).to_document()
    plan.reviewer_ids = [u.id for u in reviewers]
    plan.rubric_slug = data.rubric_slug
    plan.blind = data.blind
    plan.updated_at = now
    session.flush()
    record_event(
        session,
        actor,
        "plan.saved",
        "assignment_plan",
        plan.id,
        now=now,
        name=name,
        new=plan_id is None,
    )
    return plan.id


def plan_row(session: Session, plan_id: int) -> AssignmentPlan:
    plan = session.get(AssignmentPlan, plan_id)
    if plan is None:
        raise NotFound(f"no plan {plan_id}", key="sampling.error.plan_not_found", plan=plan_id)
    return plan


def set_plan_active(
    session: Session, actor: Actor, plan_id: int, active: bool, *, now: datetime | None = None
) -> None:
    """Pause or resume a plan. Resuming does not run the periods missed while paused."""
    require(actor, "sampling.plan")
    plan = plan_row(session, plan_id)
    plan.is_active = active
    plan.updated_at = utc_now(now)
    session.flush()
    action = "plan.resumed" if active else "plan.paused"
    record_event(session, actor, action, "assignment_plan", plan.id, now=now)


def _last_runs(session: Session, plan_ids: list[int]) -> dict[int, LastRun]:
    query = (
        select(AssignmentPlanRun)
        .where(AssignmentPlanRun.plan_id.in_(plan_ids))
        .order_by(AssignmentPlanRun.occurrence_at)
    )
    return {
        run.plan_id: LastRun(
            run.period_key, run.ran_at, run.created_count, run.left_out, run.capacity_override
        )
        for run in session.scalars(query)
    }


def summarise(
    plan: AssignmentPlan, names: dict[int, str], last: LastRun | None, now: datetime
) -> PlanSummary:
    schedule = plan_schedule(plan)
    occurrence = latest_occurrence(schedule, now)
    ran = last is not None and last.period_key == occurrence.period_key
    return PlanSummary(
        id=plan.id,
        name=plan.name,
        is_active=plan.is_active,
        weekdays=schedule.weekdays,
        run_at=plan.run_at,
        timezone=plan.timezone,
        strategy=plan.strategy,
        quota_per_agent=plan.quota_per_agent,
        filters=ConversationFilters.from_document(plan.filters),
        reviewers=tuple(names[i] for i in plan.reviewer_ids if i in names),
        rubric_slug=plan.rubric_slug,
        blind=plan.blind,
        next_run=next_run(schedule, now),
        last_run=last,
        due=plan.is_active and not ran and occurrence.at >= plan.active_from,
    )


def list_plans(session: Session, actor: Actor, now: datetime) -> list[PlanSummary]:
    """Every plan with its next run, its last run and whether a run is due now."""
    require(actor, "sampling.plan")
    plans = list(session.scalars(select(AssignmentPlan).order_by(AssignmentPlan.name)))
    wanted = {i for p in plans for i in p.reviewer_ids}
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())
    last = _last_runs(session, [p.id for p in plans])
    return [summarise(p, names, last.get(p.id), now) for p in plans]
