"""personal data: masked-item counts, retention policies, aggregates kept after a purge;
column-mapping presets for importing any CSV/XLSX

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import qa_app.storage.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, qa_app.storage.types.UtcDateTime(timezone=True), nullable=nullable)


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("masked_items", JSON, nullable=False, server_default="{}"))
    op.create_table(
        "retention_policies",
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_retention_policies_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_retention_policies")),
    )
    op.create_table(
        "agent_week_aggregates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        _when("week_start"),
        sa.Column("channel", sa.String(length=20), nullable=False),
        _count("conversations"),
        _count("messages"),
        _count("escalated"),
        _count("csat_sum"),
        _count("csat_count"),
        sa.Column("first_response_sum", sa.Float(), nullable=False),
        _count("first_response_count"),
        _count("reviews"),
        sa.Column("review_score_sum", sa.Float(), nullable=False),
        _count("critical_fails"),
        sa.Column("auto_scores", JSON, nullable=False),
        _when("purged_at"),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_agent_week_aggregates_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_agent_week_aggregates_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_week_aggregates")),
    )
    op.create_index(
        "ix_agent_week_aggregates_agent_week",
        "agent_week_aggregates",
        ["agent_id", "week_start"],
    )
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("definition", JSON, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_import_mappings_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mappings")),
        sa.UniqueConstraint("name", name=op.f("uq_import_mappings_name")),
    )


def downgrade() -> None:
    op.drop_table("import_mappings")
    op.drop_index("ix_agent_week_aggregates_agent_week", table_name="agent_week_aggregates")
    op.drop_table("agent_week_aggregates")
    op.drop_table("retention_policies")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("masked_items")
