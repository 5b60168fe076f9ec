"""procrastinate's jobs table as SQLAlchemy sees it: only the columns QA Studio reads or
writes, so enqueueing inside an import's transaction and the queue page's counts are
ordinary SQLAlchemy statements (the table itself belongs to procrastinate's schema)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

QUEUE = "scoring"
SCORE_TASK = "qa_studio.score_conversations"
RECOVER_TASK = "qa_studio.recover_and_enqueue"
#: procrastinate's job states and what the queue page calls them.
STATES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")

jobs = sa.table(
    "procrastinate_jobs",
    sa.column("id", sa.BigInteger),
    sa.column("queue_name", sa.String),
    sa.column("task_name", sa.String),
    sa.column("status", sa.String),
    sa.column("args", JSONB),
    sa.column("attempts", sa.Integer),
    sa.column("scheduled_at", sa.DateTime(timezone=True)),
)

#: The job's state as text (the column is procrastinate's own enum type, which does not
#: compare with the strings SQLAlchemy binds).
status_text = sa.cast(jobs.c.status, sa.Text)
