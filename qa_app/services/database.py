"""The door to the database for the app and the command line: which one, migrated, the
units of work that use cases run in, and backups.

Neither ``qa_app/ui`` nor ``qa_app/cli`` imports ``qa_app.storage``: they take a unit of
work from here and hand it to one use case (``reviews.review_screen(uow, ...)``,
``disputes.do_raise_dispute(uow, ...)``), which opens it, works, and commits.

A database failure leaves this door as a ``DatabaseProblem`` (one sentence that says what
to do, ``database_errors``), never as the driver's text with its SQL and values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from sqlalchemy.engine import make_url

from qa_app.services import database_errors
from qa_app.storage import backup as storage_backup
from qa_app.storage import db as storage_db
from qa_app.storage import settings
from qa_app.storage.uow import SqlAlchemyUnitOfWork, UnitOfWork, UnitOfWorkInUse

LOG = logging.getLogger("qa_app.database")
DATABASE_URL_ENV = settings.DATABASE_URL_ENV
#: A driver error as a ``DatabaseProblem`` (None for other errors); see ``database_errors``.
translate_error = database_errors.translate
#: A driver error as one safe log line (kind and error code, never the statement).
error_log_line = database_errors.log_line
#: Why a backup or restore cannot go ahead (``key`` names the sentence); its result.
BackupError = storage_backup.BackupError
BackupResult = storage_backup.BackupResult

#: Makes a fresh, unopened unit of work on one database.
UnitOfWorkFactory = Callable[[], UnitOfWork]
T = TypeVar("T")

__all__ = [
    "DATABASE_URL_ENV",
    "BackupError",
    "BackupResult",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnitOfWorkInUse",
    "backup",
    "current_revision",
    "database_url",
    "display_url",
    "error_log_line",
    "head_revision",
    "prepare_database",
    "restore",
    "translate_error",
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


def _problem(exc: BaseException) -> BaseException:
    """What leaves the door for ``exc``: a ``DatabaseProblem`` (logged as one safe line)
    for a database failure, ``exc`` itself otherwise."""
    problem = translate_error(exc)
    if problem is None or problem is exc:
        return exc
    LOG.error(error_log_line(exc))
    return problem


def _guarded(action: Callable[[], T]) -> T:
    """Run ``action``; a database failure leaves as its ``DatabaseProblem``."""
    try:
        return action()
    except Exception as exc:
        problem = _problem(exc)
        if problem is exc:
            raise
        raise problem from exc


class _DoorUnitOfWork(SqlAlchemyUnitOfWork):
    """The unit of work handed out here: a database failure inside it (a query, the
    commit, the rollback on the way out) leaves as a ``DatabaseProblem``."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        except Exception as closing:  # the rollback failed too (server gone): say why once
            first = exc if isinstance(exc, Exception) else closing
            problem = _problem(first)
            if problem is first and first is not closing:
                problem = _problem(closing)
            raise problem from closing
        if isinstance(exc, Exception):
            problem = _problem(exc)
            if problem is not exc:
                raise problem from exc


def unit_of_work_factory(url: str | None = None) -> UnitOfWorkFactory:
    """Units of work on the database at ``url`` (resolved once, so every one is the same)."""
    resolved = database_url(url)

    def new_unit_of_work() -> UnitOfWork:
        return _DoorUnitOfWork(storage_db.session_factory(resolved))

    return new_unit_of_work


def unit_of_work(url: str | None = None) -> UnitOfWork:
    """One fresh, unopened unit of work on ``url`` (for a single use case)."""
    return unit_of_work_factory(url)()


def upgrade(url: str | None = None, revision: str = "head") -> str:
    """Apply migrations up to ``revision``; returns the URL it upgraded."""
    resolved = database_url(url)
    _guarded(lambda: storage_db.upgrade(resolved, revision))
    return resolved


def prepare_database(url: str | None = None) -> str:
    """Apply pending migrations; returns the URL it prepared."""
    return upgrade(url)


def current_revision(url: str | None = None) -> str | None:
    """The migration the database is at (None for an empty database)."""
    return _guarded(lambda: storage_db.current_revision(database_url(url)))


def head_revision() -> str:
    """The newest migration this code ships."""
    return storage_db.head_revision()


def backup(url: str, target: Path, *, force: bool = False) -> BackupResult:
    """Copy the whole database to ``target`` (see ``storage/backup.py``)."""
    return _guarded(lambda: storage_backup.backup(database_url(url), target, force=force))


def restore(url: str, source: Path, *, force: bool = False) -> BackupResult:
    """Replace the database's content with the backup ``source``, then migrate it."""
    return _guarded(lambda: storage_backup.restore(database_url(url), source, force=force))
