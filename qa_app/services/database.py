"""The database as the app and the command line see it: which one, migrated, one unit of work.

The UI may not import ``qa_app.storage``; it reaches the database through these names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from qa_app.services import database_errors
from qa_app.storage import db as storage_db
from qa_app.storage import settings

LOG = logging.getLogger("qa_app.database")
DATABASE_URL_ENV = settings.DATABASE_URL_ENV
#: A driver error as a ``DatabaseProblem`` (None for other errors); see ``database_errors``.
translate_error = database_errors.translate
#: A driver error as one safe log line (kind and error code, never the statement).
error_log_line = database_errors.log_line


def database_url(explicit: str | None = None) -> str:
    """The configured URL: explicit, else ``QA_STUDIO_DATABASE_URL``, else the SQLite default."""
    return settings.database_url(explicit)


def _problem(exc: Exception) -> Exception:
    """What leaves the door for ``exc``: a ``DatabaseProblem`` (logged as one safe line)
    for a database failure, ``exc`` itself otherwise."""
    problem = translate_error(exc)
    if problem is None or problem is exc:
        return exc
    LOG.error(error_log_line(exc))
    return problem


def prepare_database(url: str | None = None) -> str:
    """Apply pending migrations; returns the URL it prepared."""
    resolved = database_url(url)
    try:
        storage_db.upgrade(resolved)
    except Exception as exc:
        problem = _problem(exc)
        if problem is exc:
            raise
        raise problem from exc
    return resolved


@contextmanager
def unit_of_work(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error; a database failure
    leaves as a ``DatabaseProblem`` (one clear sentence), never the driver's text."""
    try:
        with storage_db.unit_of_work(database_url(url)) as session:
            yield session
    except Exception as exc:
        problem = _problem(exc)
        if problem is exc:
            raise
        raise problem from exc
