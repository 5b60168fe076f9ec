"""An agent's objection to a review, and the reviewer's or lead's decision on it.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.disputes.actions import (
    do_raise_dispute,
    do_resolve_dispute,
)
from qa_app.services.disputes.decisions import (
    raise_dispute,
    resolve_dispute,
)
from qa_app.services.disputes.listing import (
    DisputeInfo,
    GradeLine,
    ReviewSummary,
    counts_for_agent,
    list_disputes,
    review_summary,
    visible_reviews,
)
from qa_app.services.disputes.screens import (
    DisputesScreen,
    disputes_screen,
)

__all__ = [
    "DisputeInfo",
    "DisputesScreen",
    "GradeLine",
    "ReviewSummary",
    "counts_for_agent",
    "disputes_screen",
    "do_raise_dispute",
    "do_resolve_dispute",
    "list_disputes",
    "raise_dispute",
    "resolve_dispute",
    "review_summary",
    "visible_reviews",
]
