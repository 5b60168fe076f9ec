"""Whose scorecard an actor may read: the rule lives here, not in the pages.

Leads and trainers read the agents of their own team (all teams when their account has
none, as the demo's staff accounts); an agent reads only their own. Each page, export and
command goes through ``require_agent`` with the agent id it was asked for, so changing the
id in the URL or calling the service directly gets the same refusal.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.storage.models import Agent

READ_TEAM = "scorecard.read_team"
READ_OWN = "scorecard.read_own"
TEAM_DASHBOARD = "scorecard.team_dashboard"


def _refuse(actor: Actor, agent_id: int) -> PermissionDenied:
    return PermissionDenied(
        f"{actor.username} ({actor.role}) may not read the scorecard of agent {agent_id}",
        key="scorecards.error.not_yours", role=actor.role,
    )  # fmt: skip


def require_agent(session: Session, actor: Actor, agent_id: int) -> Agent:
    """The agent whose scorecard ``actor`` asked for, or PermissionDenied / NotFound."""
    if not (can(actor, READ_TEAM) or can(actor, READ_OWN)):
        require(actor, READ_TEAM)  # raises with the registry's wording
    if not can(actor, READ_TEAM) and (actor.agent_id is None or int(agent_id) != actor.agent_id):
        raise _refuse(actor, agent_id)
    agent = session.get(Agent, int(agent_id))
    if agent is None:
        raise NotFound(f"agent {agent_id} not found", key="scorecards.error.no_agent")
    if can(actor, READ_TEAM) and actor.team_id is not None and agent.team_id != actor.team_id:
        raise _refuse(actor, agent_id)
    return agent


def readable_agent_ids(session: Session, actor: Actor) -> list[int]:
    """The agents whose scorecards ``actor`` may open (the page's agent picker)."""
    if can(actor, READ_TEAM):
        query = select(Agent.id).order_by(Agent.display_name, Agent.login)
        if actor.team_id is not None:
            query = query.where(Agent.team_id == actor.team_id)
        return list(session.scalars(query))
    if can(actor, READ_OWN) and actor.agent_id is not None:
        return [actor.agent_id]
    require(actor, READ_TEAM)
    return []


def team_ids_for(actor: Actor, wanted: tuple[int, ...]) -> tuple[int, ...]:
    """The teams a team dashboard may show: a lead with a team sees only that team."""
    require(actor, TEAM_DASHBOARD)
    if actor.team_id is None:
        return wanted
    if wanted and actor.team_id not in wanted:
        raise PermissionDenied(
            f"{actor.username} may only see team {actor.team_id}",
            key="scorecards.error.not_your_team", role=actor.role,
        )  # fmt: skip
    return (actor.team_id,)
