"""``qa-studio db``: schema migrations, where the data lives, backups and restores."""

from __future__ import annotations

from pathlib import Path

import click

from qa_app.cli.context import resolved_url
from qa_app.cli.errors import CliError
from qa_app.i18n import t
from qa_app.services import database

_safe = database.display_url


@click.group("db")
def db_group() -> None:
    """Database schema and location."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_context
def upgrade_command(ctx: click.Context, revision: str) -> None:
    """Apply migrations (also done automatically on start)."""
    url = resolved_url(ctx)
    database.upgrade(url, revision)
    click.echo(f"database {_safe(url)} is at revision {database.current_revision(url)}")


@db_group.command("current")
@click.pass_context
def current_command(ctx: click.Context) -> None:
    """Show the database in force and its schema revision."""
    url = resolved_url(ctx)
    current = database.current_revision(url)
    head = database.head_revision()
    state = "up to date" if current == head else f"behind (head is {head})"
    click.echo(f"database: {_safe(url)}\nrevision: {current or 'none'} ({state})")


def _failed(exc: database.BackupError) -> CliError:
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
        result = database.backup(url, file, force=force)
    except database.BackupError as exc:
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
        result = database.restore(url, file, force=force)
    except database.BackupError as exc:
        raise _failed(exc) from None
    click.echo(
        f"restored {file} into {_safe(url)}: revision {result.revision}, "
        f"{result.tables} tables, {result.rows:,} rows"
    )


def register(group: click.Group) -> None:
    group.add_command(db_group)
