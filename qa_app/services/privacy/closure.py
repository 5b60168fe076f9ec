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

from sqlalchemy import Column, Table, delete, select, tuple_
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


def _key(table: Table):
    """The primary key as one expression: the column, or a row value for a composite key
    (rows of such tables are collected as tuples)."""
    keys: list[Column] = list(table.primary_key.columns)
    if not keys:
        raise RuntimeError(f"table {table.name} needs a primary key for erasure")
    return keys[0] if len(keys) == 1 else tuple_(*keys)


def _select_key(table: Table):
    keys = list(table.primary_key.columns)
    return select(*keys)


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
            single = len(table.primary_key.columns) == 1
            found: set[object] = set()
            for batch in _chunks(ids):
                rows = session.execute(_select_key(table).where(column.in_(batch)))
                found.update(row[0] if single else tuple(row) for row in rows)
            new = found - closure.rows.setdefault(table.name, set())
            if new:
                closure.rows[table.name] |= new
                pending.setdefault(table.name, set()).update(new)
    return closure


def delete_rows(session: Session, closure: Closure) -> None:
    """Delete the closure, dependants first, so no foreign key is ever left dangling; the
    files of deleted mystery-shopper attachments go with their rows."""
    from qa_app.services import mystery

    session.flush()
    files = mystery.attachment_stored_names(session, closure.rows.get("mystery_attachments", ()))
    for table in reversed(Base.metadata.sorted_tables):
        ids = closure.rows.get(table.name)
        if not ids:
            continue
        key = _key(table)
        for batch in _chunks(sorted(ids)):
            session.execute(delete(table).where(key.in_(batch)))
    session.flush()
    mystery.remove_attachment_files(files)
    session.expire_all()  # objects loaded earlier in this unit of work are gone
