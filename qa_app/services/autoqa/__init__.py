"""Automatic scoring in the app: scoring runs, stored scores, suggestions and agreement.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.autoqa.agreement import AgreementReport, agreement_reports
from qa_app.services.autoqa.calibrated_models import MIN_CALIBRATION_REVIEWS
from qa_app.services.autoqa.conversation_scores import (
    AutoScoreItem,
    ConversationScores,
    conversation_scores,
)
from qa_app.services.autoqa.distributions import (
    ALL_POINTS_UP_TO,
    signal_distribution_screen,
)
from qa_app.services.autoqa.queries import (
    KEY_SIGNALS,
    MessageEvidence,
    ScoringStatus,
    agent_signal_frame,
    message_evidence,
    scoring_status,
)
from qa_app.services.autoqa.review_suggestions import (
    Suggestion,
    suggestions_for,
)
from qa_app.services.autoqa.scoring_runs import (
    DEFAULT_BATCH,
    current_pipeline_version,
    score_conversations,
)
from qa_app.services.autoqa.screens import (
    AgreementScreen,
    AutoqaScreen,
    agreement_screen,
    autoqa_screen,
    do_score_conversations,
    handover_screen,
)
from qa_app.services.autoqa.training import (
    FOLDS,
)
from qa_app.services.use_case import atomic  # noqa: E402

do_conversation_scores = atomic(conversation_scores)

__all__ = [
    "ALL_POINTS_UP_TO",
    "AutoScoreItem",
    "ConversationScores",
    "conversation_scores",
    "do_conversation_scores",
    "AgreementReport",
    "AgreementScreen",
    "AutoqaScreen",
    "DEFAULT_BATCH",
    "FOLDS",
    "KEY_SIGNALS",
    "MIN_CALIBRATION_REVIEWS",
    "MessageEvidence",
    "ScoringStatus",
    "Suggestion",
    "agent_signal_frame",
    "agreement_reports",
    "agreement_screen",
    "autoqa_screen",
    "handover_screen",
    "current_pipeline_version",
    "do_score_conversations",
    "message_evidence",
    "score_conversations",
    "scoring_status",
    "signal_distribution_screen",
    "suggestions_for",
]
