"""``qa-studio bench scale``: the whole daily pipeline at a support centre's size.

One synthetic bilingual export (100,000 conversations, about 1,000,000 messages by
default) goes through every stage a team runs, each stage in a fresh interpreter so its
peak memory (``ru_maxrss``) is its own and its first load is cold:

1. *reference insert*: the same messages written into a bare table with plain
   executemany inserts: what the database takes for the rows with nothing else done;
2. *import*: the real import (parsing, validation, language detection, masking, writing);
3. *reference VADER*: VADER over the same message texts, one process;
4. *score*: the full AutoQA pipeline over the database with ``--jobs`` workers;
5. *sample*: a weekly sampling plan for the last week, spread over five reviewers;
6. *grade*: every sampled conversation graded through the review service by simulated
   reviewers (open, submit with the version seen, as the page does);
7. *render*: the team dashboard and one agent's scorecard, first and again.

It prints each stage's time and peak memory beside its reference. Nothing here asserts a
threshold; the figures are for the README and the closing notes.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from qa_app.bench.imports import write_synthetic_jsonl

STAGES = ("reference_insert", "import", "reference_vader", "score", "sample", "grade", "render")
REVIEWERS = tuple(f"scale.rev{i}" for i in range(1, 6))
LEAD_NAME = "scale.lead"
MESSAGES_PER_CONVERSATION = (6, 14)  # 10 on average: 100,000 conversations ~ 1,000,000 messages
CHUNK = 5000


@dataclass(frozen=True, slots=True)
class StageFigures:
    stage: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    #: What the stage handled (messages, assignments, reviews...) and any extra figures.
    count: int = 0
    unit: str = ""
    children_peak_mb: float = 0.0
    detail: str = ""

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0


def write_export(path: Path, conversations: int, seed: int = 7) -> int:
    """The synthetic export; returns its number of conversations."""
    low, high = MESSAGES_PER_CONVERSATION
    return write_synthetic_jsonl(path, conversations * (low + high) // 2, seed, sizes=(low, high))


def _records(path: str):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


# --- the stages, each run in a child interpreter -------------------------------------------


def _reference_insert(url: str, path: str) -> dict:
    """Plain executemany inserts of every message into a scratch table, then drop it."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    table = sa.Table(
        "scale_reference_messages", meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation", sa.String(64)), sa.Column("role", sa.String(16)),
        sa.Column("author", sa.String(120)), sa.Column("text", sa.Text),
        sa.Column("sent_at", sa.String(40)),
    )  # fmt: skip
    meta.drop_all(engine)
    meta.create_all(engine)
    count, batch = 0, []
    try:
        for record in _records(path):
            for message in record["messages"]:
                batch.append({"conversation": record["conversation_id"], "role": message["role"],
                              "author": message.get("author"), "text": message["text"],
                              "sent_at": message["sent_at"]})  # fmt: skip
            if len(batch) >= CHUNK:
                with engine.begin() as connection:
                    connection.execute(table.insert(), batch)
                count, batch = count + len(batch), []
        if batch:
            with engine.begin() as connection:
                connection.execute(table.insert(), batch)
            count += len(batch)
    finally:
        meta.drop_all(engine)
        engine.dispose()
    return {"count": count, "unit": "messages"}


def _import(url: str, path: str) -> dict:
    from qa_app.services.imports import ImportOptions, import_file
    from qa_app.storage import db as storage_db

    with storage_db.unit_of_work(url) as session:
        summary = import_file(session, path, options=ImportOptions(source="bench-scale"))
    return {"count": summary.messages, "unit": "messages",
            "detail": f"{summary.imported:,} conversations"}  # fmt: skip


def _reference_vader(url: str, path: str) -> dict:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer, count = SentimentIntensityAnalyzer(), 0
    for record in _records(path):
        for message in record["messages"]:
            analyzer.polarity_scores(message["text"])
            count += 1
    return {"count": count, "unit": "messages"}


def _score(url: str, path: str, jobs: int) -> dict:
    from qa_app.services import autoqa, database
    from qa_app.services.actor import SYSTEM

    summary = autoqa.do_score_conversations(database.unit_of_work(url), SYSTEM, n_jobs=jobs)
    return {"count": summary.messages, "unit": "messages",
            "detail": f"{summary.scored:,} conversations, {summary.score_rows:,} score rows, "
                      f"{jobs} worker(s)"}  # fmt: skip


def _last_moment(url: str) -> datetime:
    from qa_app.storage.models import Conversation

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        last = connection.execute(sa.select(sa.func.max(Conversation.started_at))).scalar_one()
    engine.dispose()
    last = last if last.tzinfo else last.replace(tzinfo=UTC)
    return last


def _after_data(url: str) -> datetime:
    """The Monday 07:00 after the last conversation: the plan's next scheduled run."""
    last = _last_moment(url)
    monday = (last + timedelta(days=7 - last.weekday())).date()
    return datetime.combine(monday, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)


def _sample(url: str, path: str) -> dict:
    from qa_app.services import accounts, database, reviews, rubrics, sampling
    from qa_app.services.actor import SYSTEM

    now = _after_data(url)
    rubrics.do_ensure_default_rubric(database.unit_of_work(url))
    for name in (*REVIEWERS, LEAD_NAME):
        role = "lead" if name == LEAD_NAME else "reviewer"
        accounts.do_add_user(database.unit_of_work(url), SYSTEM, name, role, password=None)
    for name in REVIEWERS:
        reviews.do_set_goal(database.unit_of_work(url), SYSTEM, name, 100)
    plan = sampling.PlanInput(name="scale weekly", weekdays="mon", run_at="07:00",
                              timezone="UTC", quota_per_agent=5, reviewers=REVIEWERS)  # fmt: skip
    plan_id = sampling.do_save_plan(database.unit_of_work(url), SYSTEM, plan, now=now)
    result = sampling.do_run_plan(database.unit_of_work(url), SYSTEM, plan_id, now)
    return {"count": result.created, "unit": "assignments",
            "detail": f"status {result.status}, left out for capacity {result.left_out_capacity}"}  # fmt: skip


def _grade(url: str, path: str) -> dict:
    from qa_app.bench.reviewer_sim import grade_one
    from qa_app.services import accounts, database, reviews
    from qa_app.storage import db as storage_db
    from qa_app.storage.models import User

    now = _after_data(url) + timedelta(hours=2)
    rng, submitted, conflicts = random.Random(5), 0, 0
    for name in REVIEWERS:
        with storage_db.unit_of_work(url) as session:
            user = session.scalar(sa.select(User).where(User.username == name))
            actor = accounts.actor_for(user)
        while True:
            uow = database.unit_of_work(url)
            with uow:
                assignment_id = reviews.next_assignment(uow.session, actor)
            if assignment_id is None:
                break
            graded = grade_one(url, actor, assignment_id, rng, quality=rng.uniform(0.5, 0.9),
                               now=now)  # fmt: skip
            submitted += graded.outcome == "submitted"
            conflicts += graded.outcome == "conflict"
            if graded.outcome != "submitted":
                break
    return {"count": submitted, "unit": "reviews", "detail": f"{conflicts} conflicts"}


def _render(url: str, path: str) -> dict:
    from qa_app.services import database, scorecards
    from qa_app.services.actor import Actor
    from qa_app.storage.models import Conversation, Review

    now = _after_data(url) + timedelta(hours=4)
    end = now.date() - timedelta(days=1)
    period = scorecards.Period(end - timedelta(days=7 * 12 - 1), end)
    lead = Actor(user_id=None, username=LEAD_NAME, role="lead")
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        agent_id = connection.execute(
            sa.select(Conversation.agent_id)
            .join(Review, Review.conversation_id == Conversation.id)
            .where(Conversation.agent_id.is_not(None))
            .group_by(Conversation.agent_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).scalar()
        reviews_n = connection.execute(sa.select(sa.func.count()).select_from(Review)).scalar()
    engine.dispose()
    timings = {}
    for name, action in (
        ("team", lambda: scorecards.team_screen(database.unit_of_work(url), lead,
                                                 scorecards.TeamFilters(period), now=now)),
        ("scorecard", lambda: scorecards.scorecard_screen(database.unit_of_work(url), lead,
                                                          agent_id, period, now=now)),
    ):  # fmt: skip
        for attempt in ("first", "again"):
            began = time.perf_counter()
            action()
            timings[f"{name}_{attempt}"] = time.perf_counter() - began
    detail = ", ".join(f"{k.replace('_', ' ')} {v:.2f} s" for k, v in timings.items())
    return {"count": reviews_n, "unit": "reviews in the database", "detail": detail}


def run_stage_here(stage: str, url: str, path: str, jobs: int) -> dict:
    """One stage in this process, timed; the child's entry point."""
    actions = {
        "reference_insert": _reference_insert, "import": _import,
        "reference_vader": _reference_vader, "sample": _sample, "grade": _grade,
        "render": _render, "score": lambda u, p: _score(u, p, jobs),
    }  # fmt: skip
    began, cpu = time.perf_counter(), time.process_time()
    figures = actions[stage](url, path)
    return {
        "stage": stage,
        "seconds": time.perf_counter() - began,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "children_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        **figures,
    }


def run_stage(stage: str, url: str, path: Path, jobs: int = 2) -> StageFigures:
    """``run_stage_here`` in a fresh interpreter; a failure names the stage and its error."""
    command = [sys.executable, "-m", "qa_app.bench.scale", stage, url, str(path), str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"stage {stage} failed: {last}")
    return StageFigures(**json.loads(lines[-1]))


def run_pipeline(url: str, path: Path, jobs: int = 2, progress=None) -> list[StageFigures]:
    """Every stage in order on a migrated, empty database at ``url``."""
    from qa_app.services import database

    database.upgrade(url)
    figures = []
    for stage in STAGES:
        if progress:
            progress(stage)
        figures.append(run_stage(stage, url, path, jobs))
    return figures


if __name__ == "__main__":
    stage_name, db_url, export_path, n_jobs = sys.argv[1:5]
    print(json.dumps(run_stage_here(stage_name, db_url, export_path, int(n_jobs))))
