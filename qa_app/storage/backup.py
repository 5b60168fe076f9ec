"""``qa-studio db backup`` and ``db restore``: a copy of the whole database, and back.

SQLite goes through its online backup API (``sqlite3.Connection.backup``): it copies a
consistent snapshot while the app keeps reading and writing (WAL mode), and a restore
replaces the live file's content the same way. PostgreSQL goes through ``pg_dump`` /
``pg_restore`` (custom format, the app's schema only), when the client tools are installed.

A restore refuses a database that already holds data unless forced, and checks the
backup's migration revision: one this version does not know (a newer QA Studio) is refused;
an older one is restored and then migrated to the current schema.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from qa_app.storage import db as storage_db
from qa_app.storage.models import Base

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
TOOL_TIMEOUT = 3600


class BackupError(Exception):
    """A backup or restore that cannot go ahead; ``key`` names the i18n sentence."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.key = f"backup.error.{code}"
        self.params = params


@dataclass(frozen=True, slots=True)
class BackupResult:
    kind: str  # "sqlite" | "postgresql"
    revision: str
    tables: int
    rows: int


def _kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError("unsupported", backend=backend)
    return backend


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("no_file")
    return Path(database).expanduser()


def table_rows(url: str) -> dict[str, int]:
    """Rows per table of the app's schema that exist in ``url`` (``alembic_version`` aside)."""
    engine = storage_db.get_engine(url)
    existing = set(sa.inspect(engine).get_table_names())
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
            if table.name in existing
        }


def known_revision(revision: str | None) -> bool:
    """Whether ``revision`` is one of this version's migrations."""
    from alembic.script import ScriptDirectory

    if not revision:
        return False
    script = ScriptDirectory.from_config(storage_db._alembic_config("sqlite://"))
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises its own errors for unknown or ambiguous ids
        return False


def _check_revision(revision: str | None) -> str:
    if not revision:
        raise BackupError("not_a_backup")
    if not known_revision(revision):
        raise BackupError("newer_revision", revision=revision, head=storage_db.head_revision())
    return revision


def _summary(url: str, kind: str) -> BackupResult:
    rows = table_rows(url)
    revision = storage_db.current_revision(url) or ""
    return BackupResult(kind, revision, len(rows), sum(rows.values()))


def backup(url: str, target: Path, *, force: bool = False) -> BackupResult:
    """Write a backup of ``url`` to ``target`` (refused when it exists, unless ``force``)."""
    target = Path(target)
    if target.exists() and not force:
        raise BackupError("target_exists", path=str(target))
    kind = _kind(url)
    if kind == "postgresql":
        _tool("pg_dump")  # before anything else: the one thing the user must fix first
    revision = storage_db.current_revision(url)
    if not revision:
        raise BackupError("empty_source")
    if kind == "sqlite":
        _backup_sqlite(_sqlite_file(url), target)
    else:
        _backup_postgresql(url, target)
    return _summary(url, kind)


def restore(url: str, source: Path, *, force: bool = False) -> BackupResult:
    """Replace ``url``'s content with the backup ``source``, then migrate it to head."""
    source = Path(source)
    kind = _kind(url)
    if kind == "postgresql":
        _tool("pg_restore")
    found = _backup_kind(source)
    if found != kind:
        raise BackupError("wrong_kind", backup=found, database=kind)
    rows = table_rows(url) if _exists(url) else {}
    if sum(rows.values()) and not force:
        raise BackupError("target_not_empty", rows=sum(rows.values()))
    if kind == "sqlite":
        _check_revision(_sqlite_revision(source))
        _restore_sqlite(source, _sqlite_file(url), url)
    else:
        _restore_postgresql(url, source)
    storage_db.upgrade(url)
    return _summary(url, kind)


def _exists(url: str) -> bool:
    return make_url(url).get_backend_name() != "sqlite" or _sqlite_file(url).exists()


def _backup_kind(source: Path) -> str:
    try:
        with source.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError("missing", path=str(source)) from None
    except OSError as exc:
        raise BackupError("unreadable", path=str(source), reason=exc.strerror or "") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError("not_a_backup")


# --- SQLite: the online backup API ------------------------------------------------------


def _backup_sqlite(source: Path, target: Path) -> None:
    """Copy a consistent snapshot page by page; written beside ``target``, then renamed, so
    a failed backup never leaves half a file under the name."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("copy_damaged")
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)


def _sqlite_revision(source: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:  # not a database, or no alembic_version table
        return None
    return row[0] if row else None


def _restore_sqlite(source: Path, target: Path, url: str) -> None:
    """Copy the backup into the live file through the backup API (one transaction: other
    connections see the old content or the new, never a mix), then drop pooled
    connections that knew the old schema."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    storage_db.dispose_engine(url)


# --- PostgreSQL: pg_dump / pg_restore --------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError("tool_missing", tool=name)
    return path


def _libpq(url: str) -> tuple[str, dict[str, str], str]:
    """The libpq address of ``url`` without its password (given through PGPASSWORD, so it
    never shows in the process list), the environment, and the app's schema."""
    parsed = make_url(url)
    options = parsed.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    match = re.search(r"search_path\s*=\s*([^\s,]+)", unquote(options))
    schema = match.group(1).strip('"') if match else "public"
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql")._replace(password=None)  # set() skips None
    return plain.render_as_string(hide_password=False), env, schema


def _run(command: list[str], env: dict[str, str], failure: str) -> str:
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        raise BackupError(failure, tool=Path(command[0]).name, reason=_without_sql(last))
    return done.stdout


def _without_sql(line: str) -> str:
    """A tool's last error line, cut before any statement it quotes."""
    return re.split(r"(?i)\b(?:command was|statement|LINE \d+)\b", line)[0].strip()[:200]


def _backup_postgresql(url: str, target: Path) -> None:
    address, env, schema = _libpq(url)
    partial = target.with_name(f".{target.name}.partial")
    command = [_tool("pg_dump"), "--format=custom", f"--schema={schema}", "--no-owner",
               "--no-privileges", f"--file={partial}", f"--dbname={address}"]  # fmt: skip
    try:
        _run(command, env, "dump_failed")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)


def _dump_schema_and_revision(source: Path, env: dict[str, str]) -> tuple[str, str | None]:
    """The schema a custom-format dump holds and its ``alembic_version`` row."""
    listing = _run([_tool("pg_restore"), "--list", str(source)], env, "not_a_backup_tool")
    schemas = {m.group(1) for m in re.finditer(r"TABLE DATA (\S+) alembic_version", listing)}
    if len(schemas) != 1:
        raise BackupError("not_a_backup")
    schema = schemas.pop()
    data = _run(
        [_tool("pg_restore"), "--data-only", f"--schema={schema}", "--table=alembic_version",
         "--file=-", str(source)],
        env, "not_a_backup_tool",
    )  # fmt: skip
    rows = data.split("FROM stdin;", 1)[-1].strip().splitlines()
    revision = rows[0].strip() if rows and rows[0].strip() not in ("", "\\.") else None
    return schema, revision


def _restore_postgresql(url: str, source: Path) -> None:
    address, env, schema = _libpq(url)
    dumped, revision = _dump_schema_and_revision(source, env)
    _check_revision(revision)
    if dumped != schema:
        raise BackupError("wrong_schema", backup=dumped, database=schema)
    _drop_app_tables(url)
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--schema={schema}", f"--dbname={address}",
               str(source)]  # fmt: skip
    _run(command, env, "restore_failed")
    storage_db.dispose_engine(url)


def _drop_app_tables(url: str) -> None:
    """Empty the target before a restore: the app's tables and its migration record."""
    engine = storage_db.get_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection, checkfirst=True)
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
