"""calibration sessions: whether a lead decided their grades count as the agents' evaluation

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

import qa_app.storage.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calibration_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counts_for_agents", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("counted_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("counted_at", qa_app.storage.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            "fk_calibration_sessions_counted_by_users", "users", ["counted_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("calibration_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_calibration_sessions_counted_by_users", type_="foreignkey")
        batch_op.drop_column("counted_at")
        batch_op.drop_column("counted_by")
        batch_op.drop_column("counts_for_agents")
