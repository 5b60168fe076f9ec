"""Blind calibration sessions: several reviewers grade the same conversations.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.calibration.actions import (
    do_close_session,
    do_record_consensus,
    do_set_counts_for_agents,
    do_start_session,
    start_session,
)
from qa_app.services.calibration.creation import (
    MAX_CONVERSATIONS,
    create_session,
    resolve_conversations,
)
from qa_app.services.calibration.grading import (
    close_session,
    record_consensus,
    set_counts_for_agents,
)
from qa_app.services.calibration.result_types import (
    CalibrationResults,
    CriterionAgreement,
    DiscussionItem,
    Grade,
)
from qa_app.services.calibration.results import calibration_results
from qa_app.services.calibration.screens import (
    CalibrationScreen,
    calibration_screen,
    results_report,
    session_list,
)
from qa_app.services.calibration.sessions import (
    MyAssignment,
    SessionSummary,
    get_session,
    list_sessions,
    my_assignments,
)

__all__ = [
    "CalibrationResults",
    "CalibrationScreen",
    "CriterionAgreement",
    "DiscussionItem",
    "Grade",
    "MAX_CONVERSATIONS",
    "MyAssignment",
    "SessionSummary",
    "calibration_results",
    "calibration_screen",
    "close_session",
    "create_session",
    "do_close_session",
    "do_record_consensus",
    "do_set_counts_for_agents",
    "do_start_session",
    "get_session",
    "list_sessions",
    "my_assignments",
    "record_consensus",
    "resolve_conversations",
    "results_report",
    "session_list",
    "set_counts_for_agents",
    "start_session",
]
