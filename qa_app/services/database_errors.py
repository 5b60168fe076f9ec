"""Database failures in one sentence a user can act on, never the driver's text.

A driver error's text holds the SQL statement and, unless hidden, its parameters: a new
user's argon2 hash, a conversation's text. ``translate`` keeps only what the user needs
(what went wrong, what to do) as a ``DatabaseProblem`` with an i18n key; ``log_line`` gives
the operator the kind and the driver's error code, still without statement or values.
The CLI (``cli/errors.py``), the app (``ui/context.py``) and the unit of work of
``services/database.py`` all go through here.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import exc as orm_exc

from qa_app.services.errors import Conflict, DatabaseProblem

#: SQLite primary result codes (https://www.sqlite.org/rescode.html) -> kind.
_SQLITE_KINDS = {
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    8: "read_only",  # SQLITE_READONLY
    10: "io_error",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "disk_full",  # SQLITE_FULL
    14: "cannot_open",  # SQLITE_CANTOPEN
    23: "read_only",  # SQLITE_AUTH (refused by an authorizer)
    26: "corrupt",  # SQLITE_NOTADB
}
#: PostgreSQL SQLSTATE codes or classes (first two characters) -> kind.
_PG_KINDS = {
    "25006": "read_only",  # read_only_sql_transaction
    "42501": "read_only",  # insufficient_privilege
    "53100": "disk_full",  # disk_full
    "53200": "disk_full",  # out_of_memory
    "55P03": "locked",  # lock_not_available
    "40P01": "locked",  # deadlock_detected
    "57014": "locked",  # query_canceled (statement or lock timeout)
    "53300": "locked",  # too_many_connections
    "28P01": "login_refused",  # invalid_password
    "28000": "login_refused",  # invalid_authorization_specification
    "3D000": "cannot_open",  # invalid_catalog_name: no such database
    "08": "unreachable",  # connection_exception
    "57P": "unreachable",  # admin/crash shutdown, cannot connect now
}
KINDS = ("read_only", "disk_full", "locked", "unreachable", "cannot_open", "login_refused",
         "io_error", "corrupt", "failed")  # fmt: skip


def _driver_error(exc: BaseException) -> BaseException | None:
    """The DBAPI error behind ``exc`` (SQLAlchemy wraps it in ``.orig``), if any."""
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.orig
    if isinstance(exc, sqlite3.Error) or _is_psycopg(exc):
        return exc
    return None


def _is_psycopg(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] == "psycopg"


def _sqlite_kind(error: sqlite3.Error) -> str:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "failed"
    return _SQLITE_KINDS.get(code & 0xFF, "failed")


def _pg_kind(error: BaseException) -> str:
    state = getattr(error, "sqlstate", None) or ""
    for prefix in (state, state[:3], state[:2]):
        if prefix and prefix in _PG_KINDS:
            return _PG_KINDS[prefix]
    if not state and type(error).__name__ == "OperationalError":
        return "unreachable"  # the connection itself failed: refused, timed out, no route
    return "failed"


def kind_of(exc: BaseException) -> str | None:
    """What went wrong in a database operation (one of ``KINDS``), or None when ``exc`` is
    not a database error."""
    if isinstance(exc, sa_exc.TimeoutError):
        return "locked"  # every pooled connection is in use
    error = _driver_error(exc)
    if error is None:
        return "failed" if isinstance(exc, sa_exc.SQLAlchemyError) else None
    if isinstance(error, sqlite3.Error):
        return _sqlite_kind(error)
    if _is_psycopg(error):
        return _pg_kind(error)
    return "failed"


def translate(exc: BaseException) -> DatabaseProblem | None:
    """A ``DatabaseProblem`` for a database error (None for anything else)."""
    if isinstance(exc, DatabaseProblem):
        return exc
    kind = kind_of(exc)
    if kind is None:
        return None
    return DatabaseProblem(f"database problem: {kind}", key=f"db.{kind}", kind=kind)


def log_line(exc: BaseException) -> str:
    """One line for the server log: the kind and the driver's error code, nothing else."""
    kind = kind_of(exc) or "unknown"
    error = _driver_error(exc)
    if isinstance(error, sqlite3.Error):
        driver, code = "sqlite", getattr(error, "sqlite_errorname", "") or "no code"
    elif error is not None and _is_psycopg(error):
        driver, code = "postgresql", getattr(error, "sqlstate", None) or "connection failed"
    else:
        driver, code = "sqlalchemy", type(exc).__name__
    return f"database problem: {kind} ({driver} {code})"


#: PostgreSQL SQLSTATEs of two transactions that wanted the same rows: the loser may retry.
_PG_CONCURRENT = ("40001", "40P01")  # serialization_failure, deadlock_detected


def is_concurrent_write(exc: BaseException) -> bool:
    """Whether ``exc`` means another transaction wrote the same thing first: a unique or
    foreign-key constraint (two first saves, two inserts of one name), a row whose version
    moved (optimistic locking), a serialization failure or a deadlock."""
    if isinstance(exc, (sa_exc.IntegrityError, orm_exc.StaleDataError, sqlite3.IntegrityError)):
        return True
    error = _driver_error(exc)
    if error is not None and _is_psycopg(error):
        state = getattr(error, "sqlstate", None) or ""
        return state.startswith("23") or state in _PG_CONCURRENT
    return False


def conflict(exc: BaseException) -> Conflict | None:
    """A ``Conflict`` for a concurrent write (None for anything else): one sentence that
    says someone else saved first and nothing of this attempt was kept."""
    if not is_concurrent_write(exc):
        return None
    return Conflict("someone else saved the same thing at the same moment", key="error.concurrent")
