"""Use cases in one unit of work: ``do_x = atomic(x)`` turns a session-level service
function ``x(session, ...)`` into ``do_x(uow, ...)``.

Session-level functions are the building blocks (they compose inside one transaction and
never commit); ``do_*`` functions are what the app and the command line call for one
complete change: they open the unit of work, run the function, and commit only when it
returned (an exception rolls everything back).

Two users (or two tabs) can reach the same write at the same moment. Whatever the database
refuses because of the other one, a unique or foreign-key constraint, a version that moved
(``StaleDataError``), a serialization failure or a deadlock, leaves ``do_*`` as the domain's
``Conflict`` (``error.concurrent``: someone else saved first, try again), never as the
driver's error; the whole attempt is rolled back. Screens that read several things for one
page are written out by hand in each area's ``screens.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from qa_app.services import database_errors
from qa_app.storage.uow import UnitOfWork

P = ParamSpec("P")
R = TypeVar("R")


def atomic(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[UnitOfWork, P], R]:
    """``fn`` as one committed unit of work: ``do(uow, *args)`` runs ``fn(uow.session, *args)``."""

    @functools.wraps(fn)
    def do(uow: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with uow:
            try:
                result = fn(uow.session, *args, **kwargs)
                uow.commit()
            except Exception as exc:
                lost = database_errors.conflict(exc)
                if lost is None:
                    raise
                raise lost from exc
        return result

    do.__name__ = do.__qualname__ = f"do_{fn.__name__}"
    do.__doc__ = f"``{fn.__name__}`` in its own unit of work, committed when it returns.\n\n" + (
        fn.__doc__ or ""
    )
    return do
