"""Fast paths for the message table, the bulk of every import.

PostgreSQL: COPY on SQLAlchemy's own connection streams rows without a bind parameter
per value, several times faster than multi-row INSERT. Other databases: the INSERT is
compiled by SQLAlchemy once per batch and run with ``executemany`` on plain tuples, with
the column types' own bind processors applied, which skips the per-row dictionary work
of a generic Core ``execute`` (the same SQL, several times less Python per row). In both
cases no value is ever placed in SQL text and everything runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert

from qa_app.storage.models import Message

MESSAGES = Message.__table__
MESSAGE_COLUMNS = ("conversation_id", "seq", "role", "author", "agent_id", "text", "sent_at")


def copy_messages(connection: Connection, rows: Sequence[tuple]) -> None:
    """COPY ``rows`` (tuples in ``MESSAGE_COLUMNS`` order) into ``messages`` (PostgreSQL)."""
    from psycopg import sql

    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(MESSAGES.name),
        columns=sql.SQL(", ").join(sql.Identifier(name) for name in MESSAGE_COLUMNS),
    )
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def insert_messages(connection: Connection, rows: Sequence[tuple]) -> None:
    """Multi-row insert of ``rows`` with the SQL SQLAlchemy compiles for this dialect."""
    dialect = connection.dialect
    compiled = insert(MESSAGES).compile(dialect=dialect, column_keys=list(MESSAGE_COLUMNS))
    positions = compiled.positiontup
    if positions is None or list(positions) != list(MESSAGE_COLUMNS):
        connection.execute(
            insert(MESSAGES), [dict(zip(MESSAGE_COLUMNS, row, strict=True)) for row in rows]
        )
        return
    convert = MESSAGES.c.sent_at.type.bind_processor(dialect)
    when = MESSAGE_COLUMNS.index("sent_at")
    prepared = [
        (*row[:when], convert(row[when]) if convert else row[when], *row[when + 1 :])
        for row in rows
    ]
    connection.exec_driver_sql(compiled.string, prepared)
