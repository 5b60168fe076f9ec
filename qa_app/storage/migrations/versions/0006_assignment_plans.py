"""recurring assignment plans, their runs, reviewer goals

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import qa_app.storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, qa_app.storage.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "assignment_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("weekdays", JSON, nullable=False),
        sa.Column("run_at", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("strategy", sa.String(length=20), nullable=False),
        sa.Column("quota_per_agent", sa.Integer(), nullable=False),
        sa.Column("filters", JSON, nullable=False),
        sa.Column("reviewer_ids", JSON, nullable=False),
        sa.Column("rubric_slug", sa.String(length=120), nullable=True),
        sa.Column("blind", sa.Boolean(), nullable=False),
        _when("active_from"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_assignment_plans_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_plans")),
        sa.UniqueConstraint("name", name=op.f("uq_assignment_plans_name")),
    )
    op.create_table(
        "assignment_plan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=20), nullable=False),
        _when("occurrence_at"),
        _when("window_start"),
        _when("window_end"),
        _when("ran_at"),
        sa.Column("ran_by", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("left_out", sa.Integer(), nullable=False),
        sa.Column("capacity_override", sa.Boolean(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["assignment_plans.id"],
            name=op.f("fk_assignment_plan_runs_plan_id_assignment_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["ran_by"], ["users.id"], name=op.f("fk_assignment_plan_runs_ran_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_plan_runs")),
        sa.UniqueConstraint("plan_id", "period_key", name="uq_assignment_plan_runs_period"),
    )
    with op.batch_alter_table("assignment_plan_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_plan_runs_plan_id"), ["plan_id"], unique=False
        )
    op.create_table(
        "reviewer_goals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("weekly_reviews", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reviewer_goals_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["users.id"], name=op.f("fk_reviewer_goals_set_by_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reviewer_goals")),
    )
    # Batch mode on SQLite rebuilds the table; the partial unique index that keeps a
    # conversation in one live queue is reflected with its WHERE clause and rebuilt too.
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_run_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_assignments_plan_run_id_assignment_plan_runs"),
            "assignment_plan_runs",
            ["plan_run_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_assignments_plan_run_id"), ["plan_run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_plan_run_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_assignments_plan_run_id_assignment_plan_runs"), type_="foreignkey"
        )
        batch_op.drop_column("plan_run_id")
    op.drop_table("reviewer_goals")
    with op.batch_alter_table("assignment_plan_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_plan_runs_plan_id"))
    op.drop_table("assignment_plan_runs")
    op.drop_table("assignment_plans")
