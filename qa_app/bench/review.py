"""How fast a reviewer gets the next conversation with a large corpus loaded.

``measure_open_next(url, n)`` fills the database up to ``corpus`` synthetic conversations
(once; later runs reuse them), queues ``n`` of them for a bench reviewer, then times what
the review page does on "open next": find the next assignment, load the conversation, its
messages, the rubric version and the automatic suggestions. Each opened review is
submitted (timed separately) so the next call really moves on.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from qa_app.services import reviews, rubrics, sampling
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.reviews import GradeInput, ReviewDraft
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, Assignment, Conversation, Message, Team, User

BENCH_SOURCE = "bench"
BENCH_REVIEWER = "bench-reviewer"
CHUNK = 2000
LINES = (
    ("customer", "Hello, my order has not arrived yet, can you check?"),
    ("agent", "Hi! I am sorry about the wait, let me look at your order."),
    ("customer", "Здравствуйте, списали деньги дважды, верните, пожалуйста."),
    ("agent", "Здравствуйте! Сейчас проверю платежи и оформлю возврат."),
)


@dataclass(frozen=True, slots=True)
class OpenNextFigures:
    conversations: int
    opened: int
    median_open_ms: float
    p95_open_ms: float
    median_submit_ms: float


def _fill_corpus(url: str, corpus: int, seed: int) -> int:
    """Insert synthetic conversations (6 messages each) until ``corpus`` exist."""
    rng = random.Random(seed)
    with storage_db.unit_of_work(url) as session:
        have = session.scalar(select(func.count()).select_from(Conversation)) or 0
        if have >= corpus:
            return have
        team = session.scalar(select(Team).where(Team.name == "Bench")) or Team(name="Bench")
        session.add(team)
        session.flush()
        agents = []
        for i in range(40):
            login = f"bench.agent{i}"
            agent = session.scalar(select(Agent).where(Agent.login == login))
            if agent is None:
                agent = Agent(login=login, display_name=login, team_id=team.id)
                session.add(agent)
                session.flush()
            agents.append(agent.id)
        team_id = team.id
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    for base in range(have, corpus, CHUNK):
        with storage_db.unit_of_work(url) as session:
            rows = [
                {
                    "source": BENCH_SOURCE,
                    "external_id": f"bench-{i}",
                    "channel": rng.choice(("chat", "email", "messenger")),
                    "language": rng.choice(("ru", "en")),
                    "started_at": start + timedelta(minutes=3 * i),
                    "customer_id": f"bc-{rng.randrange(corpus // 3 + 1)}",
                    "csat": rng.randint(1, 5),
                    "team_id": team_id,
                    "agent_id": rng.choice(agents),
                    "message_count": 6,
                    "first_response_seconds": float(rng.randint(20, 2400)),
                    "content_hash": f"b{i}",
                    "tags": [],
                }
                for i in range(base, min(base + CHUNK, corpus))
            ]
            ids = session.scalars(insert(Conversation).returning(Conversation.id), rows).all()
            messages = [
                {
                    "conversation_id": conv_id,
                    "seq": seq,
                    "role": LINES[seq % 4][0],
                    "text": LINES[seq % 4][1],
                    "sent_at": start + timedelta(minutes=3 * n, seconds=60 * seq),
                }
                for n, conv_id in enumerate(ids, start=base)
                for seq in range(6)
            ]
            session.execute(insert(Message), messages)
    return corpus


def _bench_reviewer(url: str) -> Actor:
    with storage_db.unit_of_work(url) as session:
        rubrics.ensure_default_rubric(session)
        user = session.scalar(select(User).where(User.username == BENCH_REVIEWER))
        if user is None:
            user = User(username=BENCH_REVIEWER, password_hash="!", role="reviewer")
            session.add(user)
            session.flush()
        return Actor(user.id, user.username, user.role)


def _queue(url: str, n: int, seed: int) -> None:
    """Queue ``n`` random unassigned conversations for the bench reviewer."""
    with storage_db.unit_of_work(url) as session:
        open_now = session.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(User, User.id == Assignment.reviewer_id)
            .where(User.username == BENCH_REVIEWER, Assignment.status.in_(("pending",)))
        )
        if open_now >= n:
            return
        request = sampling.SampleRequest(
            strategy="random", size=n - open_now, reviewers=(BENCH_REVIEWER,), seed=seed
        )
        sampling.create_sample(session, SYSTEM, request)


def _full_draft(ctx: reviews.ReviewContext) -> ReviewDraft:
    return ReviewDraft(
        {c.id: GradeInput(c.scale.max_value) for c in ctx.rubric.rubric.criteria()}, "bench"
    )


def measure_open_next(
    url: str, n: int = 50, corpus: int = 100_000, seed: int = 42
) -> OpenNextFigures:
    """Median and 95th percentile time (ms) to open the next conversation for review."""
    storage_db.upgrade(url)
    total = _fill_corpus(url, corpus, seed)
    reviewer = _bench_reviewer(url)
    _queue(url, n, seed)
    opens, submits = [], []
    for _ in range(n):
        began = time.perf_counter()
        with storage_db.unit_of_work(url) as session:
            assignment_id = reviews.next_assignment(session, reviewer)
            if assignment_id is None:
                break
            ctx = reviews.open_review(session, reviewer, assignment_id)
        opens.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        with storage_db.unit_of_work(url) as session:
            reviews.submit_review(session, reviewer, assignment_id, _full_draft(ctx), None)
        submits.append((time.perf_counter() - began) * 1000)
    if not opens:
        return OpenNextFigures(total, 0, 0.0, 0.0, 0.0)
    ordered = sorted(opens)
    return OpenNextFigures(
        conversations=total,
        opened=len(opens),
        median_open_ms=statistics.median(opens),
        p95_open_ms=ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        median_submit_ms=statistics.median(submits),
    )
