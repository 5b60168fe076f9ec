"""PostgreSQL fast path: messages go in with COPY on SQLAlchemy's own connection.

COPY streams rows without one bind parameter per value, several times faster than
multi-row INSERT for the message table. The statement is composed from identifiers
(no values in SQL text) and runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import sql
from sqlalchemy import Connection

MESSAGE_COLUMNS = ("conversation_id", "seq", "role", "author", "agent_id", "text", "sent_at")


def copy_messages(connection: Connection, rows: Sequence[tuple]) -> None:
    """COPY ``rows`` (tuples in ``MESSAGE_COLUMNS`` order) into ``messages``."""
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier("messages"),
        columns=sql.SQL(", ").join(sql.Identifier(name) for name in MESSAGE_COLUMNS),
    )
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
