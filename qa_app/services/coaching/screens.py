"""What the coaching pages draw, each read in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from qa_app.services.actor import Actor
from qa_app.services.coaching import evidence
from qa_app.services.coaching.drivers import DriversReport, drivers_report
from qa_app.services.coaching.effect import PlanEffect, plan_effect
from qa_app.services.coaching.evidence import AgentInfo
from qa_app.services.coaching.plans import PlanView, list_plans
from qa_app.services.coaching.recommendations import (
    AgentRecommendations,
    TeamRecommendations,
    agent_recommendations,
    catalogue,
    team_recommendations,
)
from qa_app.services.errors import NotFound
from qa_app.services.permissions import can, require
from qa_app.storage.uow import UnitOfWork


def agent_recommendations_screen(
    uow: UnitOfWork, actor: Actor, agent_id: int, now: datetime
) -> AgentRecommendations:
    """One agent's ranked topics with their evidence (trainer, lead; an agent: their own)."""
    with uow:
        return agent_recommendations(uow.session, actor, agent_id, now)


def team_recommendations_screen(
    uow: UnitOfWork, actor: Actor, team_id: int | None, now: datetime
) -> TeamRecommendations:
    """A team's topics ranked by how many agents need them (trainer, lead)."""
    with uow:
        return team_recommendations(uow.session, actor, team_id, now)


@dataclass(frozen=True, slots=True)
class CoachingScreen:
    """The recommendations page: who can be chosen, and the chosen agent's and team's lists.

    ``agents`` and ``teams`` are the choices (an agent gets only themselves and no team);
    ``agent`` and ``team`` are None when nothing is chosen yet.
    """

    agents: tuple[AgentInfo, ...]
    teams: tuple[tuple[int, str], ...]
    agent: AgentRecommendations | None
    team: TeamRecommendations | None


def coaching_screen(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    agent_id: int | None = None,
    team_id: int | None = None,
) -> CoachingScreen:
    """Everything the recommendations page shows in one read. An agent always sees their
    own list; trainers and leads choose an agent and a team (default: the first)."""
    require(actor, "page.coaching")
    catalogue()  # read the catalogue file before the transaction, not inside it
    with uow:
        session = uow.session
        if not can(actor, "coaching.read_any"):
            require(actor, "coaching.read_own")
            if actor.agent_id is None:
                raise NotFound(
                    "this account is not linked to an agent", key="coaching.error.no_link"
                )
            mine = agent_recommendations(session, actor, actor.agent_id, now)
            return CoachingScreen((mine.agent,), (), mine, None)
        agents = tuple(evidence.agents(session))
        teams = tuple(evidence.teams(session))
        known = {a.agent_id for a in agents}
        chosen = agent_id if agent_id in known else (agents[0].agent_id if agents else None)
        team_ids = {t for t, _ in teams}
        chosen_team = team_id if team_id in team_ids else (teams[0][0] if teams else None)
        agent = agent_recommendations(session, actor, chosen, now) if chosen is not None else None
        team = team_recommendations(session, actor, chosen_team, now) if teams else None
        return CoachingScreen(agents, teams, agent, team)


@dataclass(frozen=True, slots=True)
class PlansScreen:
    """The plans page: the plans the actor may see (overdue first), the chosen one with its
    before/after panel, and what a trainer needs to assign a new plan."""

    plans: tuple[PlanView, ...]
    chosen: PlanView | None
    effect: PlanEffect | None
    agents: tuple[AgentInfo, ...]
    can_plan: bool
    can_confirm: bool

    @property
    def overdue(self) -> tuple[PlanView, ...]:
        return tuple(p for p in self.plans if p.overdue)


def plans_screen(
    uow: UnitOfWork, actor: Actor, now: datetime, plan_id: int | None = None
) -> PlansScreen:
    """Everything the plans page shows in one read."""
    require(actor, "page.coaching_plans")
    catalogue()
    with uow:
        session = uow.session
        found = tuple(list_plans(session, actor, now))
        chosen = next((p for p in found if p.plan_id == plan_id), found[0] if found else None)
        effect = None
        if chosen is not None:
            first = chosen.sessions[0].held_at if chosen.sessions else None
            effect = plan_effect(session, chosen.topic_id, chosen.agent_ids, first, now)
        planner = can(actor, "coaching.plan")
        agents = tuple(evidence.agents(session)) if planner else ()
        return PlansScreen(found, chosen, effect, agents, planner, can(actor, "coaching.confirm"))


@dataclass(frozen=True, slots=True)
class DriversScreen:
    teams: tuple[tuple[int, str], ...]
    report: DriversReport


def drivers_screen(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    team_id: int | None = None,
    channel: str | None = None,
) -> DriversScreen:
    """The satisfaction-drivers page: the teams to choose from and the report."""
    require(actor, "page.drivers")
    with uow:
        teams = tuple(evidence.teams(uow.session))
        if team_id not in {t for t, _ in teams}:
            team_id = None
        return DriversScreen(teams, drivers_report(uow.session, actor, now, team_id, channel))
