"""why scoring jobs on the task queue failed (the queue page shows the reason)

Revision ID: 0022
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

import qa_app.storage.types

revision = "0022"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_job_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("conversations", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("failed_at", qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_job_failures")),
    )
    with op.batch_alter_table("scoring_job_failures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scoring_job_failures_job_id"), ["job_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scoring_job_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_job_failures_job_id"))
    op.drop_table("scoring_job_failures")
