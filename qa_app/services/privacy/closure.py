"""Everything derived from a set of conversations, found through the foreign keys.

Erasure and retention delete "a conversation and everything derived from it". Which
tables that means is read from the SQLAlchemy metadata rather than listed by hand: every
row whose foreign key points at a row being deleted is itself deleted, to a fixed point
(messages, automatic scores and runs, assignments, reviews, grades, grade changes,
disputes, calibration consensus, and any table added later that points at one of them).
A new table that references conversations is therefore covered without a code change;
``tests/test_privacy_erasure.py`` enumerates the metadata to prove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Column, Table, delete, select
from sqlalchemy.orm import Session

from qa_app.storage.models import Base, Conversation

CHUNK = 500  # ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits


@dataclass
class Closure:
    """Primary keys to delete, per table name, in the metadata's dependency order."""

    rows: dict[str, set[object]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(ids) for name, ids in self.rows.items() if ids}

    @property
    def conversation_ids(self) -> set[object]:
        return self.rows.get(Conversation.__tablename__, set())


def _key(table: Table) -> Column:
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise RuntimeError(f"table {table.name} needs a single-column primary key for erasure")
    return keys[0]


def _chunks(values: Iterable[object]) -> Iterable[list[object]]:
    batch: list[object] = []
    for value in values:
        batch.append(value)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _referrers(parent: Table) -> list[tuple[Table, Column]]:
    return [
        (table, fk.parent)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table is parent
    ]


def derived_rows(session: Session, conversation_ids: Iterable[int]) -> Closure:
    """The conversations and every row that depends on them, transitively."""
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    closure = Closure({Conversation.__tablename__: set(conversation_ids)})
    pending = {Conversation.__tablename__: set(closure.conversation_ids)}
    while pending:
        name, ids = pending.popitem()
        for table, column in _referrers(tables[name]):
            key = _key(table)
            found: set[object] = set()
            for batch in _chunks(ids):
                found.update(session.scalars(select(key).where(column.in_(batch))))
            new = found - closure.rows.setdefault(table.name, set())
            if new:
                closure.rows[table.name] |= new
                pending.setdefault(table.name, set()).update(new)
    return closure


def delete_rows(session: Session, closure: Closure) -> None:
    """Delete the closure, dependants first, so no foreign key is ever left dangling."""
    session.flush()
    for table in reversed(Base.metadata.sorted_tables):
        ids = closure.rows.get(table.name)
        if not ids:
            continue
        key = _key(table)
        for batch in _chunks(sorted(ids)):
            session.execute(delete(table).where(key.in_(batch)))
    session.expire_all()  # objects loaded earlier in this unit of work are gone
