"""The one Alembic chain builds the schema the models describe, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from qa_app.storage import db as storage_db
from qa_app.storage.models import Base, Conversation, Message


def test_upgrade_reaches_head(db_url):
    assert storage_db.current_revision(db_url) == storage_db.head_revision()


def test_models_match_migrations(db_url):
    engine = storage_db.get_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(db_url):
    storage_db.upgrade(db_url)
    assert storage_db.current_revision(db_url) == storage_db.head_revision()


def test_aware_datetimes_round_trip_as_utc(session):
    moscow = timezone(timedelta(hours=3))
    started = datetime(2026, 3, 2, 9, 15, tzinfo=moscow)
    conversation = Conversation(
        external_id="c-1", channel="chat", language="ru", started_at=started, content_hash="x"
    )
    conversation.messages.append(Message(seq=0, role="customer", text="Привет", sent_at=started))
    session.add(conversation)
    session.commit()
    session.expire_all()
    loaded = session.scalars(sa.select(Conversation)).one()
    assert loaded.started_at == started
    assert loaded.started_at.utcoffset() == timedelta(0)
    assert loaded.started_at.hour == 6
    assert loaded.messages[0].text == "Привет"


def test_naive_datetime_is_refused(session):
    session.add(
        Conversation(
            external_id="c-2",
            channel="chat",
            language="en",
            started_at=datetime(2026, 3, 2, 9, 15),
            content_hash="x",
        )
    )
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        session.commit()


def test_external_id_unique_per_source(session):
    now = datetime(2026, 3, 2, tzinfo=UTC)
    for source in ("import", "import"):
        session.add(
            Conversation(
                source=source,
                external_id="dup",
                channel="email",
                language="en",
                started_at=now,
                content_hash="x",
            )
        )
    with pytest.raises(IntegrityError):
        session.commit()
