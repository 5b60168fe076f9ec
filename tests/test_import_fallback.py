"""When the database refuses a batch anyway, it is written again one conversation at a time.

Values are checked before they reach the writer, so these tests feed it values the checks
would have stopped (an integer past 64 bits, a lone surrogate) or pretend a limit is not
known, and assert that only the refused conversation is rejected, with a reason in words,
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy import select

from qa_app.cli import cli
from qa_app.i18n import t
from qa_app.ingest import ParsedConversation, inspect_file, limits, read_conversations
from qa_app.services.imports import ImportOptions, import_file
from qa_app.services.imports.runs import ImportStopped
from qa_app.services.imports.safe_write import refusal, store_batch
from qa_app.services.imports.writer import BatchWriter
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, Conversation, ImportRun, Message, Team

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def parsed(tmp_path, count: int) -> list[ParsedConversation]:
    path = tmp_path / "batch.jsonl"
    records = [
        {
            "conversation_id": f"c{i}",
            "team": f"Team {i}",
            "messages": [
                {"role": "customer", "text": "Hello", "sent_at": "2026-03-02T09:00:00Z"},
                {"role": "agent", "author": f"agent.{i}", "text": "Hi, how can I help?"},
            ],
        }
        for i in range(count)
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return list(read_conversations(inspect_file(path), UTC))


def test_a_refused_conversation_is_rejected_alone_and_the_batch_is_stored(db_url, tmp_path):
    batch = parsed(tmp_path, 5)
    batch[1].csat = 2**63  # past every integer column
    batch[3].messages[0].text = "broken \ud83d emoji"  # no driver can encode it
    factory = storage_db.session_factory(db_url)
    with factory() as session:
        writer = BatchWriter(session.connection, "import", NOW)
        counts, rejections = store_batch(session, writer, batch, "batch.jsonl")
        session.commit()
    assert (counts.imported, counts.messages) == (3, 6)
    assert [(r.external_id, r.line, r.rows, r.whole) for r in rejections] == [
        ("c1", 2, 2, True),
        ("c3", 4, 2, True),
    ]
    reasons = [p.reason("en") for r in rejections for p in r.problems]
    assert (
        reasons
        == [
            "the database refused a value of this conversation; it was not imported, "
            "the rest of the file was"
        ]
        * 2
    )
    with factory() as session:
        stored = session.execute(
            select(Conversation.external_id, Team.name, Agent.login)
            .join(Team, Conversation.team_id == Team.id)
            .join(Agent, Conversation.agent_id == Agent.id)
            .order_by(Conversation.external_id)
        ).all()
        teams = set(session.scalars(select(Team.name)))
    assert stored == [(f"c{i}", f"Team {i}", f"agent.{i}") for i in (0, 2, 4)]
    assert teams == {"Team 0", "Team 2", "Team 4"}  # the refused ones' teams rolled back


def test_after_a_rollback_a_team_made_in_it_is_made_again(db_url, tmp_path):
    """The writer caches team ids; a savepoint rolled back must not leave a stale one."""
    first, second = parsed(tmp_path, 2)
    second.team = first.team
    first.nps = -(2**70)
    factory = storage_db.session_factory(db_url)
    with factory() as session:
        writer = BatchWriter(session.connection, "import", NOW)
        store_batch(session, writer, [first], "f.jsonl")
        counts, rejections = store_batch(session, writer, [second], "f.jsonl")
        session.commit()
    assert counts.imported == 1 and rejections == []
    with factory() as session:
        team = session.scalar(select(Team.name).join(Conversation))
    assert team == "Team 0"


def test_an_unknown_limit_refused_by_postgresql_rejects_one_conversation(
    db_url, tmp_path, monkeypatch
):
    """If the checks ever miss a limit, the import still finishes and shows no SQL."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    monkeypatch.setitem(limits.TEXT_LIMITS, "team", 10_000)
    lines = [
        json.dumps({"conversation_id": cid, "team": team,
                    "messages": [{"role": "customer", "text": "Hello"}]})
        for cid, team in (("a", "Tier 1"), ("b", "secret-" + "T" * 200), ("c", "Tier 2"))
    ]  # fmt: skip
    path = tmp_path / "teams.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--db", db_url, "import", str(path), "--errors-dir", str(tmp_path)]
    )
    assert result.exit_code == 1, result.output
    assert "teams.jsonl: 2 imported" in result.output
    assert "teams.jsonl:2: conversation: the database refused a value" in result.output
    for leak in ("INSERT", "COPY", "varying", "secret", "Traceback"):
        assert leak not in result.output
    with storage_db.unit_of_work(db_url) as session:
        assert set(session.scalars(select(Conversation.external_id))) == {"a", "c"}
        assert session.scalar(select(sa.func.count()).select_from(Message)) == 2


def test_only_refusals_of_the_data_are_caught():
    assert refusal(sa.exc.DataError("stmt", {}, Exception("x"))) == "value"
    assert refusal(sa.exc.IntegrityError("stmt", {}, Exception("x"))) == "conflict"
    assert refusal(OverflowError("int too big")) == "value"
    assert refusal(sa.exc.OperationalError("stmt", {}, Exception("gone"))) is None
    assert refusal(sa.exc.InterfaceError("stmt", {}, Exception("closed"))) is None
    assert refusal(TypeError("a bug")) is None


def test_a_database_failure_stops_the_import_in_one_sentence_and_keeps_what_was_stored(
    db_url, tmp_path
):
    """Not a value but the database itself (here: a table gone): no row-by-row retry."""
    path = tmp_path / "many.jsonl"
    lines = [json.dumps({"conversation_id": f"c{i}", "messages": [
        {"role": "customer", "text": "Hello"}]}) for i in range(30)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cascade = " CASCADE" if db_url.startswith("postgresql") else ""

    def break_the_database(progress):
        if progress.conversations == 10:  # after the first batch was committed
            engine = sa.create_engine(db_url)
            with engine.begin() as connection:
                connection.execute(sa.text(f"DROP TABLE messages{cascade}"))
            engine.dispose()

    options = ImportOptions(batch_size=10, progress_interval=0)
    with pytest.raises(ImportStopped) as caught, storage_db.unit_of_work(db_url) as session:
        import_file(session, path, options=options, progress=break_the_database)
    message = t(caught.value.key, "en", **caught.value.params)
    assert message.startswith("the database stopped the import (")
    assert "importing the file again completes it" in message
    for leak in ("INSERT", "messages", "DROP", "["):
        assert leak not in message
    with storage_db.unit_of_work(db_url) as session:
        run = session.scalar(select(ImportRun))
        assert (run.status, run.imported) == ("interrupted", 10)
        assert session.scalar(select(sa.func.count()).select_from(Conversation)) == 10
