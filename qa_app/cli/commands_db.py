"""``qa-studio db``: schema migrations and where the data lives."""

from __future__ import annotations

import click

from qa_app.cli.context import resolved_url
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


def register(group: click.Group) -> None:
    group.add_command(db_group)
