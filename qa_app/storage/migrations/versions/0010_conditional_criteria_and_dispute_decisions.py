"""criteria N/A automatically (applies_when) and the decision each grade change records

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A grade N/A because its criterion's ``applies_when`` did not hold on the conversation
    # when the review was saved: stored, so a rescoring never changes a submitted score.
    with op.batch_alter_table("review_grades") as batch:
        batch.add_column(
            sa.Column("auto_na", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # What a dispute decision did to the grade: changed, kept (accepted, grade kept) or
    # rejected; older rows were all written by accepted changes.
    with op.batch_alter_table("grade_changes") as batch:
        batch.add_column(
            sa.Column("decision", sa.String(length=20), nullable=False, server_default="changed")
        )


def downgrade() -> None:
    with op.batch_alter_table("grade_changes") as batch:
        batch.drop_column("decision")
    with op.batch_alter_table("review_grades") as batch:
        batch.drop_column("auto_na")
