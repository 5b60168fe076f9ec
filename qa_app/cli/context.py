"""What every command needs: the database URL in force, migrated once."""

from __future__ import annotations

import click

from qa_app.storage import db as storage_db
from qa_app.storage.settings import database_url


def resolved_url(ctx: click.Context) -> str:
    return database_url((ctx.find_root().obj or {}).get("database_url"))


def migrated_url(ctx: click.Context) -> str:
    """The database URL, with migrations applied (commands run on an up-to-date schema)."""
    url = resolved_url(ctx)
    storage_db.upgrade(url)
    return url
