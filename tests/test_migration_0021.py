"""Migration 0021 (token expiry, single sign-on subject) down and up again on a database
that holds a token, on SQLite (batch mode) and PostgreSQL: an existing token gets 90 days
from its creation, and nothing is lost either way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command

from qa_app.storage import db as storage_db

MADE = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


def _columns(url: str, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(storage_db.get_engine(url)).get_columns(table)}


def test_down_to_0015_and_up_again_keeps_tokens_and_dates_old_ones(db_url):
    config = storage_db._alembic_config(db_url)
    command.downgrade(config, "0015")
    storage_db.dispose_engine(db_url)
    assert "expires_at" not in _columns(db_url, "api_tokens")
    assert "sso_subject" not in _columns(db_url, "users")
    engine = storage_db.get_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO users (username, display_name, password_hash, role, language, "
            "is_active, failed_logins, created_at) VALUES ('olga', '', 'x', 'lead', 'en', "
            ":yes, 0, :made)"), {"yes": True, "made": MADE})  # fmt: skip
        user_id = connection.execute(sa.text("SELECT id FROM users")).scalar_one()
        connection.execute(sa.text(
            "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, created_by) "
            "VALUES (:u, 'old', 'qas_abc', :h, :made, 'admin')"),
            {"u": user_id, "h": "a" * 64, "made": MADE})  # fmt: skip
    storage_db.dispose_engine(db_url)
    storage_db.upgrade(db_url)
    storage_db.dispose_engine(db_url)
    from qa_app.storage.models import ApiToken, User

    with storage_db.unit_of_work(db_url) as session:
        token = session.query(ApiToken).one()
        assert token.expires_at == MADE + timedelta(days=90)
        assert session.query(User).one().sso_subject is None
        session.add(User(username="sso@example.com", password_hash="!", role="reviewer",
                         sso_subject="https://idp|1"))  # fmt: skip
        session.commit()
    command.downgrade(storage_db._alembic_config(db_url), "0015")
    storage_db.dispose_engine(db_url)
    with storage_db.get_engine(db_url).connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM api_tokens")).scalar_one() == 1
        assert connection.execute(sa.text("SELECT count(*) FROM users")).scalar_one() == 2
    storage_db.dispose_engine(db_url)
    storage_db.upgrade(db_url)
