"""mystery shopping: scenarios, visits, checklist answers, attachments

Revision ID: 0008
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import qa_app.storage.types

revision = "0008"
down_revision = "0014"
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
        "mystery_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", JSON, nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("persona", JSON, nullable=False),
        sa.Column("request", JSON, nullable=False),
        sa.Column("correct_answer", JSON, nullable=False),
        sa.Column("checklist", sa.String(length=120), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _fk("mystery_scenarios", "created_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mystery_scenarios")),
        sa.UniqueConstraint("slug", name=op.f("uq_mystery_scenarios_slug")),
    )
    op.create_table(
        "mystery_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        _when("contacted_at"),
        _when("first_response_at", nullable=True),
        _when("resolved_at", nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("checklist", sa.String(length=120), nullable=False),
        sa.Column("checklist_version", sa.Integer(), nullable=False),
        sa.Column("overall_score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("critical_fail", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        _when("published_at", nullable=True),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        _fk("mystery_visits", "scenario_id", "mystery_scenarios"),
        _fk("mystery_visits", "shopper_id", "users"),
        _fk("mystery_visits", "recorded_by", "users"),
        _fk("mystery_visits", "agent_id", "agents"),
        _fk("mystery_visits", "team_id", "teams"),
        _fk("mystery_visits", "published_by", "users"),
        _fk("mystery_visits", "conversation_id", "conversations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mystery_visits")),
        sa.UniqueConstraint("external_ref", name=op.f("uq_mystery_visits_external_ref")),
    )
    with op.batch_alter_table("mystery_visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mystery_visits_scenario_id"), ["scenario_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mystery_visits_shopper_id"), ["shopper_id"], unique=False
        )
        batch_op.create_index("ix_mystery_visits_contacted", ["contacted_at"], unique=False)
        batch_op.create_index(
            "ix_mystery_visits_agent_contacted", ["agent_id", "contacted_at"], unique=False
        )
    op.create_table(
        "mystery_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        _fk("mystery_answers", "visit_id", "mystery_visits", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mystery_answers")),
        sa.UniqueConstraint("visit_id", "criterion_id", name="uq_mystery_answers_item"),
    )
    with op.batch_alter_table("mystery_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mystery_answers_visit_id"), ["visit_id"], unique=False
        )
    op.create_table(
        "mystery_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=60), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        _when("created_at"),
        _fk("mystery_attachments", "visit_id", "mystery_visits", "CASCADE"),
        _fk("mystery_attachments", "uploaded_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mystery_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_mystery_attachments_stored_name")),
    )
    with op.batch_alter_table("mystery_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mystery_attachments_visit_id"), ["visit_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("mystery_attachments")
    op.drop_table("mystery_answers")
    op.drop_table("mystery_visits")
    op.drop_table("mystery_scenarios")
