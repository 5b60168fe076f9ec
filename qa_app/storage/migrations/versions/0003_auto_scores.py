"""automatic scoring results

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import qa_app.storage.types

revision = "0003"
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auto_score_runs',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('pipeline_version', sa.String(length=120), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('signals', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('scored_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_auto_score_runs_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_auto_score_runs'))
    )
    op.create_table('auto_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('task', sa.String(length=60), nullable=False),
    sa.Column('scorer_version', sa.String(length=80), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_auto_scores_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_auto_scores_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auto_scores'))
    )
    with op.batch_alter_table('auto_scores', schema=None) as batch_op:
        batch_op.create_index('ix_auto_scores_conversation_task', ['conversation_id', 'task'], unique=False)
        batch_op.create_index('ix_auto_scores_message', ['message_id'], unique=False)


def downgrade() -> None:
    op.drop_table('auto_scores')
    op.drop_table('auto_score_runs')
