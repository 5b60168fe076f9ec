"""multi-attribute survey ratings per conversation (the CSI on scorecards)

Revision ID: 0017
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("attribute", sa.String(length=60), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=False),
        sa.Column("importance", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_survey_ratings_conversation_id_conversations"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_ratings")),
        sa.UniqueConstraint(
            "conversation_id", "attribute", name="uq_survey_ratings_conversation_attribute"
        ),
    )
    with op.batch_alter_table("survey_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_ratings_conversation_id"), ["conversation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_ratings_conversation_id"))
    op.drop_table("survey_ratings")
