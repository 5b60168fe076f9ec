"""How fast the coaching pages answer on a large corpus, beside a reference measured in the
same run (reading every criterion score of the window: the query each coaching screen
starts from).

``measure_coaching(url, corpus)`` fills a scratch database once with ``corpus`` synthetic
conversations over 12 weeks (60 agents in 4 teams, CSAT/NPS, repeat customers, automatic
signals with normalised values for all, and a submitted review with every criterion of
the default rubric graded for one in twenty), then times each screen (best of
``repeats``). It prints figures and asserts nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from qa_app.bench.sampling import Timing, _best
from qa_app.services import coaching, database, rubrics, sampling
from qa_app.services.actor import SYSTEM
from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    Agent,
    AutoScoreRun,
    Conversation,
    Review,
    ReviewGrade,
    RubricVersion,
    Team,
    User,
)

SOURCE = "bench-coaching"
START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
SPAN_MINUTES = 12 * 7 * 24 * 60
CHUNK = 5000
REVIEWED_SHARE = 0.05
SIGNALS = ("missed_empathy", "empathy", "clarity", "jargon", "greeting", "closing",
           "resolution_confirmed", "next_steps", "clarifying_questions", "apology", "thanks",
           "sentiment_end", "politeness", "typos")  # fmt: skip


def _people(session) -> tuple[list[tuple[int, int]], int]:
    agents = []
    for t in range(4):
        name = f"Bench coaching {t + 1}"
        team = session.scalar(select(Team).where(Team.name == name))
        if team is None:
            team = Team(name=name)
            session.add(team)
            session.flush()
        for n in range(15):
            login = f"bench.coach{t}-{n}"
            agent = session.scalar(select(Agent).where(Agent.login == login))
            if agent is None:
                agent = Agent(login=login, display_name=login, team_id=team.id)
                session.add(agent)
                session.flush()
            agents.append((agent.id, team.id))
    reviewer = session.scalar(select(User).where(User.username == "bench.coach.reviewer"))
    if reviewer is None:
        reviewer = User(username="bench.coach.reviewer", password_hash="!", role="reviewer")
        session.add(reviewer)
        session.flush()
    return agents, reviewer.id


def _conversation(i: int, rng: random.Random, agent: tuple[int, int]) -> dict:
    started = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    return {
        "source": SOURCE, "external_id": f"bc-{i}", "channel": rng.choice(("chat", "email", "phone")),
        "language": rng.choice(("ru", "en")), "started_at": started,
        "customer_id": f"bcc-{rng.randrange(40_000)}", "csat": rng.choice((None, None, 1, 3, 4, 5)),
        "nps": rng.choice((None, None, None, 2, 7, 9, 10)), "escalated": rng.random() < 0.08,
        "team_id": agent[1], "agent_id": agent[0], "message_count": 6, "content_hash": f"bc{i}",
        "tags": [],
    }  # fmt: skip


def _signals(conv_id: int, rng: random.Random, skill: float) -> dict:
    document = {
        name: {"value": 0, "unit": "", "label": None,
               "normalised": round(min(1.0, max(0.0, rng.gauss(skill, 0.25))), 3)}
        for name in SIGNALS
    }  # fmt: skip
    return {"conversation_id": conv_id, "pipeline_version": "bench", "content_hash": "b",
            "signals": document}  # fmt: skip


def _fill_chunk(session, rows, rng, rubric, version_id, reviewer_id, skills) -> None:
    ids = session.scalars(insert(Conversation).returning(Conversation.id), rows).all()
    session.execute(
        insert(AutoScoreRun),
        [_signals(c, rng, skills[r["agent_id"]]) for c, r in zip(ids, rows, strict=True)],
    )
    picked = [(c, r) for c, r in zip(ids, rows, strict=True) if rng.random() < REVIEWED_SHARE]
    if not picked:
        return
    at = [r["started_at"] + timedelta(hours=20) for _, r in picked]
    review_ids = session.scalars(
        insert(Review).returning(Review.id),
        [
            {
                "conversation_id": c,
                "reviewer_id": reviewer_id,
                "rubric_version_id": version_id,
                "status": "submitted",
                "overall_score": 70.0,
                "created_at": when - timedelta(minutes=12),
                "updated_at": when,
                "submitted_at": when,
                "comment": "",
                "lock_version": 1,
            }
            for (c, _), when in zip(picked, at, strict=True)
        ],  # fmt: skip
    ).all()
    grades = []
    for review_id, (_, row) in zip(review_ids, picked, strict=True):
        for criterion in rubric.criteria():
            values = criterion.scale.values
            position = min(
                len(values) - 1,
                max(0, round(rng.gauss(skills[row["agent_id"]], 0.3) * (len(values) - 1))),
            )
            grades.append({"review_id": review_id, "criterion_id": criterion.id,
                           "value": values[position], "not_applicable": False, "comment": ""})  # fmt: skip
    session.execute(insert(ReviewGrade), grades)


def fill_corpus(url: str, corpus: int, seed: int = 11) -> int:
    """Insert synthetic conversations, signals and reviews until ``corpus`` exist."""
    rng = random.Random(seed)
    rubrics.do_ensure_default_rubric(database.unit_of_work(url))
    with storage_db.unit_of_work(url) as session:
        have = session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.source == SOURCE)
        )
        agents, reviewer_id = _people(session)
        version_id = session.scalar(select(func.max(RubricVersion.id)))
        rubric = rubrics.active_version(session).rubric
    skills = {a: 0.45 + 0.5 * random.Random(a).random() for a, _ in agents}
    for base in range(have, corpus, CHUNK):
        with storage_db.unit_of_work(url) as session:
            rows = [
                _conversation(i, rng, rng.choice(agents))
                for i in range(base, min(base + CHUNK, corpus))
            ]
            _fill_chunk(session, rows, rng, rubric, version_id, reviewer_id, skills)
    return max(have, corpus)


def measure_coaching(url: str, corpus: int = 100_000, repeats: int = 2) -> tuple[int, list[Timing]]:
    """Fill (once) and time every coaching screen; returns the corpus size and timings."""
    storage_db.upgrade(url)
    total = fill_corpus(url, corpus)
    now = START + timedelta(weeks=12, hours=8)
    with storage_db.unit_of_work(url) as session:
        team_id = session.scalar(select(Team.id).where(Team.name == "Bench coaching 1"))
        agent_id = session.scalar(select(Agent.id).where(Agent.login == "bench.coach0-0"))
    window = coaching.RECOMMENDATION_WINDOW

    def reference() -> int:
        with database.unit_of_work(url) as uow:
            scores = coaching.criterion_scores(
                uow.session, coaching.Window(since=now - window, until=now)
            )
            return len(scores)

    cases = [
        ("reference: every criterion score, 12 weeks", reference),
        ("recommendations: one agent with evidence", lambda: len(coaching.agent_recommendations_screen(
            database.unit_of_work(url), SYSTEM, agent_id, now).ranking.needs)),
        ("recommendations: one team (15 agents)", lambda: len(coaching.team_recommendations_screen(
            database.unit_of_work(url), SYSTEM, team_id, now).topics)),
        ("recommendations: all 60 agents", lambda: len(coaching.team_recommendations_screen(
            database.unit_of_work(url), SYSTEM, None, now).topics)),
        ("drivers: one team, all channels", lambda: len(coaching.drivers_screen(
            database.unit_of_work(url), SYSTEM, now, team_id).report.drivers)),
        ("drivers: all teams (26 weeks)", lambda: len(coaching.drivers_screen(
            database.unit_of_work(url), SYSTEM, now).report.drivers)),
        ("reviewer productivity (8 weeks)", lambda: len(sampling.productivity_screen(
            database.unit_of_work(url), SYSTEM, now).weeks)),
    ]  # fmt: skip
    return total, [_best(name, repeats, run) for name, run in cases]
