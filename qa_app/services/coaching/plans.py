"""Coaching plans: a trainer assigns a topic to an agent or a group with a due date, records
the sessions held, and each agent confirms the sessions they took part in.

Every change to a plan (its due date, status, notes, a new session) names the version of
the plan the trainer was looking at; if another trainer changed it meanwhile, the change
ends in ``Conflict`` (``coaching.error.conflict``) and nothing is saved, rather than the
later click silently overwriting the earlier one. The database enforces it too
(``lock_version``, optimistic locking), so two requests at the same moment cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.coaching.recommendations import catalogue
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.storage.models import (
    Agent,
    CoachingConfirmation,
    CoachingPlan,
    CoachingPlanAgent,
    CoachingSession,
    Team,
    User,
)

PLAN_STATUSES = ("active", "done", "cancelled")
EXERCISES = ("role_play", "simulation", "quiz", "reading")
MAX_NOTES = 4000


@dataclass(frozen=True, slots=True)
class SessionView:
    session_id: int
    held_at: datetime
    exercises: tuple[str, ...]
    notes: str
    recorded_by: str
    confirmed: tuple[int, ...]  # agent ids that confirmed


@dataclass(frozen=True, slots=True)
class PlanView:
    plan_id: int
    topic_id: str
    agents: tuple[tuple[int, str], ...]  # (agent id, name)
    team: str
    status: str
    due_at: datetime
    notes: str
    created_by: str
    version: int
    sessions: tuple[SessionView, ...]
    overdue: bool

    @property
    def agent_ids(self) -> tuple[int, ...]:
        return tuple(a for a, _ in self.agents)


def _notes(text: str, where: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_NOTES:
        raise InvalidInput(
            f"{where} are {len(text)} characters long; at most {MAX_NOTES}",
            key="coaching.error.notes_long",
            most=MAX_NOTES,
            length=len(text),
        )
    return text


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{what} needs a time zone", key="coaching.error.naive_time")
    return moment


def _agents(session: Session, agent_ids: Iterable[int]) -> list[Agent]:
    ids = sorted(set(agent_ids))
    if not ids:
        raise InvalidInput("a plan needs at least one agent", key="coaching.error.no_agents")
    found = list(session.scalars(select(Agent).where(Agent.id.in_(ids))))
    missing = sorted(set(ids) - {a.id for a in found})
    if missing:
        raise NotFound(
            f"agents {missing} do not exist",
            key="coaching.error.unknown_agents",
            ids=", ".join(map(str, missing)),
        )
    return found


def create_plan(
    session: Session,
    actor: Actor,
    topic_id: str,
    agent_ids: Iterable[int],
    due_at: datetime,
    notes: str = "",
    *,
    now: datetime | None = None,
) -> int:
    """Assign a topic to one agent or a group; returns the plan's id."""
    require(actor, "coaching.plan")
    at = utc_now(now)
    if topic_id not in catalogue().topic_ids():
        raise InvalidInput(
            f"unknown coaching topic {topic_id!r}", key="coaching.error.topic", topic=topic_id
        )
    _aware(due_at, "the due date")
    if due_at < at:
        raise InvalidInput(
            "the due date is in the past", key="coaching.error.due_past", due=f"{due_at:%Y-%m-%d}"
        )
    agents = _agents(session, agent_ids)
    teams = {a.team_id for a in agents}
    plan = CoachingPlan(
        topic_id=topic_id,
        team_id=teams.pop() if len(teams) == 1 else None,
        due_at=due_at,
        notes=_notes(notes, "the plan's notes"),
        created_by=actor.user_id,
        created_at=at,
        updated_at=at,
        status="active",
    )
    plan.agents = [CoachingPlanAgent(agent_id=a.id) for a in agents]
    session.add(plan)
    session.flush()
    record_event(
        session,
        actor,
        "coaching.plan_created",
        "coaching_plan",
        plan.id,
        now=at,
        topic=topic_id,
        agents=[a.login for a in agents],
        due=due_at.isoformat(),
    )
    return plan.id


def _plan_for_change(session: Session, plan_id: int, version: int) -> CoachingPlan:
    plan = session.get(CoachingPlan, plan_id)
    if plan is None:
        raise NotFound(f"coaching plan {plan_id} not found", key="coaching.error.no_plan")
    if plan.lock_version != version:
        raise _conflict(plan_id)
    return plan


def _conflict(plan_id: int) -> Conflict:
    return Conflict(
        f"coaching plan {plan_id} was changed by someone else meanwhile",
        key="coaching.error.conflict",
    )


def _touch(plan: CoachingPlan, at: datetime) -> None:
    """Stamp the change; the row is always updated, so its version always moves on (even
    when the same moment or the same values are written again)."""
    plan.updated_at = at
    flag_modified(plan, "updated_at")


def _flush(session: Session, plan_id: int) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise _conflict(plan_id) from exc


def update_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    version: int,
    *,
    due_at: datetime | None = None,
    status: str | None = None,
    notes: str | None = None,
    now: datetime | None = None,
) -> int:
    """Change a plan's due date, status or notes; ``version`` is the one the trainer saw.
    Returns the new version."""
    require(actor, "coaching.plan")
    at = utc_now(now)
    plan = _plan_for_change(session, plan_id, version)
    if status is not None and status not in PLAN_STATUSES:
        raise InvalidInput(
            f"unknown plan status {status!r}", key="coaching.error.status", status=status
        )
    if due_at is not None:
        plan.due_at = _aware(due_at, "the due date")
    if status is not None:
        plan.status = status
    if notes is not None:
        plan.notes = _notes(notes, "the plan's notes")
    _touch(plan, at)
    _flush(session, plan_id)
    record_event(
        session,
        actor,
        "coaching.plan_changed",
        "coaching_plan",
        plan_id,
        now=at,
        status=plan.status,
        due=plan.due_at.isoformat(),
    )
    return plan.lock_version


def record_session(
    session: Session,
    actor: Actor,
    plan_id: int,
    version: int,
    held_at: datetime,
    exercises: Iterable[str],
    notes: str = "",
    *,
    now: datetime | None = None,
) -> int:
    """Record a session held under a plan (not in the future); returns its id."""
    require(actor, "coaching.plan")
    at = utc_now(now)
    plan = _plan_for_change(session, plan_id, version)
    _aware(held_at, "the session's date")
    if held_at > at:
        raise InvalidInput(
            "a session cannot be recorded before it is held",
            key="coaching.error.session_future",
            date=f"{held_at:%Y-%m-%d}",
        )
    done = tuple(dict.fromkeys(exercises))
    unknown = [e for e in done if e not in EXERCISES]
    if unknown:
        raise InvalidInput(
            f"unknown exercises {unknown}", key="coaching.error.exercise", names=", ".join(unknown)
        )
    held = CoachingSession(
        held_at=held_at,
        exercises=list(done),
        notes=_notes(notes, "the session's notes"),
        recorded_by=actor.user_id,
        recorded_at=at,
    )
    plan.sessions.append(held)
    _touch(plan, at)  # a new session is a change of the plan: its version moves on
    _flush(session, plan_id)
    record_event(
        session,
        actor,
        "coaching.session_recorded",
        "coaching_plan",
        plan_id,
        now=at,
        held=held_at.isoformat(),
        exercises=list(done),
    )
    return held.id


def confirm_session(
    session: Session, actor: Actor, session_id: int, *, now: datetime | None = None
) -> None:
    """The agent confirms they took part in a session of their own plan (once; again is
    a no-op)."""
    require(actor, "coaching.confirm")
    held = session.get(CoachingSession, session_id)
    if held is None:
        raise NotFound(f"coaching session {session_id} not found", key="coaching.error.no_session")
    members = set(
        session.scalars(
            select(CoachingPlanAgent.agent_id).where(CoachingPlanAgent.plan_id == held.plan_id)
        )
    )
    if actor.agent_id is None or actor.agent_id not in members:
        raise PermissionDenied(
            f"{actor.username} is not in this coaching plan", key="coaching.error.not_own"
        )
    if session.get(CoachingConfirmation, (session_id, actor.agent_id)) is not None:
        return
    at = utc_now(now)
    session.add(
        CoachingConfirmation(
            session_id=session_id,
            agent_id=actor.agent_id,
            confirmed_by=actor.user_id,
            confirmed_at=at,
        )
    )
    session.flush()
    record_event(
        session, actor, "coaching.session_confirmed", "coaching_session", session_id, now=at
    )


def _visible_plan_ids(session: Session, actor: Actor) -> list[int] | None:
    """None: every plan. Agents see their own; a lead with a team sees that team's."""
    if not can(actor, "coaching.plans_view"):
        require(actor, "coaching.read_own")
        return list(
            session.scalars(
                select(CoachingPlanAgent.plan_id).where(
                    CoachingPlanAgent.agent_id == actor.agent_id
                )
            )
        )
    if actor.team_id is not None and not can(actor, "coaching.plan"):
        return list(
            session.scalars(
                select(CoachingPlanAgent.plan_id)
                .join(Agent, Agent.id == CoachingPlanAgent.agent_id)
                .where(Agent.team_id == actor.team_id)
            )
        )
    return None


def list_plans(session: Session, actor: Actor, now: datetime) -> list[PlanView]:
    """The plans the actor may see, overdue first, then by due date."""
    visible = _visible_plan_ids(session, actor)
    query = select(CoachingPlan).order_by(CoachingPlan.due_at, CoachingPlan.id)
    if visible is not None:
        query = query.where(CoachingPlan.id.in_(set(visible)))
    plans = list(session.scalars(query))
    names = dict(session.execute(select(Agent.id, Agent.display_name)).all())
    users = dict(session.execute(select(User.id, User.username)).all())
    teams = dict(session.execute(select(Team.id, Team.name)).all())
    views = [_view(p, names, users, teams, now) for p in plans]
    return sorted(views, key=lambda v: (not v.overdue, v.status != "active", v.due_at, v.plan_id))


def _view(plan: CoachingPlan, names: dict, users: dict, teams: dict, now: datetime) -> PlanView:
    sessions = tuple(
        SessionView(
            s.id,
            s.held_at,
            tuple(s.exercises or ()),
            s.notes,
            users.get(s.recorded_by, ""),
            tuple(sorted(c.agent_id for c in s.confirmations)),
        )
        for s in plan.sessions
    )
    return PlanView(
        plan.id,
        plan.topic_id,
        tuple((a.agent_id, names.get(a.agent_id) or str(a.agent_id)) for a in plan.agents),
        teams.get(plan.team_id, ""),
        plan.status,
        plan.due_at,
        plan.notes,
        users.get(plan.created_by, ""),
        plan.lock_version,
        sessions,
        plan.status == "active" and plan.due_at < now,
    )


def plan_for(session: Session, actor: Actor, plan_id: int, now: datetime) -> PlanView:
    """One plan, if the actor may see it."""
    for view in list_plans(session, actor, now):
        if view.plan_id == plan_id:
            return view
    raise NotFound(f"coaching plan {plan_id} not found", key="coaching.error.no_plan")
