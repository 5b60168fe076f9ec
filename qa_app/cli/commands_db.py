"""``qa-studio db``: schema migrations and where the data lives."""

from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from qa_app.cli.context import resolved_url
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


def register(group: click.Group) -> None:
    group.add_command(db_group)
