"""``qa-studio worker``: score conversations from the queue, on any number of machines.

Each worker is a procrastinate worker on the team's PostgreSQL database. A job carries the
ids of up to ``JOB_SIZE`` conversations; the worker scores those still unscored with the
same pipeline and writer as ``qa-studio score`` (one transaction per job), so a job that
runs twice scores nothing twice. A worker killed mid-job leaves its job "doing" with a
heartbeat that stops: every worker, when it starts and then every minute, hands such jobs
back to the queue once their worker has been silent for ``stalled_after`` seconds.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback

import procrastinate
import sqlalchemy as sa

from qa_app.services import database
from qa_app.services.actor import SYSTEM
from qa_app.services.scoring_queue.connection import conninfo, installed
from qa_app.services.scoring_queue.jobs_table import QUEUE, RECOVER_TASK, SCORE_TASK
from qa_app.storage.models import ScoringJobFailure

log = logging.getLogger("qa_studio.worker")
#: A job that fails is tried again this many times in all, a few seconds apart.
MAX_ATTEMPTS = 3


@functools.cache
def _pipeline():
    """One pipeline per worker process: loading the scorers costs seconds, a job does not."""
    from scoring.pipeline.autoqa import AutoQAPipeline

    return AutoQAPipeline(n_jobs=1)


def score_job(url: str, conversation_ids: list[int], rescore: bool = False) -> int:
    """Score the given conversations that still need it; returns how many were scored."""
    from qa_app.services import autoqa

    uow = database.unit_of_work(url)
    with uow:
        summary = autoqa.score_conversations(
            uow.session, SYSTEM, among=conversation_ids, rescore_all=rescore,
            pipeline=_pipeline(),
        )  # fmt: skip
        uow.commit()
    return summary.scored


def record_failure(
    url: str, job_id: int, attempt: int, conversations: int, exc: BaseException
) -> None:
    """Keep why a job failed for the queue page (the queue keeps only the job's state)."""
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    uow = database.unit_of_work(url)
    with uow:
        uow.session.add(ScoringJobFailure(job_id=job_id, attempt=attempt,
                                          conversations=conversations, reason=last[:500]))  # fmt: skip
        uow.commit()


async def recover_stalled(app: procrastinate.App, stalled_after: float) -> int:
    """Hand the jobs of silent (killed) workers back to the queue; returns how many."""
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=stalled_after
    )
    count = 0
    for job in stalled:
        await app.job_manager.retry_job(job)
        count += 1
    if count:
        log.warning("handed %d stalled scoring job(s) back to the queue", count)
    return count


def build_app(url: str, stalled_after: float = 30.0) -> procrastinate.App:
    """The procrastinate app of the database at ``url`` with QA Studio's tasks."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))

    @app.task(name=SCORE_TASK, queue=QUEUE, pass_context=True,
              retry=procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS - 1, wait=5))  # fmt: skip
    def score_conversations(context, conversation_ids: list[int], rescore: bool = False) -> int:
        try:
            return score_job(url, conversation_ids, rescore)
        except Exception as exc:
            record_failure(
                url, context.job.id, context.job.attempts + 1, len(conversation_ids), exc
            )
            raise

    @app.periodic(cron="* * * * *", periodic_id="recover")
    @app.task(name=RECOVER_TASK, queue=QUEUE, pass_context=True)
    async def recover_and_enqueue(context, timestamp: int) -> None:
        await recover_stalled(context.app, stalled_after)
        await asyncio.to_thread(_enqueue_missed, url)

    return app


def _enqueue_missed(url: str) -> int:
    """Conversations an import could not queue (its process died before committing the
    jobs) are picked up here, once a minute."""
    from qa_app.services.scoring_queue.enqueue import enqueue_unscored

    uow = database.unit_of_work(url)
    with uow:
        count = enqueue_unscored(uow.session, SYSTEM)
        uow.commit()
    return count


def install(url: str) -> bool:
    """Create procrastinate's tables in the database at ``url`` unless they exist; returns
    whether it created them."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if installed(connection):
                return False
    finally:
        engine.dispose()
    app = build_app(url)
    with app.open():
        app.schema_manager.apply_schema()
    return True


def run_worker(url: str, *, concurrency: int = 1, once: bool = False,
               stalled_after: float = 30.0, heartbeat: float = 5.0,
               name: str | None = None) -> None:  # fmt: skip
    """Run a worker until stopped (SIGINT/SIGTERM finish the running job first); with
    ``once``, until the queue is empty."""
    install(url)
    app = build_app(url, stalled_after)

    async def main() -> None:
        async with app.open_async():
            await recover_stalled(app, stalled_after)
            await app.run_worker_async(
                queues=[QUEUE], concurrency=concurrency, wait=not once, name=name,
                update_heartbeat_interval=heartbeat,
                stalled_worker_timeout=max(stalled_after, 2 * heartbeat),
                delete_jobs="never",
            )  # fmt: skip

    asyncio.run(main())
