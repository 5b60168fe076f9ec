"""An agent's own results ("My results"): their reviews with transcripts, grades, comments
and automatic signals, acknowledgement, and the weekly trend of their score; for leads,
how many reviews agents have not acknowledged. Disputes go through ``disputes``.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.results.acknowledgement import acknowledge_review
from qa_app.services.results.actions import do_acknowledge_review
from qa_app.services.results.listing import (
    PAGE_SIZE,
    RESULT_STATES,
    AutoSignal,
    ResultItem,
    ResultsPage,
    my_results,
    score_trend,
    unacknowledged_counts,
)
from qa_app.services.results.screens import my_results_screen

__all__ = [
    "PAGE_SIZE",
    "RESULT_STATES",
    "AutoSignal",
    "ResultItem",
    "ResultsPage",
    "acknowledge_review",
    "do_acknowledge_review",
    "my_results",
    "my_results_screen",
    "score_trend",
    "unacknowledged_counts",
]
