"""rubrics and the reviewer's workflow

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import qa_app.storage.types

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rubrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubrics')),
    sa.UniqueConstraint('slug', name=op.f('uq_rubrics_slug'))
    )
    op.create_table('rubric_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('yaml_text', sa.Text(), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_rubric_versions_created_by_users')),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], name=op.f('fk_rubric_versions_rubric_id_rubrics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_versions')),
    sa.UniqueConstraint('rubric_id', 'version', name='uq_rubric_versions_rv')
    )
    with op.batch_alter_table('rubric_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_versions_rubric_id'), ['rubric_id'], unique=False)

    op.create_table('calibration_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rubric_version_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_calibration_sessions_created_by_users')),
    sa.ForeignKeyConstraint(['rubric_version_id'], ['rubric_versions.id'], name=op.f('fk_calibration_sessions_rubric_version_id_rubric_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_sessions'))
    )
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('rubric_version_id', sa.Integer(), nullable=False),
    sa.Column('calibration_session_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('blind', sa.Boolean(), nullable=False),
    sa.Column('sample_label', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('due_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['calibration_session_id'], ['calibration_sessions.id'], name=op.f('fk_assignments_calibration_session_id_calibration_sessions')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_assignments_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_assignments_created_by_users')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_assignments_reviewer_id_users')),
    sa.ForeignKeyConstraint(['rubric_version_id'], ['rubric_versions.id'], name=op.f('fk_assignments_rubric_version_id_rubric_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_conversation', ['conversation_id'], unique=False)
        batch_op.create_index('ix_assignments_reviewer_status', ['reviewer_id', 'status'], unique=False)
        batch_op.create_index('uq_assignments_single_review', ['conversation_id'], unique=True, sqlite_where=sa.text("calibration_session_id IS NULL AND status <> 'cancelled'"), postgresql_where=sa.text("calibration_session_id IS NULL AND status <> 'cancelled'"))

    op.create_table('calibration_consensus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_calibration_consensus_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_calibration_consensus_decided_by_users')),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_calibration_consensus_session_id_calibration_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_consensus')),
    sa.UniqueConstraint('session_id', 'conversation_id', 'criterion_id', name='uq_calibration_consensus_item')
    )
    with op.batch_alter_table('calibration_consensus', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_consensus_session_id'), ['session_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('rubric_version_id', sa.Integer(), nullable=False),
    sa.Column('calibration_session_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('overall_score', sa.Float(), nullable=True),
    sa.Column('critical_fail', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('created_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_reviews_assignment_id_assignments')),
    sa.ForeignKeyConstraint(['calibration_session_id'], ['calibration_sessions.id'], name=op.f('fk_reviews_calibration_session_id_calibration_sessions')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_reviews_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_reviews_reviewer_id_users')),
    sa.ForeignKeyConstraint(['rubric_version_id'], ['rubric_versions.id'], name=op.f('fk_reviews_rubric_version_id_rubric_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_reviews_assignment_id'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_conversation', ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=120), nullable=True),
    sa.Column('raised_by', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposed_value', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('created_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['raised_by'], ['users.id'], name=op.f('fk_disputes_raised_by_users')),
    sa.ForeignKeyConstraint(['resolved_by'], ['users.id'], name=op.f('fk_disputes_resolved_by_users')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_disputes_review_id_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_review_id'), ['review_id'], unique=False)

    op.create_table('review_grades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('auto_value', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_grades_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_grades')),
    sa.UniqueConstraint('review_id', 'criterion_id', name='uq_review_grades_rc')
    )
    op.create_table('grade_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=120), nullable=False),
    sa.Column('old_value', sa.Float(), nullable=True),
    sa.Column('new_value', sa.Float(), nullable=True),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('dispute_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', qa_app.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by'], ['users.id'], name=op.f('fk_grade_changes_changed_by_users')),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_grade_changes_dispute_id_disputes')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_grade_changes_review_id_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grade_changes'))
    )
    with op.batch_alter_table('grade_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grade_changes_review_id'), ['review_id'], unique=False)


def downgrade() -> None:
    op.drop_table('grade_changes')
    op.drop_table('review_grades')
    op.drop_table('disputes')
    op.drop_table('reviews')
    op.drop_table('calibration_consensus')
    op.drop_table('assignments')
    op.drop_table('calibration_sessions')
    op.drop_table('rubric_versions')
    op.drop_table('rubrics')
