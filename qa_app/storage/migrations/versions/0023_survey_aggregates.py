"""survey answers kept by a retention purge: CSAT satisfied, NPS parts, survey ratings

Revision ID: 0023
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0023"
down_revision = "0019"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
COUNTS = ("csat_satisfied", "nps_count", "nps_promoters", "nps_detractors")


def upgrade() -> None:
    with op.batch_alter_table("agent_week_aggregates", schema=None) as batch:
        for name in COUNTS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("survey_ratings", JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("agent_week_aggregates", schema=None) as batch:
        batch.drop_column("survey_ratings")
        for name in reversed(COUNTS):
            batch.drop_column(name)
