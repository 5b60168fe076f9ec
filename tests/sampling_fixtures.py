"""Test data for planned sampling: a team with four agents, three reviewers and a lead,
and conversations over three weeks with the fields filters and notable reasons read.

``seed_plan_world(url)`` returns the actors and ids; ``add_signals`` stores an automatic
scoring document for one conversation, as ``autoqa.run_signals`` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from review_fixtures import SMALL_RUBRIC, actor_of, add_conversation

from qa_app.services.actor import Actor
from qa_app.services.rubrics import store as rubrics
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, AutoScoreRun, Team, User

#: Monday 2 March 2026, 00:00 UTC: week 1 of the data (ISO 2026-W10).
WEEK1 = datetime(2026, 3, 2, tzinfo=UTC)
AGENTS = ("a.petrova", "b.smith", "c.ivanova", "d.jones")


@dataclass(frozen=True)
class PlanWorld:
    url: str
    lead: Actor
    reviewers: tuple[Actor, ...]
    agent_logins: tuple[str, ...]
    #: conversation ids per week (0, 1, 2), in creation order
    weeks: tuple[tuple[int, ...], ...]


def _users(session, team: Team, reviewers: int) -> list[User]:
    users = [User(username="lead", password_hash="x", role="lead", team_id=team.id)]
    users += [
        User(username=f"rev{i + 1}", password_hash="x", role="reviewer") for i in range(reviewers)
    ]
    session.add_all(users)
    session.flush()
    return users


def seed_plan_world(url: str, per_agent_week: int = 6, reviewers: int = 3) -> PlanWorld:
    """``per_agent_week`` conversations per agent in each of three weeks (Tue-Fri, chat and
    e-mail, ru and en), plus the small test rubric."""
    with storage_db.unit_of_work(url) as session:
        team = Team(name="Tier 1")
        session.add(team)
        session.flush()
        agents = [Agent(login=login, display_name=login, team_id=team.id) for login in AGENTS]
        session.add_all(agents)
        session.flush()
        users = _users(session, team, reviewers)
        weeks: list[list[int]] = [[], [], []]
        index = 0
        for week in range(3):
            for n in range(per_agent_week):
                for agent in agents:
                    started = WEEK1 + timedelta(days=7 * week + 1 + n % 4, hours=8 + n)
                    conv = add_conversation(
                        session,
                        agent=agent,
                        team=team,
                        index=index,
                        started_at=started,
                        channel=("chat", "email")[n % 2],
                        language=("en", "ru")[index % 2],
                    )
                    session.flush()
                    weeks[week].append(conv.id)
                    index += 1
        lead = actor_of(users[0])
        rubrics.save_rubric(session, lead, SMALL_RUBRIC, "test rubric")
        return PlanWorld(
            url,
            lead,
            tuple(actor_of(u) for u in users[1:]),
            AGENTS,
            tuple(tuple(w) for w in weeks),
        )


def add_signals(session, conversation_id: int, **values: float) -> None:
    """Store automatic signals ``{name: value}`` for one conversation."""
    session.add(
        AutoScoreRun(
            conversation_id=conversation_id,
            pipeline_version="test",
            content_hash="h",
            signals={
                name: {"value": value, "unit": "", "normalised": None, "label": None}
                for name, value in values.items()
            },
        )
    )
