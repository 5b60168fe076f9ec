"""Scratch databases for benchmarks: a fresh PostgreSQL schema that is dropped afterwards,
whatever happens, so a long run never leaves tables behind on the team's server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.schema import CreateSchema, DropSchema


def schema_url(url: str, schema: str) -> str:
    """``url`` with every connection's search path set to ``schema``."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@contextmanager
def scratch_schema(url: str, prefix: str = "bench") -> Iterator[str]:
    """A new schema on the server at ``url``; yields the URL scoped to it, drops it after."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(CreateSchema(schema))
    scoped = schema_url(url, schema)
    try:
        yield scoped
    finally:
        from qa_app.storage import db as storage_db

        storage_db.dispose_engine(scoped)
        with admin.begin() as connection:
            connection.execute(DropSchema(schema, cascade=True))
        admin.dispose()
