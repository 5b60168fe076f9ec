"""The reviewer's work: queues, opening a conversation, drafts, submission, scores.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.reviews.actions import (
    do_save_draft,
    do_set_goal,
    do_submit_review,
)
from qa_app.services.reviews.goals import (
    MAX_WEEKLY_GOAL,
    GoalProgress,
    goal_progress,
    my_progress,
    reviewer_loads,
    set_goal,
    team_timezone,
)
from qa_app.services.reviews.grading import save_draft, submit_review
from qa_app.services.reviews.opening import open_review
from qa_app.services.reviews.published import (
    MAX_PAGE as MAX_REVIEWS_PAGE,
)
from qa_app.services.reviews.published import (
    PUBLISHED,
    PublishedGrade,
    PublishedReview,
    list_reviews,
    read_review,
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
from qa_app.services.reviews.review_scores import preview_score, stored_score
from qa_app.services.reviews.review_values import (
    GradeInput,
    ReviewContext,
    ReviewDraft,
    SavedReview,
)
from qa_app.services.reviews.screens import (
    QueueScreen,
    ReviewScreen,
    goals_screen,
    queue_screen,
    review_screen,
)
from qa_app.services.use_case import atomic  # noqa: E402

do_list_reviews = atomic(list_reviews)
do_read_review = atomic(read_review)

__all__ = [
    "MAX_REVIEWS_PAGE",
    "PUBLISHED",
    "PublishedGrade",
    "PublishedReview",
    "list_reviews",
    "read_review",
    "do_list_reviews",
    "do_read_review",
    "MAX_WEEKLY_GOAL",
    "GoalProgress",
    "do_set_goal",
    "goal_progress",
    "goals_screen",
    "my_progress",
    "reviewer_loads",
    "set_goal",
    "team_timezone",
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
