"""``qa-studio db``: schema migrations, where the data lives, backups and restores."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.engine import make_url

from qa_app.cli.context import resolved_url
from qa_app.cli.errors import CliError
from qa_app.i18n import t
from qa_app.storage import backup as storage_backup
from qa_app.storage import db as storage_db


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@click.group("db")
def db_group() -> None:
    """Database schema and location."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_context
def upgrade_command(ctx: click.Context, revision: str) -> None:
    """Apply migrations (also done automatically on start)."""
    url = resolved_url(ctx)
    storage_db.upgrade(url, revision)
    click.echo(f"database {_safe(url)} is at revision {storage_db.current_revision(url)}")


@db_group.command("current")
@click.pass_context
def current_command(ctx: click.Context) -> None:
    """Show the database in force and its schema revision."""
    url = resolved_url(ctx)
    current = storage_db.current_revision(url)
    head = storage_db.head_revision()
    state = "up to date" if current == head else f"behind (head is {head})"
    click.echo(f"database: {_safe(url)}\nrevision: {current or 'none'} ({state})")


def _failed(exc: storage_backup.BackupError) -> CliError:
    return CliError(t(exc.key, "en", **exc.params), exit_code=2)


@db_group.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_context
def backup_command(ctx: click.Context, file: Path, force: bool) -> None:
    """Copy the whole database to FILE (safe while the app runs).

    SQLite: a consistent snapshot through SQLite's online backup API. PostgreSQL: pg_dump
    (custom format, the app's schema); needs the PostgreSQL client tools.
    """
    url = resolved_url(ctx)
    try:
        result = storage_backup.backup(url, file, force=force)
    except storage_backup.BackupError as exc:
        raise _failed(exc) from None
    click.echo(
        f"backed up {_safe(url)} (revision {result.revision}, {result.tables} tables, "
        f"{result.rows:,} rows) to {file}"
    )


@db_group.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@click.pass_context
def restore_command(ctx: click.Context, file: Path, force: bool) -> None:
    """Replace the database's content with the backup FILE, then migrate it.

    Refuses a database that holds data unless --force, and a backup made by a newer QA
    Studio (a schema revision this version does not know). Stop the app first: open
    pages would keep showing what they had loaded.
    """
    url = resolved_url(ctx)
    try:
        result = storage_backup.restore(url, file, force=force)
    except storage_backup.BackupError as exc:
        raise _failed(exc) from None
    click.echo(
        f"restored {file} into {_safe(url)}: revision {result.revision}, "
        f"{result.tables} tables, {result.rows:,} rows"
    )


def register(group: click.Group) -> None:
    group.add_command(db_group)
