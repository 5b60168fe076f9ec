"""How fast the scorecard and team pages answer at scale, and the PDF export.

The first PDF export of a process also imports matplotlib and fpdf2 (the reports package
loads them on first use) and reads the string catalogue; it is printed apart from the
second, which is what every later export in a running app costs.

``fill(url, scale)`` loads a scratch database once with 100,000 conversations x ``scale``
(10 messages each: 1,000,000 messages), 40 agents in 4 teams with known quality, and
20,000 x ``scale`` submitted reviews graded on the default rubric (one in twenty graded a
second time, so reviewer severity has overlaps). ``measure(url)`` then runs, in a fresh
process so the first load is really cold (no engine, no parsed rubric): the scorecard of
one agent and the team dashboard for the 12-week period, each first and then again (the
app keeps the second in ``st.cache_data``; the repeat here still recomputes, so it is the
upper bound of a cached page), a PDF export, and the Overview as the reference page.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import func, insert, select
from sqlalchemy.schema import CreateSchema, DropSchema

from qa_app.bench.imports import postgres_answers, postgres_url
from qa_app.services import database, overview, rubrics, scorecards
from qa_app.services.actor import Actor
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, Conversation, Message, Review, ReviewGrade, Team, User

SOURCE = "bench-scorecards"
START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)  # a Monday; 12 weeks
WEEKS = 12
PERIOD = scorecards.Period(START.date(), START.date() + timedelta(days=7 * WEEKS - 1))
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
CONVERSATIONS, MESSAGES_EACH, REVIEWS = 100_000, 10, 20_000
CHUNK = 4000
LEAD = Actor(user_id=None, username="bench-lead", role="lead")


@dataclass(frozen=True, slots=True)
class Figures:
    database: str
    conversations: int
    messages: int
    reviews: int
    scorecard_first: float
    scorecard_again: float
    team_first: float
    team_again: float
    pdf_first: float
    pdf_again: float
    overview_reference: float
    #: This process's CPU seconds for each figure above, in the same order (SQLite works
    #: in-process; a PostgreSQL server's work is not in it): on a shared machine the wall
    #: clock moves with everyone else's load, this does not.
    cpu: tuple[float, ...] = ()


def _people(session) -> tuple[list[tuple[int, float, int]], list[int], int]:
    teams = []
    for name in ("Bench A", "Bench B", "Bench C", "Bench D"):
        team = Team(name=name)
        session.add(team)
        teams.append(team)
    session.flush()
    rng = random.Random(11)
    agents = []
    for i in range(40):
        agent = Agent(login=f"bench.sc{i:02d}", display_name=f"Bench agent {i:02d}",
                      team_id=teams[i % 4].id)  # fmt: skip
        session.add(agent)
        session.flush()
        agents.append((agent.id, min(0.97, max(0.35, rng.gauss(0.72, 0.12))), agent.team_id))
    reviewers = []
    for i in range(6):
        user = User(username=f"bench.screv{i}", password_hash="!", role="reviewer")
        session.add(user)
        session.flush()
        reviewers.append(user.id)
    version = rubrics.active_version(session).version_id
    return agents, reviewers, version


def _conversation(i: int, rng: random.Random, agent: int, team: int) -> dict:
    channel = rng.choice(("chat", "chat", "email", "messenger", "phone", "social"))
    started = START + timedelta(minutes=rng.randrange(WEEKS * 7 * 24 * 60))
    return {
        "source": SOURCE, "external_id": f"bsc-{i}", "channel": channel,
        "language": rng.choice(("ru", "en")), "started_at": started,
        "customer_id": f"bsc-c{rng.randrange(40_000)}",
        "csat": rng.choice((None, None, None, 2, 3, 4, 5, 5)),
        "nps": rng.choice((None, None, None, None, 3, 7, 9, 10)),
        "escalated": rng.random() < 0.06, "team_id": team, "agent_id": agent,
        "message_count": MESSAGES_EACH, "content_hash": f"bsc{i}", "tags": [],
        "first_response_seconds": None if channel == "phone" else rng.expovariate(1 / 600),
    }  # fmt: skip


def _messages(conv_id: int, started: datetime, agent: int) -> list[dict]:
    return [
        {"conversation_id": conv_id, "seq": k, "role": ("customer", "agent")[k % 2],
         "agent_id": agent if k % 2 else None, "text": f"message {k} of a bench conversation",
         "sent_at": started + timedelta(seconds=60 * k)}
        for k in range(MESSAGES_EACH)
    ]  # fmt: skip


def _review(conv: dict, quality: float, reviewer: int, version: int, rubric, rng) -> tuple:
    offset = (reviewer % 3 - 1) * 0.05  # three reviewer severities
    grades, points = [], []
    for criterion in rubric.criteria():
        levels = criterion.scale.values
        q = min(1.0, max(0.0, rng.gauss(quality + offset, 0.18)))
        value = levels[round(q * (len(levels) - 1))]
        grades.append({"criterion_id": criterion.id, "value": float(value)})
        points.append(criterion.scale.position(value))
    review = {"conversation_id": conv["id"], "reviewer_id": reviewer, "rubric_version_id": version,
              "status": "submitted", "overall_score": sum(points) / len(points),
              "critical_fail": False, "comment": "", "submitted_at": conv["started_at"]}  # fmt: skip
    return review, grades


def fill(url: str, scale: float = 1.0, seed: int = 7) -> tuple[int, int, int]:
    """Load the scratch database once (a second call with the same data returns at once)."""
    with storage_db.unit_of_work(url) as session:
        have = session.scalar(select(func.count()).where(Conversation.source == SOURCE))
        if have:
            return (have, session.scalar(select(func.count()).select_from(Message)),
                    session.scalar(select(func.count()).select_from(Review)))  # fmt: skip
        rubrics.ensure_default_rubric(session)
        session.flush()
        agents, reviewers, version = _people(session)
        rubric = rubrics.get_version(session, version).rubric
    rng = random.Random(seed)
    total, n_reviews = int(CONVERSATIONS * scale), int(REVIEWS * scale)
    review_every = max(1, total // max(1, n_reviews))
    counts = [0, 0, 0]
    for base in range(0, total, CHUNK):
        with storage_db.unit_of_work(url) as session:
            picks = [
                agents[rng.randrange(len(agents))] for _ in range(base, min(base + CHUNK, total))
            ]
            rows = [_conversation(base + k, rng, a, team) for k, (a, _q, team) in enumerate(picks)]
            ids = session.scalars(insert(Conversation).returning(Conversation.id), rows).all()
            messages = [m for conv_id, row in zip(ids, rows, strict=True)
                        for m in _messages(conv_id, row["started_at"], row["agent_id"])]  # fmt: skip
            _bulk(session, Message, messages)
            counts[0] += len(ids)
            counts[1] += len(ids) * MESSAGES_EACH
            counts[2] += _add_reviews(session, ids, rows, picks, reviewers, version, rubric, rng,
                                      review_every, base)  # fmt: skip
    return counts[0], counts[1], counts[2]


def _add_reviews(session, ids, rows, picks, reviewers, version, rubric, rng, every, base) -> int:
    chosen = [k for k in range(len(ids)) if (base + k) % every == 0]
    reviews, grades = [], []
    for k in chosen:
        conv = {**rows[k], "id": ids[k]}
        graders = rng.sample(reviewers, 2 if rng.random() < 0.05 else 1)
        for reviewer in graders:
            review, review_grades = _review(conv, picks[k][1], reviewer, version, rubric, rng)
            reviews.append(review)
            grades.append(review_grades)
    review_ids = session.scalars(insert(Review).returning(Review.id), reviews).all()
    _bulk(session, ReviewGrade, [{**g, "review_id": rid, "not_applicable": False, "comment": ""}
                                 for rid, gs in zip(review_ids, grades, strict=True) for g in gs])  # fmt: skip
    return len(review_ids)


def _bulk(session, model, rows: list[dict]) -> None:
    """Many plain rows at once: PostgreSQL's COPY (an INSERT per 1,000 rows takes hours
    for a million messages on a busy machine), an executemany INSERT elsewhere."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(model), rows)
        return
    columns = list(rows[0])
    table = model.__table__.name
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _timed(action, cpu: list[float]) -> float:
    """Wall seconds of ``action``; its CPU seconds are appended to ``cpu``."""
    start, cpu_start = time.perf_counter(), time.process_time()
    action()
    cpu.append(time.process_time() - cpu_start)
    return time.perf_counter() - start


def measure_here(url: str) -> dict:
    """The timings, in this (fresh) process: first loads are cold."""
    with storage_db.unit_of_work(url) as session:
        agent_id = session.scalar(select(Agent.id).where(Agent.login == "bench.sc00"))
        counts = [session.scalar(select(func.count()).select_from(m))
                  for m in (Conversation, Message, Review)]  # fmt: skip

    def card() -> None:
        scorecards.scorecard_screen(database.unit_of_work(url), LEAD, agent_id, PERIOD, now=NOW)

    def team() -> None:
        scorecards.team_screen(database.unit_of_work(url), LEAD, scorecards.TeamFilters(PERIOD),
                               now=NOW)  # fmt: skip

    def pdf() -> None:
        scorecards.do_export_scorecard(database.unit_of_work(url), LEAD, agent_id, PERIOD, "pdf",
                                       "ru", now=NOW)  # fmt: skip

    cpu: list[float] = []
    first_card, again_card = _timed(card, cpu), _timed(card, cpu)
    first_team, again_team = _timed(team, cpu), _timed(team, cpu)
    reference = _timed(lambda: overview.overview_screen(database.unit_of_work(url), LEAD), cpu)
    pdf_first = _timed(pdf, cpu)
    pdf_again = _timed(pdf, cpu)
    cpu = [*cpu[:4], *cpu[5:], cpu[4]]  # the order of the fields
    return asdict(Figures("", *counts, first_card, again_card, first_team, again_team,
                          pdf_first, pdf_again, reference, tuple(cpu)))  # fmt: skip


def measure(name: str, url: str) -> Figures:
    """``measure_here`` in a fresh Python process (cold engine and caches)."""
    done = subprocess.run([sys.executable, "-m", "qa_app.bench.scorecards", url],
                          capture_output=True, text=True, check=True)  # fmt: skip
    values = json.loads(done.stdout.strip().splitlines()[-1])
    values["database"] = name
    values["cpu"] = tuple(values.get("cpu", ()))
    return Figures(**values)


def run_sqlite(scale: float, keep: Path | None = None) -> Figures:
    """Fill (or reuse, in ``keep``) a SQLite file and measure on it."""
    folder = keep or Path(tempfile.mkdtemp(prefix="qa-bench-scorecards-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'bench-scorecards.db'}"
    database.upgrade(url)
    fill(url, scale)
    return measure("SQLite", url)


def run_postgres(scale: float, keep_schema: str | None = None) -> Figures | str:
    """Fill a schema of the test server and measure; or why it could not. A fresh schema
    is dropped afterwards; a named ``keep_schema`` is created when missing, filled once
    and kept, so later runs measure the same data without the minutes of loading."""
    url = postgres_url()
    problem = postgres_answers(url)
    if problem:
        return problem
    schema = keep_schema or f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema, if_not_exists=True))
    joiner = "&" if "?" in url else "?"
    scoped = f"{url}{joiner}options=-csearch_path%3D{schema}"
    try:
        database.upgrade(scoped)
        fill(scoped, scale)
        return measure("PostgreSQL", scoped)
    finally:
        storage_db.dispose_engine(scoped)
        if keep_schema is None:
            with admin.begin() as connection:
                connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()


def period_label() -> str:
    return PERIOD.label()


if __name__ == "__main__":
    print(json.dumps(measure_here(sys.argv[1])))
