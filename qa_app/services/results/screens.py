"""What the My results page draws, read in one unit of work."""

from __future__ import annotations

import datetime as dt

from qa_app.services.actor import Actor
from qa_app.services.results.listing import PAGE_SIZE, ResultsPage, my_results, score_trend
from qa_app.storage.uow import UnitOfWork


def my_results_screen(
    uow: UnitOfWork, actor: Actor, now: dt.datetime, page: int = 0, page_size: int = PAGE_SIZE
) -> ResultsPage:
    """One page of the agent's reviews (newest first) and their weekly score trend up to
    ``now``; a page past the end shows the last one."""
    with uow:
        session = uow.session
        items, total, waiting = my_results(session, actor, page=page, page_size=page_size)
        trend = score_trend(session, actor, now)
    page = min(max(page, 0), max(0, (total - 1) // page_size))
    return ResultsPage(items, total, waiting, page, page_size, trend)
