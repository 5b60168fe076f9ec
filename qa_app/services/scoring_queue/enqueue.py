"""Putting conversations on the scoring queue, inside the caller's transaction.

The jobs are rows of procrastinate's table, written through its own ``defer`` function in
the same transaction as the import that created the conversations: an import that rolls
back leaves no job behind, and one that commits has its jobs waiting at that very moment.
Enqueueing is idempotent in effect: conversations already waiting or running are left out,
and a job that finds a conversation already scored skips it.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.permissions import require
from qa_app.services.scoring_queue.connection import installed
from qa_app.services.scoring_queue.jobs_table import QUEUE, SCORE_TASK, jobs, status_text
from qa_app.storage.models import AutoScoreRun, Conversation

#: Conversations per job: big enough that a job's set-up is small beside its scoring,
#: small enough that a worker killed mid-job repeats at most a few seconds of work.
JOB_SIZE = 100

_DEFER = sa.text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL, "
    "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])"
)


def queued_ids(session: Session) -> set[int]:
    """Conversations in jobs that are waiting or running (a malformed id, which only a hand-
    made job can hold, is no conversation: that job fails with its reason on the page)."""
    element = sa.func.jsonb_array_elements_text(jobs.c.args["conversation_ids"])
    query = sa.select(element).where(
        jobs.c.task_name == SCORE_TASK, status_text.in_(("todo", "doing"))
    )
    return {int(value) for value in session.scalars(query) if value.isdigit()}


def unscored_ids(session: Session, among: list[int] | None = None) -> list[int]:
    """Conversations never scored or changed since (a new pipeline version is rescored with
    ``qa-studio score`` or ``qa-studio queue enqueue --all``)."""
    query = (
        sa.select(Conversation.id)
        .outerjoin(AutoScoreRun, AutoScoreRun.conversation_id == Conversation.id)
        .where(
            sa.or_(
                AutoScoreRun.conversation_id.is_(None),
                AutoScoreRun.content_hash != Conversation.content_hash,
            )
        )
        .order_by(Conversation.id)
    )
    if among is not None:
        query = query.where(Conversation.id.in_(among))
    return list(session.scalars(query))


def defer_ids(
    session: Session, ids: list[int], job_size: int = JOB_SIZE, *, rescore: bool = False
) -> int:
    """One job per ``job_size`` conversations; returns the number of jobs. ``rescore``: the
    job scores them even when they are scored already (a new pipeline version)."""
    count = 0
    for start in range(0, len(ids), job_size):
        chunk = ids[start : start + job_size]
        args = json.dumps({"conversation_ids": chunk, "rescore": rescore})
        session.execute(_DEFER, {"queue": QUEUE, "task": SCORE_TASK, "args": args})
        count += 1
    return count


def enqueue_unscored(
    session: Session, actor: Actor, *, rescore_all: bool = False, job_size: int = JOB_SIZE
) -> int:
    """Queue every unscored conversation not already waiting (all with ``rescore_all``);
    returns the number of jobs. Nothing happens where the queue is not installed."""
    require(actor, "autoqa.run")
    if not installed(session.connection()):
        return 0
    if rescore_all:
        ids = list(session.scalars(sa.select(Conversation.id).order_by(Conversation.id)))
    else:
        ids = unscored_ids(session)
    waiting = queued_ids(session)
    return defer_ids(session, [i for i in ids if i not in waiting], job_size, rescore=rescore_all)
