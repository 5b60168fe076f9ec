"""The reviewer's work: queues, opening a conversation, drafts, submission, scores.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.reviews.actions import (
    do_save_draft,
    do_submit_review,
)
from qa_app.services.reviews.grading import (
    GradeInput,
    ReviewContext,
    ReviewDraft,
    SavedReview,
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
from qa_app.services.reviews.screens import (
    QueueScreen,
    ReviewScreen,
    queue_screen,
    review_screen,
)

__all__ = [
    "GradeInput",
    "QueueCounts",
    "QueueItem",
    "QueueScreen",
    "ReviewContext",
    "ReviewDraft",
    "ReviewScreen",
    "SavedReview",
    "all_queues",
    "do_save_draft",
    "do_submit_review",
    "list_queue",
    "next_assignment",
    "open_review",
    "preview_score",
    "queue_counts",
    "queue_screen",
    "review_screen",
    "reviewer_options",
    "save_draft",
    "stored_score",
    "submit_review",
]
