"""A small operation with known answers for the scorecard and team dashboard tests.

Two teams: "Tier 1" (anna, boris) and "Tier 2" (carl). Anna has four reviews scored
60, 70, 80, 90 in the week of 2 March 2026, boris two (50, 100), carl one (40). Grades of
the small test rubric are set so criterion figures can be worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from qa_app.services.actor import Actor
from qa_app.services.rubrics import store as rubrics
from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    Agent,
    AgentWeekAggregate,
    AutoScoreRun,
    Review,
    ReviewGrade,
    SurveyRating,
    Team,
    User,
)
from tests.review_fixtures import SMALL_RUBRIC, actor_of, add_conversation

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Operation:
    url: str
    lead: Actor
    lead_t2: Actor
    trainer_t1: Actor
    reviewer: Actor
    anna: Actor
    boris: Actor
    agent_ids: dict[str, int]
    team_ids: dict[str, int]


#: (agent, score, politeness 1-3, greeting 0/1, correct_info 0/1, channel, csat, day)
REVIEWS = [
    ("anna", 60.0, 2, 1, 1, "chat", 5, 0),
    ("anna", 70.0, 2, 1, 1, "chat", 4, 1),
    ("anna", 80.0, 3, 1, 1, "email", 2, 2),
    ("anna", 90.0, 3, 1, 1, "email", None, 3),
    ("boris", 50.0, 1, 0, 1, "chat", 3, 0),
    ("boris", 100.0, 3, 1, 1, "chat", 5, 1),
    ("carl", 40.0, 1, 0, 0, "chat", 1, 2),
]

#: Multi-attribute survey answers of anna's first three conversations (index -> ratings),
#: importance speed 3, courtesy 1. Indices: (3*100 + 50)/4 = 87.5, (3*75 + 75)/4 = 75,
#: (3*25 + 0)/4 = 18.75; CSI = 60.42 from 3 responses of 4 conversations.
SURVEYS = {0: {"speed": 5, "courtesy": 3}, 1: {"speed": 4, "courtesy": 4},
           2: {"speed": 2, "courtesy": 1}}  # fmt: skip
SURVEY_IMPORTANCE = {"speed": 3.0, "courtesy": 1.0}


def seed_operation(url: str) -> Operation:
    with storage_db.unit_of_work(url) as session:
        t1, t2 = Team(name="Tier 1"), Team(name="Tier 2")
        session.add_all([t1, t2])
        session.flush()
        agents = {
            "anna": Agent(login="anna", display_name="Анна Петрова", team_id=t1.id),
            "boris": Agent(login="boris", display_name="Boris Smith", team_id=t1.id),
            "carl": Agent(login="carl", display_name="Carl Jones", team_id=t2.id),
        }
        session.add_all(agents.values())
        session.flush()
        users = [
            User(username="lead", password_hash="x", role="lead"),
            User(username="lead2", password_hash="x", role="lead", team_id=t2.id),
            User(username="trainer", password_hash="x", role="trainer", team_id=t1.id),
            User(username="rev", password_hash="x", role="reviewer"),
            User(username="anna", password_hash="x", role="agent", agent_id=agents["anna"].id,
                 team_id=t1.id),
            User(username="boris", password_hash="x", role="agent", agent_id=agents["boris"].id,
                 team_id=t1.id),
        ]  # fmt: skip
        session.add_all(users)
        session.flush()
        lead = actor_of(users[0])
        version = rubrics.save_rubric(session, lead, SMALL_RUBRIC, "test rubric").version_id
        teams = {"anna": t1, "boris": t1, "carl": t2}
        for index, (who, score, polite, greet, correct, channel, csat, day) in enumerate(REVIEWS):
            conv = add_conversation(
                session, agent=agents[who], team=teams[who], index=index, channel=channel,
                started_at=T0 + timedelta(days=day, hours=index), csat=csat,
                first_response_seconds=60.0 * (index + 1), customer_id=f"u-{index}",
            )  # fmt: skip
            session.flush()
            for attribute, rating in SURVEYS.get(index, {}).items():
                session.add(SurveyRating(conversation_id=conv.id, attribute=attribute,
                                         satisfaction=rating,
                                         importance=SURVEY_IMPORTANCE[attribute]))  # fmt: skip
            review = Review(
                conversation_id=conv.id, reviewer_id=users[3].id, rubric_version_id=version,
                status="submitted", overall_score=score, critical_fail=not correct,
                comment=f"=comment {index}", submitted_at=T0 + timedelta(days=day),
            )  # fmt: skip
            review.grades = [
                ReviewGrade(criterion_id="politeness", value=polite),
                ReviewGrade(criterion_id="greeting", value=greet),
                ReviewGrade(criterion_id="correct_info", value=correct),
            ]
            session.add(review)
            session.add(AutoScoreRun(conversation_id=conv.id, pipeline_version="t",
                                     content_hash="h", signals={
                                         "politeness": {"value": 0.5 + 0.05 * index},
                                         "escalation": {"value": 0.0}}))  # fmt: skip
        session.commit()
        return Operation(
            url=url,
            lead=lead,
            lead_t2=actor_of(users[1]),
            trainer_t1=actor_of(users[2]),
            reviewer=actor_of(users[3]),
            anna=actor_of(users[4]),
            boris=actor_of(users[5]),
            agent_ids={k: v.id for k, v in agents.items()},
            team_ids={"t1": t1.id, "t2": t2.id},
        )


def add_purged_week(operation: Operation, week: datetime) -> None:
    """What a retention purge keeps of one week: anna 5 conversations (2 reviews, score sum
    150, CSAT 3 of 4 satisfied, NPS 1 promoter of 2), boris 3 by e-mail (1 review, 40),
    carl of the second team 4 (no review; NPS one promoter, one detractor)."""
    with storage_db.unit_of_work(operation.url) as session:
        kept = [  # (agent, team, channel, conversations, reviews, score sum, CSAT n/4-5, NPS n/+/-)
            ("anna", "t1", "chat", 5, 2, 150.0, (4, 3), (2, 1, 0)),
            ("boris", "t1", "email", 3, 1, 40.0, (2, 0), (0, 0, 0)),
            ("carl", "t2", "chat", 4, 0, 0.0, (0, 0), (1, 0, 1)),
        ]  # fmt: skip
        for who, team, channel, talks, reviews, total, csat, nps in kept:
            session.add(AgentWeekAggregate(
                source="test", agent_id=operation.agent_ids[who],
                team_id=operation.team_ids[team], week_start=week, channel=channel,
                conversations=talks, messages=talks * 4, escalated=0, csat_sum=4 * csat[0],
                csat_count=csat[0], csat_satisfied=csat[1], first_response_sum=0.0,
                first_response_count=0, reviews=reviews, review_score_sum=total,
                critical_fails=0, nps_count=nps[0], nps_promoters=nps[1],
                nps_detractors=nps[2], auto_scores={}, survey_ratings={},
            ))  # fmt: skip
        session.commit()
