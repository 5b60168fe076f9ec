"""SQL expressions whose spelling differs between SQLite and PostgreSQL, written once.

SQLite keeps ``UtcDateTime`` values as ISO text, PostgreSQL as ``timestamptz``; date
arithmetic therefore needs ``julianday`` on one and ``EXTRACT(EPOCH ...)`` on the other.
Services use the construct below and never see the difference.
"""

from __future__ import annotations

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class minutes_between(FunctionElement):  # noqa: N801 - reads as a SQL function
    """``minutes_between(start, end)``: minutes from ``start`` to ``end`` (NULL if either is)."""

    type = Float()
    name = "minutes_between"
    inherit_cache = True


@compiles(minutes_between)
def _minutes_postgresql(element, compiler, **kw) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"


@compiles(minutes_between, "sqlite")
def _minutes_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 1440.0)"
