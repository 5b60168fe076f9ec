"""The unit of work: one session, one transaction, committed only when the use case says so.

A page action or a command is one use case, and a use case is one unit of work: it opens
the session, does everything the action needs, and either calls ``commit()`` or leaves and
has its work rolled back. Leaving without ``commit()`` on purpose is how a read-only use
case ends; leaving by an exception rolls back whatever was half done.

The session comes from an injected factory, so the same use case runs on SQLite or
PostgreSQL (or in a test on a factory of its own) without knowing which.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.orm import Session


class UnitOfWork(Protocol):
    """What a use case needs: enter, work on ``session``, ``commit()``, leave."""

    session: Session
    committed: bool

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkInUse(RuntimeError):
    """A use case entered a unit of work that another use case still holds open.

    Use cases do not nest: one that needs another's work calls its session-level function
    on the same ``session`` instead, so the whole action stays one transaction.
    """


class SqlAlchemyUnitOfWork:
    """A unit of work over a SQLAlchemy session from ``session_factory``.

    Entering opens a new session; leaving rolls back anything not committed and closes it.
    The object can be entered again afterwards (each time with a fresh session), but not
    while it is open.
    """

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self.session_factory = session_factory
        self._session: Session | None = None
        self.committed = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._session

    def __enter__(self) -> Self:
        if self._session is not None:
            raise UnitOfWorkInUse("this unit of work is already open")
        self._session = self.session_factory()
        self.committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            session.rollback()  # a no-op after commit(); undoes anything left uncommitted
        finally:
            session.close()

    def commit(self) -> None:
        self.session.commit()
        self.committed = True

    def rollback(self) -> None:
        self.session.rollback()
