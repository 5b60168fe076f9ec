"""Database failures reach the user as one sentence that says what to do, and never as SQL,
values (a new user's argon2 hash), the driver's text or a traceback, in the terminal, the
log or the page. Each condition is produced for real: a read-only file (chmod; as root the
CLI runs without the capability that overrides file modes), a full disk (SQLite's
``max_page_count``, which raises the real SQLITE_FULL), a locked database (a second
connection holding an exclusive lock, a short busy timeout) and an unreachable server (a
PostgreSQL URL to a closed port)."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from conftest import PG_URL, REPO_ROOT
from sqlalchemy import event

from qa_app.cli import cli
from qa_app.cli.errors import run_guarded
from qa_app.i18n import t
from qa_app.services import database as services_db
from qa_app.services.accounts import auth
from qa_app.storage import db as storage_db

os.environ.setdefault(auth.HASH_COST_ENV, "test")
FORBIDDEN = ("SELECT", "INSERT", "UPDATE ", "$argon2", "Traceback", "OperationalError", "[SQL")


def _assert_clean(text: str) -> None:
    for word in FORBIDDEN:
        assert word not in text, (word, text)


def _cli_subprocess(*args: str, drop_file_override: bool = False) -> subprocess.CompletedProcess:
    """The real ``qa-studio`` in a child process. As root, file modes do not stop writes;
    ``setpriv`` drops the capabilities that override them, so a 0444 file is read-only."""
    command = [sys.executable, "-m", "qa_app.cli", *args]
    if drop_file_override and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a file read-only")
        caps = "-dac_override,-dac_read_search"
        command = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    env = {**os.environ, auth.HASH_COST_ENV: "test"}
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _cli_in_process(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """``qa-studio ARGS`` through the real entry point's error handling, in this process
    (so a test can change the engine's connections); returns exit code and all output."""
    monkeypatch.setattr(sys, "argv", ["qa-studio", *args])
    code = run_guarded(cli)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _on_connect(url: str, pragma: str) -> None:
    """Run ``pragma`` on every new connection of the app's engine for ``url``."""
    engine = storage_db.get_engine(url)
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute(pragma))
    engine.dispose()  # pooled connections were made without it


def test_read_only_sqlite_file_says_so_without_sql_or_hash(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "qa.db"
    url = f"sqlite:///{path}"
    storage_db.upgrade(url)
    storage_db.dispose_engine(url)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    result = _cli_subprocess(
        "--db", url, "users", "add", "bob", "--role", "reviewer", drop_file_override=True
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert t("db.read_only", "en") in output
    assert output.count("\n") == 1  # one line
    _assert_clean(output)


def test_full_disk_says_so_without_sql_or_hash(sqlite_url, monkeypatch, capsys, caplog):
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    _on_connect(sqlite_url, f"PRAGMA max_page_count={pages}")
    caplog.set_level(logging.DEBUG)
    long_name = "Name " * 20_000  # needs overflow pages the file may not grow to
    code, output = _cli_in_process(
        monkeypatch, capsys, "--db", sqlite_url, "users", "add", "bob", "--role", "reviewer",
        "--name", long_name,
    )  # fmt: skip
    assert code == 1, output
    assert t("db.disk_full", "en") in output
    _assert_clean(output)
    _assert_clean(caplog.text)
    assert "database problem: disk_full (sqlite SQLITE_FULL)" in caplog.text


def test_locked_database_says_so_without_sql_or_hash(sqlite_url, monkeypatch, capsys, caplog):
    _on_connect(sqlite_url, "PRAGMA busy_timeout=150")
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    caplog.set_level(logging.DEBUG)
    try:
        code, output = _cli_in_process(
            monkeypatch, capsys, "--db", sqlite_url, "users", "add", "bob", "--role", "reviewer"
        )
    finally:
        holder.rollback()
        holder.close()
    assert code == 1, output
    assert t("db.locked", "en") in output
    _assert_clean(output)
    _assert_clean(caplog.text)


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


def test_unreachable_server_says_so_without_details():
    url = f"postgresql+psycopg://qa:secret-pw@127.0.0.1:{_closed_port()}/qa?connect_timeout=3"
    result = _cli_subprocess("--db", url, "users", "add", "bob", "--role", "reviewer")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert t("db.unreachable", "en") in output
    _assert_clean(output)
    assert "secret-pw" not in output


def test_read_only_postgresql_says_so(pg_available):
    """A PostgreSQL session that may not write (``default_transaction_read_only``) gives the
    same sentence as a read-only file, with SQLSTATE 25006 behind it."""
    if pg_available:
        pytest.skip(pg_available)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    base = f"{PG_URL}?options=-csearch_path%3D{schema}"
    try:
        storage_db.upgrade(base)
        storage_db.dispose_engine(base)
        read_only = f"{base}%20-cdefault_transaction_read_only%3Don"
        result = _cli_subprocess("--db", read_only, "users", "add", "bob", "--role", "reviewer")
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert t("db.read_only", "en") in output
        _assert_clean(output)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_engines_hide_statement_parameters(sqlite_url):
    """Log lines and error texts of the engine never carry a statement's values."""
    assert storage_db.get_engine(sqlite_url).hide_parameters is True


def test_translator_passes_other_errors_through():
    assert services_db.translate_error(ValueError("x")) is None
    assert services_db.translate_error(KeyError("x")) is None
    problem = services_db.translate_error(sqlite3.OperationalError("attempt to write"))
    assert problem is not None and problem.key == "db.failed"  # no code: the generic sentence


def test_every_database_sentence_exists_in_both_languages():
    from qa_app.services.database_errors import KINDS

    for kind in KINDS:
        for lang in ("en", "ru"):
            text = t(f"db.{kind}", lang)
            assert text != f"db.{kind}" and "{" not in text


def test_page_action_on_a_locked_database_shows_the_sentence(sqlite_url, caplog):
    """In the app: saving the language while another program holds the database shows the
    same sentence (in the user's language), and the log line holds no SQL or values."""
    from ui_harness import run_page, visible_text

    at = run_page("account", "trainer", sqlite_url)
    _on_connect(sqlite_url, "PRAGMA busy_timeout=150")
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    caplog.set_level(logging.DEBUG)
    try:
        at.segmented_control(key="account_language").set_value("ru").run()
    finally:
        holder.rollback()
        holder.close()
    assert not at.exception
    assert t("db.locked", "en") in [e.value for e in at.error]
    _assert_clean(visible_text(at))
    _assert_clean(caplog.text)


def test_unreachable_database_at_start_shows_the_sentence():
    from ui_harness import run_app

    url = f"postgresql+psycopg://qa@127.0.0.1:{_closed_port()}/qa?connect_timeout=3"
    at = run_app(url, None)
    assert not at.exception
    assert [e.value for e in at.error] == [t("db.unreachable", "en")]
