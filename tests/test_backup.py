"""``qa-studio db backup`` / ``db restore`` on both databases: a round trip gives back every
row of every table; a restore refuses a database that holds data unless forced, and a
backup whose schema revision this version does not know; SQLite's backup is a consistent
snapshot while another connection is writing; a missing pg_dump is said plainly."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

import sqlalchemy as sa
from click.testing import CliRunner
from review_fixtures import seed_workflow

from qa_app.cli import cli
from qa_app.i18n import t
from qa_app.services.accounts import add_user, auth, open_session
from qa_app.services.actor import SYSTEM
from qa_app.services.disputes import decisions as disputes
from qa_app.services.reviews import GradeInput, ReviewDraft, submit_review
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Base

HEAD = storage_db.head_revision()

os.environ.setdefault(auth.HASH_COST_ENV, "test")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def _fill(url: str) -> None:
    """Rows in most tables: teams, agents, users, conversations, messages, a rubric, an
    assignment, a submitted review with grades, a resolved dispute with a grade change,
    a sign-in session and the audit trail of all of it."""
    flow = seed_workflow(url, conversations=4)
    reviewer = flow.reviewers[0]
    with storage_db.unit_of_work(url) as session:
        aid = sampling.assign_conversation(session, flow.lead, flow.conversation_ids[0], "rev1")
        draft = ReviewDraft(
            {"politeness": GradeInput(2), "greeting": GradeInput(1), "correct_info": GradeInput(0)},
            "Missed the refund rule.",
        )
        review_id = submit_review(session, reviewer, aid, draft, None, now=NOW).review_id
        agent = flow.agents[0]
        dispute = disputes.raise_dispute(
            session, agent, review_id, "Please look again", "correct_info", 1, now=NOW
        )
        disputes.resolve_dispute(session, flow.lead, dispute, True, "Right, fixed.", now=NOW)
        open_session(session, reviewer, now=NOW)


def _snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table of the app, in primary-key order."""
    engine = storage_db.get_engine(url)
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def _db(url: str, *args: str):
    return CliRunner().invoke(cli, ["--db", url, "db", *args])


def _change_something(url: str) -> None:
    with storage_db.unit_of_work(url) as session:
        add_user(session, SYSTEM, "after.backup", "trainer", password="long-enough-pw")


def test_round_trip_gives_back_every_row_of_every_table(db_url, tmp_path):
    _fill(db_url)
    before = _snapshot(db_url)
    assert sum(1 for rows in before.values() if rows) >= 12
    backup = tmp_path / "qa.backup"
    result = _db(db_url, "backup", str(backup))
    assert result.exit_code == 0, result.output
    assert f"revision {HEAD}" in result.output and backup.stat().st_size > 0

    _change_something(db_url)
    refused = _db(db_url, "restore", str(backup))
    assert refused.exit_code == 2
    assert "already holds data" in refused.output and "--force" in refused.output
    assert len(_snapshot(db_url)["users"]) == len(before["users"]) + 1  # untouched

    restored = _db(db_url, "restore", str(backup), "--force")
    assert restored.exit_code == 0, restored.output
    assert _snapshot(db_url) == before
    _change_something(db_url)  # ids continue after the restored rows (sequences restored)


def test_sqlite_backup_restores_into_a_new_file(sqlite_url, tmp_path):
    _fill(sqlite_url)
    backup = tmp_path / "copy.db"
    assert _db(sqlite_url, "backup", str(backup)).exit_code == 0
    fresh = f"sqlite:///{tmp_path / 'fresh' / 'qa.db'}"
    result = _db(fresh, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert _snapshot(fresh) == _snapshot(sqlite_url)
    again = _db(sqlite_url, "backup", str(backup))
    assert again.exit_code == 2 and "already exists" in again.output


def test_restore_refuses_a_revision_it_does_not_know(db_url, tmp_path):
    _fill(db_url)
    with storage_db.get_engine(db_url).begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    backup = tmp_path / "future.backup"
    assert _db(db_url, "backup", str(backup)).exit_code == 0
    with storage_db.get_engine(db_url).begin() as connection:
        connection.execute(
            sa.text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD}
        )
    before = _snapshot(db_url)
    result = _db(db_url, "restore", str(backup), "--force")
    assert result.exit_code == 2
    assert t("backup.error.newer_revision", "en", revision="9999_future", head=HEAD) in (
        result.output
    )
    assert _snapshot(db_url) == before


def test_an_older_backup_is_restored_then_migrated(tmp_path):
    old = f"sqlite:///{tmp_path / 'old.db'}"
    storage_db.upgrade(old, "0003")
    backup = tmp_path / "old.backup"
    assert _db(old, "backup", str(backup)).exit_code == 0
    target = f"sqlite:///{tmp_path / 'new.db'}"
    result = _db(target, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert storage_db.current_revision(target) == storage_db.head_revision()
    assert "sign_in_sessions" in sa.inspect(storage_db.get_engine(target)).get_table_names()


def test_sqlite_backup_is_a_consistent_snapshot_while_another_connection_writes(
    sqlite_url, tmp_path
):
    _fill(sqlite_url)
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO teams (name, created_at) VALUES ('Uncommitted', '2026-03-20 12:00:00')"
    )
    try:
        result = _db(sqlite_url, "backup", str(tmp_path / "live.db"))
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "live.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    teams = [name for (name,) in copy.execute("SELECT name FROM teams")]
    assert "Uncommitted" not in teams and "Tier 1" in teams


def test_not_a_backup_and_wrong_kind_are_refused_plainly(sqlite_url, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    result = _db(sqlite_url, "restore", str(junk))
    assert result.exit_code == 2 and t("backup.error.not_a_backup", "en") in result.output
    fake_pg = tmp_path / "dump.backup"
    fake_pg.write_bytes(b"PGDMP" + b"\0" * 100)
    result = _db(sqlite_url, "restore", str(fake_pg))
    assert result.exit_code == 2 and "postgresql database but the target is sqlite" in (
        result.output
    )
    missing = _db(sqlite_url, "restore", str(tmp_path / "nope.db"))
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_missing_postgresql_tools_are_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump or pg_restore on it
    url = "postgresql+psycopg://qa@127.0.0.1:1/qa"
    result = _db(url, "backup", str(tmp_path / "x.backup"))
    assert result.exit_code == 2
    assert t("backup.error.tool_missing", "en", tool="pg_dump") in result.output
    result = _db(url, "restore", str(tmp_path / "x.backup"))
    assert result.exit_code == 2
    assert t("backup.error.tool_missing", "en", tool="pg_restore") in result.output


def test_password_is_not_on_the_tool_command_line():
    from qa_app.storage.backup import _libpq

    address, env, schema = _libpq(
        "postgresql+psycopg://qa:s3cret@db.example:5433/qa?options=-csearch_path%3Dteam_a"
    )
    assert "s3cret" not in address and env["PGPASSWORD"] == "s3cret"
    assert address.startswith("postgresql://qa@db.example:5433/qa") and schema == "team_a"
