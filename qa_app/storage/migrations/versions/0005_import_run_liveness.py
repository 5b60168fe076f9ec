"""import runs: status, heartbeat, process id and host (a killed import shows as interrupted)

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import qa_app.storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="finished", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "heartbeat_at", qa_app.storage.types.UtcDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
    # Runs left unfinished before this migration can no longer be running: their process
    # is older than the code that could finish them.
    runs = sa.table("import_runs", sa.column("status"), sa.column("finished_at"))
    op.execute(runs.update().where(runs.c.finished_at.is_(None)).values(status="interrupted"))


def downgrade() -> None:
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("status")
