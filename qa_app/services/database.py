"""The database as the app and the command line see it: which one, migrated, one unit of work.

The UI may not import ``qa_app.storage``; it reaches the database through these names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from qa_app.storage import db as storage_db
from qa_app.storage import settings

DATABASE_URL_ENV = settings.DATABASE_URL_ENV


def database_url(explicit: str | None = None) -> str:
    """The configured URL: explicit, else ``QA_STUDIO_DATABASE_URL``, else the SQLite default."""
    return settings.database_url(explicit)


def prepare_database(url: str | None = None) -> str:
    """Apply pending migrations; returns the URL it prepared."""
    resolved = database_url(url)
    storage_db.upgrade(resolved)
    return resolved


@contextmanager
def unit_of_work(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with storage_db.unit_of_work(database_url(url)) as session:
        yield session
