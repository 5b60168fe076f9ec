"""Volumes, distributions and service figures across teams for the Overview page.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.overview.dashboard import (
    FilterOptions,
    Overview,
    OverviewFilters,
    display_timezone,
    filter_options,
    load_overview,
)
from qa_app.services.overview.screens import (
    filter_options_screen,
    overview_screen,
)
from qa_app.services.overview.stats import (
    CHANNEL_ORDER,
    FRT_BUCKETS,
)

__all__ = [
    "CHANNEL_ORDER",
    "FRT_BUCKETS",
    "FilterOptions",
    "Overview",
    "OverviewFilters",
    "display_timezone",
    "filter_options",
    "filter_options_screen",
    "load_overview",
    "overview_screen",
]
