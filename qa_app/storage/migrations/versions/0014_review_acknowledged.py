"""reviews.acknowledged_at: when the agent acknowledged the review on My results

Revision ID: 0014
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

import qa_app.storage.types

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(
            sa.Column(
                "acknowledged_at",
                qa_app.storage.types.UtcDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("acknowledged_at")
