"""What the Overview page reads, each in one unit of work (the app caches both for a
minute per database, visibility scope and filters)."""

from __future__ import annotations

from qa_app.services.actor import Actor
from qa_app.services.overview.dashboard import (
    FilterOptions,
    Overview,
    OverviewFilters,
    filter_options,
    load_overview,
)
from qa_app.storage.uow import UnitOfWork


def filter_options_screen(uow: UnitOfWork, actor: Actor, tz: str = "UTC") -> FilterOptions:
    """The filter choices (channels, languages, teams, agents, period) the actor may see."""
    with uow:
        return filter_options(uow.session, actor, tz)


def overview_screen(
    uow: UnitOfWork, actor: Actor, filters: OverviewFilters | None = None, tz: str = "UTC"
) -> Overview:
    """Every figure and distribution of the Overview page for ``filters``."""
    with uow:
        return load_overview(uow.session, actor, filters, tz=tz)
