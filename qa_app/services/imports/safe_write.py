"""Storing a batch so that one conversation the database refuses cannot sink the others.

Values are checked before they get here (``qa_app.ingest.limits``), so a refusal should
not happen; if one still does (a limit this code does not know, a conversation stored by a
concurrent import a moment ago), the batch is rolled back to a savepoint and written again
one conversation at a time: only the one the database refuses is rejected, with a reason
in words. The database's own message is never shown (it can hold SQL and values).
Errors that are not about the data (connection lost, disk full, database locked) are not
caught: they stop the import, and what was committed stays.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from qa_app.ingest import ParsedConversation, Problem, Rejection
from qa_app.services.imports.writer import BatchCounts, BatchWriter

try:  # PostgreSQL's driver is optional; COPY raises its errors unwrapped
    import psycopg

    _DRIVER_DATA = (psycopg.DataError, sqlite3.DataError)
    _DRIVER_CONFLICT = (psycopg.IntegrityError, sqlite3.IntegrityError)
    _DRIVER_ANY = (psycopg.Error, sqlite3.Error)
except ImportError:  # pragma: no cover - psycopg is a dependency
    _DRIVER_DATA, _DRIVER_CONFLICT = (sqlite3.DataError,), (sqlite3.IntegrityError,)
    _DRIVER_ANY = (sqlite3.Error,)
#: Everything the database (or its driver, unwrapped during COPY) can raise.
DATABASE_ERRORS = (sa_exc.SQLAlchemyError, *_DRIVER_ANY)


def refusal(exc: BaseException) -> str | None:
    """``conflict``/``value`` when the database refused the data itself, else None."""
    if isinstance(exc, (sa_exc.IntegrityError, *_DRIVER_CONFLICT)):
        return "conflict"
    if isinstance(exc, (sa_exc.DataError, *_DRIVER_DATA, ValueError, OverflowError)):
        return "value"  # ValueError also covers UnicodeEncodeError and bind processing
    if isinstance(exc, sa_exc.StatementError) and not isinstance(exc, sa_exc.DBAPIError):
        return "value"  # a value the column type could not convert
    return None


def _attempt(session: Session, writer: BatchWriter, batch: list[ParsedConversation]):
    """Write ``batch`` inside a savepoint; returns counts, or the refusal kind."""
    cached = writer.snapshot()
    try:
        with session.begin_nested():
            return writer.write(batch)
    except Exception as exc:
        kind = refusal(exc)
        if kind is None:
            raise
        writer.restore(cached)
        return kind


def store_batch(
    session: Session, writer: BatchWriter, batch: list[ParsedConversation], file: str
) -> tuple[BatchCounts, list[Rejection]]:
    """Store ``batch``; conversations the database refuses come back as rejections."""
    result = _attempt(session, writer, batch)
    if isinstance(result, BatchCounts):
        return result, []
    counts, rejections = BatchCounts(), []
    for conversation in batch:
        result = _attempt(session, writer, [conversation])
        if isinstance(result, BatchCounts):
            counts.add(result)
        else:
            problem = Problem("conversation", f"not_stored_{result}")
            rows = len(conversation.messages)
            line, key = conversation.line, conversation.external_id[:200]
            rejections.append(Rejection(file, line, key, [problem], rows, whole=True))
    return counts, rejections
