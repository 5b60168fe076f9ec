"""The reviewer's work: queues, opening a conversation, drafts, submission, scores.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.reviews.grading import (
    GradeInput,
    ReviewContext,
    ReviewDraft,
    open_review,
    preview_score,
    save_draft,
    stored_score,
    submit_review,
)
from qa_app.services.reviews.queue import (
    QueueCounts,
    QueueItem,
    all_queues,
    list_queue,
    next_assignment,
    queue_counts,
    reviewer_options,
)

__all__ = [
    "GradeInput",
    "QueueCounts",
    "QueueItem",
    "ReviewContext",
    "ReviewDraft",
    "all_queues",
    "list_queue",
    "next_assignment",
    "open_review",
    "preview_score",
    "queue_counts",
    "reviewer_options",
    "save_draft",
    "stored_score",
    "submit_review",
]
