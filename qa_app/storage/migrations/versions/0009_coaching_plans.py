"""coaching plans, the agents they are for, sessions and the agents' confirmations

Revision ID: 0009
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import qa_app.storage.types

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, qa_app.storage.types.UtcDateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str | None = None):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "coaching_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.String(length=120), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        _when("due_at"),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        _fk("coaching_plans", "team_id", "teams"),
        _fk("coaching_plans", "created_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_plans")),
    )
    with op.batch_alter_table("coaching_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_plans_topic_id"), ["topic_id"])
        batch_op.create_index(batch_op.f("ix_coaching_plans_team_id"), ["team_id"])
    op.create_table(
        "coaching_plan_agents",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        _fk("coaching_plan_agents", "plan_id", "coaching_plans", "CASCADE"),
        _fk("coaching_plan_agents", "agent_id", "agents"),
        sa.PrimaryKeyConstraint("plan_id", "agent_id", name=op.f("pk_coaching_plan_agents")),
    )
    with op.batch_alter_table("coaching_plan_agents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_plan_agents_agent_id"), ["agent_id"])
    op.create_table(
        "coaching_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        _when("held_at"),
        sa.Column("exercises", JSON, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        _when("recorded_at"),
        _fk("coaching_sessions", "plan_id", "coaching_plans", "CASCADE"),
        _fk("coaching_sessions", "recorded_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_sessions")),
    )
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_sessions_plan_id"), ["plan_id"])
    op.create_table(
        "coaching_confirmations",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        _when("confirmed_at"),
        _fk("coaching_confirmations", "session_id", "coaching_sessions", "CASCADE"),
        _fk("coaching_confirmations", "agent_id", "agents"),
        _fk("coaching_confirmations", "confirmed_by", "users"),
        sa.PrimaryKeyConstraint(
            "session_id", "agent_id", name=op.f("pk_coaching_confirmations")
        ),
    )


def downgrade() -> None:
    op.drop_table("coaching_confirmations")
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_plan_id"))
    op.drop_table("coaching_sessions")
    with op.batch_alter_table("coaching_plan_agents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_plan_agents_agent_id"))
    op.drop_table("coaching_plan_agents")
    with op.batch_alter_table("coaching_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_plans_team_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_plans_topic_id"))
    op.drop_table("coaching_plans")
