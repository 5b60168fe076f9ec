"""Blind calibration sessions: several reviewers grade the same conversations.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.calibration.grading import (
    MAX_CONVERSATIONS,
    close_session,
    create_session,
    record_consensus,
    resolve_conversations,
)
from qa_app.services.calibration.results import (
    CalibrationResults,
    CriterionAgreement,
    DiscussionItem,
    Grade,
    calibration_results,
)
from qa_app.services.calibration.sessions import (
    SessionSummary,
    get_session,
    list_sessions,
    my_assignments,
)

__all__ = [
    "CalibrationResults",
    "CriterionAgreement",
    "DiscussionItem",
    "Grade",
    "MAX_CONVERSATIONS",
    "SessionSummary",
    "calibration_results",
    "close_session",
    "create_session",
    "get_session",
    "list_sessions",
    "my_assignments",
    "record_consensus",
    "resolve_conversations",
]
