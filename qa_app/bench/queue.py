"""How fast the scoring queue drains with 1 and 2 worker processes, beside the embedded
process pool (``qa-studio score --jobs N``) on the same conversations in the same run.

Each case gets a fresh PostgreSQL schema with the same synthetic export imported; workers
are real ``qa-studio worker --once`` processes, so their start-up (loading the scorers) is
counted as a deployment pays it once per worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from qa_app.bench.scratch import scratch_schema
from qa_app.storage import db as storage_db


@dataclass(frozen=True, slots=True)
class DrainFigures:
    case: str
    processes: int
    conversations: int
    messages: int
    seconds: float

    @property
    def messages_per_second(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0


def _import(url: str, export: Path) -> tuple[int, int]:
    from qa_app.services.imports import ImportOptions, import_file

    storage_db.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        summary = import_file(session, str(export), options=ImportOptions(source="bench-queue"))
    return summary.imported, summary.messages


def _cli(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "qa_app.cli", "--db", url, *args]


def drain_with_workers(url: str, export: Path, workers: int, job_size: int) -> DrainFigures:
    """Import, queue every conversation, then time ``workers`` processes emptying it."""
    from qa_app.services import scoring_queue
    from qa_app.storage.models import Conversation

    conversations, messages = _import(url, export)
    scoring_queue.install(url)
    with storage_db.unit_of_work(url) as session:
        ids = list(session.scalars(sa.select(Conversation.id).order_by(Conversation.id)))
        scoring_queue.defer_ids(session, ids, job_size)
        session.commit()
    began = time.perf_counter()
    processes = [
        subprocess.Popen(_cli(url, "worker", "--once", "--name", f"bench-{k}"),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ)
        for k in range(workers)
    ]  # fmt: skip
    for process in processes:
        process.wait()
    return DrainFigures("queue", workers, conversations, messages, time.perf_counter() - began)


def score_with_pool(url: str, export: Path, jobs: int) -> DrainFigures:
    """The reference: ``qa-studio score --jobs N`` in one process on the same data."""
    conversations, messages = _import(url, export)
    began = time.perf_counter()
    subprocess.run(_cli(url, "score", "--jobs", str(jobs), "--quiet"), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return DrainFigures("pool", jobs, conversations, messages, time.perf_counter() - began)


def run(pg_url: str, export: Path, counts: tuple[int, ...], job_size: int) -> list[DrainFigures]:
    """For each count: the embedded pool, then the queue with that many workers."""
    figures = []
    for count in counts:
        with scratch_schema(pg_url, "queue") as url:
            figures.append(score_with_pool(url, export, count))
        with scratch_schema(pg_url, "queue") as url:
            figures.append(drain_with_workers(url, export, count, job_size))
    return figures
