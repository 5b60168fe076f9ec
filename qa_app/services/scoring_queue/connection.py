"""Where the task queue lives: the same PostgreSQL database (and schema) as the app.

procrastinate keeps its jobs in tables of the team's own PostgreSQL server, so scoring on
many machines needs no new service. It talks to the server through psycopg directly, so
the app's SQLAlchemy URL is turned into the libpq form it takes (the ``options`` that pin
a schema's search path go along)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from qa_app.services.errors import InvalidInput

#: The procrastinate table whose presence says the queue is installed on a database.
JOBS_TABLE = "procrastinate_jobs"


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def conninfo(url: str) -> str:
    """The libpq connection string of a ``postgresql+psycopg://`` URL."""
    if not is_postgres(url):
        raise InvalidInput(
            "the scoring queue needs PostgreSQL; on SQLite use qa-studio score --jobs N",
            key="queue.error.needs_postgres",
        )
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def installed(connection: sa.Connection) -> bool:
    """Whether procrastinate's tables are in this database's search path."""
    if connection.dialect.name != "postgresql":
        return False
    return sa.inspect(connection).has_table(JOBS_TABLE)
