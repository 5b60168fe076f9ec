"""The door to the database for the app and the command line: which one, migrated, and the
units of work that use cases run in.

Neither ``qa_app/ui`` nor ``qa_app/cli`` imports ``qa_app.storage``: they take a unit of
work from here and hand it to one use case (``reviews.review_screen(uow, ...)``,
``disputes.do_raise_dispute(uow, ...)``), which opens it, works, and commits.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import make_url

from qa_app.storage import db as storage_db
from qa_app.storage import settings
from qa_app.storage.uow import SqlAlchemyUnitOfWork, UnitOfWork, UnitOfWorkInUse

DATABASE_URL_ENV = settings.DATABASE_URL_ENV

#: Makes a fresh, unopened unit of work on one database.
UnitOfWorkFactory = Callable[[], UnitOfWork]

__all__ = [
    "DATABASE_URL_ENV",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnitOfWorkInUse",
    "current_revision",
    "database_url",
    "display_url",
    "head_revision",
    "prepare_database",
    "unit_of_work",
    "unit_of_work_factory",
    "upgrade",
]


def database_url(explicit: str | None = None) -> str:
    """The configured URL: explicit, else ``QA_STUDIO_DATABASE_URL``, else the SQLite default."""
    return settings.database_url(explicit)


def display_url(url: str) -> str:
    """The URL as it may be printed: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def unit_of_work_factory(url: str | None = None) -> UnitOfWorkFactory:
    """Units of work on the database at ``url`` (resolved once, so every one is the same)."""
    resolved = database_url(url)

    def new_unit_of_work() -> UnitOfWork:
        return SqlAlchemyUnitOfWork(storage_db.session_factory(resolved))

    return new_unit_of_work


def unit_of_work(url: str | None = None) -> UnitOfWork:
    """One fresh, unopened unit of work on ``url`` (for a single use case)."""
    return unit_of_work_factory(url)()


def upgrade(url: str | None = None, revision: str = "head") -> str:
    """Apply migrations up to ``revision``; returns the URL it upgraded."""
    resolved = database_url(url)
    storage_db.upgrade(resolved, revision)
    return resolved


def prepare_database(url: str | None = None) -> str:
    """Apply pending migrations; returns the URL it prepared."""
    return upgrade(url)


def current_revision(url: str | None = None) -> str | None:
    """The migration the database is at (None for an empty database)."""
    return storage_db.current_revision(database_url(url))


def head_revision() -> str:
    """The newest migration this code ships."""
    return storage_db.head_revision()
