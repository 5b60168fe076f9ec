"""What every command needs: the database URL in force, migrated once, and units of work
on it. Commands reach the database only through ``qa_app.services`` (this door and the
use cases); they never import ``qa_app.storage``."""

from __future__ import annotations

import click

from qa_app.services import database


def resolved_url(ctx: click.Context) -> str:
    return database.database_url((ctx.find_root().obj or {}).get("database_url"))


def migrated_url(ctx: click.Context) -> str:
    """The database URL, with migrations applied (commands run on an up-to-date schema)."""
    return database.upgrade(resolved_url(ctx))


def unit_of_work(ctx: click.Context) -> database.UnitOfWork:
    """A fresh unit of work on the migrated database, for one use case."""
    return database.unit_of_work(migrated_url(ctx))
