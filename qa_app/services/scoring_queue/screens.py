"""What the scoring-queue page reads, in one unit of work, and its one action."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.services.permissions import require
from qa_app.services.scoring_queue.connection import installed
from qa_app.services.scoring_queue.enqueue import enqueue_unscored, queued_ids, unscored_ids
from qa_app.services.scoring_queue.jobs_table import SCORE_TASK, STATES, jobs, status_text
from qa_app.services.use_case import atomic
from qa_app.storage.models import ScoringJobFailure
from qa_app.storage.uow import UnitOfWork

#: A worker whose last heartbeat is older than this is not counted as online.
ONLINE_WITHIN = timedelta(seconds=60)
FAILURES_SHOWN = 20

workers = sa.table(
    "procrastinate_workers",
    sa.column("id", sa.BigInteger),
    sa.column("last_heartbeat", sa.DateTime(timezone=True)),
)


@dataclass(frozen=True, slots=True)
class Failure:
    job_id: int
    attempt: int
    conversations: int
    reason: str
    failed_at: datetime


@dataclass(frozen=True)
class QueueScreen:
    #: False on SQLite, or on PostgreSQL before ``qa-studio worker`` or ``queue install``.
    installed: bool
    postgres: bool
    #: Scoring jobs per state (``todo`` waiting, ``doing`` running, ``succeeded``, ``failed``...).
    jobs: dict[str, int] = field(default_factory=dict)
    waiting_conversations: int = 0
    unscored_conversations: int = 0
    workers_online: int = 0
    failures: list[Failure] = field(default_factory=list)


def queue_screen(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> QueueScreen:
    """Jobs by state, conversations waiting and unscored, live workers, recent failures."""
    require(actor, "scoring_queue.view")
    now = utc_now(now)
    with uow:
        session = uow.session
        connection = session.connection()
        postgres = connection.dialect.name == "postgresql"
        if not installed(connection):
            return QueueScreen(installed=False, postgres=postgres,
                               unscored_conversations=len(unscored_ids(session)))  # fmt: skip
        counts = dict.fromkeys(STATES, 0)
        rows = session.execute(
            sa.select(status_text, sa.func.count())
            .where(jobs.c.task_name == SCORE_TASK)
            .group_by(status_text)
        )
        for status, count in rows:
            counts[str(status)] = count
        online = session.scalar(
            sa.select(sa.func.count())
            .select_from(workers)
            .where(workers.c.last_heartbeat >= now - ONLINE_WITHIN)
        )
        failures = [
            Failure(f.job_id, f.attempt, f.conversations, f.reason, f.failed_at)
            for f in session.scalars(
                sa.select(ScoringJobFailure)
                .order_by(ScoringJobFailure.failed_at.desc(), ScoringJobFailure.id.desc())
                .limit(FAILURES_SHOWN)
            )
        ]
        return QueueScreen(
            installed=True,
            postgres=True,
            jobs=counts,
            waiting_conversations=len(queued_ids(session)),
            unscored_conversations=len(unscored_ids(session)),
            workers_online=online or 0,
            failures=failures,
        )


#: The page's button: queue every unscored conversation not already waiting.
do_enqueue_unscored = atomic(enqueue_unscored)
