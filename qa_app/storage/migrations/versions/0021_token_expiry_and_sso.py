"""api_tokens.expires_at (personal API tokens expire) and users.sso_subject (single sign-on)

Existing tokens get 90 days from their creation, like new ones by default, so no token
made before this revision stays valid for ever.

Revision ID: 0021
Revises: 0022
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import qa_app.storage.types

revision = "0021"
down_revision = "0022"
branch_labels = None
depends_on = None

EXISTING_TOKEN_DAYS = 90


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column(
                "expires_at", qa_app.storage.types.UtcDateTime(timezone=True), nullable=True
            )
        )
    tokens = sa.table(
        "api_tokens",
        sa.column("id", sa.Integer()),
        sa.column("created_at", qa_app.storage.types.UtcDateTime(timezone=True)),
        sa.column("expires_at", qa_app.storage.types.UtcDateTime(timezone=True)),
    )
    bind = op.get_bind()
    for token_id, created_at in bind.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        bind.execute(
            tokens.update()
            .where(tokens.c.id == token_id)
            .values(expires_at=created_at + timedelta(days=EXISTING_TOKEN_DAYS))
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("sso_subject", sa.String(length=255), nullable=True))
        batch.create_unique_constraint(batch.f("uq_users_sso_subject"), ["sso_subject"])


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(batch.f("uq_users_sso_subject"), type_="unique")
        batch.drop_column("sso_subject")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
