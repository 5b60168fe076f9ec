"""Automatic scoring spread over machines: jobs on a procrastinate queue in the team's
PostgreSQL database, ``qa-studio worker`` processes that take them, and the queue page.

``qa-studio score --jobs N`` (a process pool on one machine) stays the embedded default;
the queue is for teams that outgrow one machine (``docs/scoring-queue.md``).

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.scoring_queue.connection import conninfo, installed, is_postgres
from qa_app.services.scoring_queue.enqueue import (
    JOB_SIZE,
    defer_ids,
    enqueue_unscored,
    queued_ids,
    unscored_ids,
)
from qa_app.services.scoring_queue.jobs_table import QUEUE, SCORE_TASK, STATES
from qa_app.services.scoring_queue.screens import (
    Failure,
    QueueScreen,
    do_enqueue_unscored,
    queue_screen,
)
from qa_app.services.scoring_queue.worker import (
    MAX_ATTEMPTS,
    build_app,
    install,
    recover_stalled,
    run_worker,
    score_job,
)

__all__ = [
    "JOB_SIZE",
    "MAX_ATTEMPTS",
    "QUEUE",
    "SCORE_TASK",
    "STATES",
    "Failure",
    "QueueScreen",
    "build_app",
    "conninfo",
    "defer_ids",
    "do_enqueue_unscored",
    "enqueue_unscored",
    "install",
    "installed",
    "is_postgres",
    "queue_screen",
    "queued_ids",
    "recover_stalled",
    "run_worker",
    "score_job",
    "unscored_ids",
]
