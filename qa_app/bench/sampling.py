"""How fast sampling answers on a large corpus: previews with the new filters, the
notable-conversations list and a plan run's preview, beside a reference measured in the
same run (the plain stratified preview, the query every sampling screen starts from).

``measure_sampling(url, corpus)`` fills a scratch database once with ``corpus`` synthetic
conversations (no messages; CSAT, NPS, escalation, status, handle time, repeat customers,
and stored automatic signals for nine in ten), then times each case (best of
``repeats``). It never asserts a threshold: it prints figures.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from qa_app.services import database, reviews, rubrics, sampling
from qa_app.services.actor import SYSTEM
from qa_app.services.sampling import ConversationFilters
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, AutoScoreRun, Conversation, Team, User

SOURCE = "bench-sampling"
START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)  # a Monday; the corpus spans 12 weeks
SPAN_MINUTES = 12 * 7 * 24 * 60
REVIEWERS = (("bench.rev1", 60), ("bench.rev2", 40), ("bench.rev3", 25))
CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Timing:
    case: str
    seconds: float  # wall clock, best run
    cpu_seconds: float  # this process's CPU in that run (SQLite works in-process; a
    # PostgreSQL server's work is not in it): the machine is shared, wall time moves with it
    rows: int  # what the case returned (assignments planned or notable conversations)


def _row(i: int, rng: random.Random, agents: list[int], team_id: int) -> dict:
    channel = rng.choice(("chat", "chat", "email", "messenger", "phone", "social"))
    started = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    escalated = rng.random() < 0.08
    return {
        "source": SOURCE, "external_id": f"bs-{i}", "channel": channel,
        "language": rng.choice(("ru", "en")), "started_at": started,
        "ended_at": started + timedelta(minutes=rng.expovariate(1 / 25)),
        "customer_id": f"bc-{rng.randrange(35_000)}", "csat": rng.choice((None, None, 1, 2, 3, 4, 5, 5)),
        "nps": rng.choice((None, None, None, 0, 4, 7, 9, 10)), "escalated": escalated,
        "status": "open" if escalated and rng.random() < 0.4 else "resolved",
        "team_id": team_id, "agent_id": rng.choice(agents), "message_count": 6,
        "first_response_seconds": None if channel == "phone" else rng.expovariate(1 / 600),
        "content_hash": f"bs{i}", "tags": [],
    }  # fmt: skip


def _signals(conv_id: int, rng: random.Random) -> dict:
    values = {
        "sentiment_end": rng.uniform(-1, 1),
        "politeness": rng.uniform(0.2, 1),
        "rudeness": rng.random() ** 4,
        "missed_empathy": float(rng.random() < 0.1),
    }
    document = {k: {"value": round(v, 4), "unit": "", "normalised": None, "label": None}
                for k, v in values.items()}  # fmt: skip
    return {"conversation_id": conv_id, "pipeline_version": "bench", "content_hash": "b",
            "signals": document}  # fmt: skip


def _people(session) -> tuple[list[int], int]:
    team = session.scalar(select(Team).where(Team.name == "Bench sampling"))
    if team is None:
        team = Team(name="Bench sampling")
        session.add(team)
        session.flush()
    agents = []
    for n in range(60):
        login = f"bench.sampling{n}"
        agent = session.scalar(select(Agent).where(Agent.login == login))
        if agent is None:
            agent = Agent(login=login, display_name=login, team_id=team.id)
            session.add(agent)
            session.flush()
        agents.append(agent.id)
    for name, _goal in REVIEWERS:
        if session.scalar(select(User).where(User.username == name)) is None:
            session.add(User(username=name, password_hash="!", role="reviewer"))
    session.flush()
    return agents, team.id


def fill_corpus(url: str, corpus: int, seed: int = 7) -> int:
    """Insert synthetic conversations (and their signals) until ``corpus`` exist."""
    rng = random.Random(seed)
    with storage_db.unit_of_work(url) as session:
        have = session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.source == SOURCE)
        )
        agents, team_id = _people(session)
    for base in range(have, corpus, CHUNK):
        with storage_db.unit_of_work(url) as session:
            rows = [_row(i, rng, agents, team_id) for i in range(base, min(base + CHUNK, corpus))]
            ids = session.scalars(insert(Conversation).returning(Conversation.id), rows).all()
            scored = [_signals(conv_id, rng) for conv_id in ids if rng.random() < 0.9]
            if scored:
                session.execute(insert(AutoScoreRun), scored)
    return max(have, corpus)


def _best(case: str, repeats: int, run: Callable[[], int]) -> Timing:
    best, cpu, rows = float("inf"), 0.0, 0
    for _ in range(repeats):
        began, cpu_began = time.perf_counter(), time.process_time()
        rows = run()
        wall = time.perf_counter() - began
        if wall < best:
            best, cpu = wall, time.process_time() - cpu_began
    return Timing(case, best, cpu, rows)


def _preview(url: str, filters: ConversationFilters, now: datetime) -> int:
    request = sampling.SampleRequest(
        strategy="stratified", per_agent_week=5, reviewers=tuple(n for n, _ in REVIEWERS),
        filters=filters,
    )  # fmt: skip
    return len(sampling.sample_preview(database.unit_of_work(url), SYSTEM, request, now=now).items)


def _notable(url: str, filters: ConversationFilters | None) -> int:
    return sampling.notable_screen(database.unit_of_work(url), SYSTEM, filters).page.total


def _plan(url: str, now: datetime) -> int:
    data = sampling.PlanInput(
        name="bench weekly", weekdays="mon", run_at="07:00", timezone="UTC", quota_per_agent=5,
        reviewers=tuple(n for n, _ in REVIEWERS),
    )  # fmt: skip
    plans = {
        p.name: p.id for p in sampling.plans_screen(database.unit_of_work(url), SYSTEM, now).plans
    }
    plan_id = plans.get(data.name) or sampling.do_save_plan(
        database.unit_of_work(url), SYSTEM, data, now=now
    )
    return plan_id


def measure_sampling(url: str, corpus: int = 100_000, repeats: int = 3) -> tuple[int, list[Timing]]:
    """Fill (once) and time every case; returns the corpus size and the timings."""
    storage_db.upgrade(url)
    total = fill_corpus(url, corpus)
    rubrics.do_ensure_default_rubric(database.unit_of_work(url))
    now = START + timedelta(weeks=12, hours=8)  # the Monday after the corpus
    for name, goal in REVIEWERS:
        reviews.do_set_goal(database.unit_of_work(url), SYSTEM, name, goal)
    plan_id = _plan(url, now)
    risky = ConversationFilters(csat_max=2, negative_ending=True)
    last_two_weeks = ConversationFilters(date_from=date(2026, 3, 16), date_to=date(2026, 3, 29))
    cases = [
        ("reference: plain preview, all time", lambda: _preview(url, ConversationFilters(), now)),
        ("preview: CSAT <= 2 + negative ending", lambda: _preview(url, risky, now)),
        ("preview: escalated + rudeness, 2 weeks", lambda: _preview(url, ConversationFilters(
            escalated=True, rudeness=True, date_from=last_two_weeks.date_from,
            date_to=last_two_weeks.date_to), now)),
        ("preview: repeat contact + handle >= 30 min", lambda: _preview(
            url, ConversationFilters(repeat_contact=True, handle_min_minutes=30), now)),
        ("notable: last 2 weeks (page default)", lambda: _notable(url, None)),
        ("notable: all time", lambda: _notable(url, ConversationFilters())),
        ("plan run preview (last week)", lambda: sampling.plan_run_preview(
            database.unit_of_work(url), SYSTEM, plan_id, now).created),
    ]  # fmt: skip
    return total, [_best(name, repeats, run) for name, run in cases]
