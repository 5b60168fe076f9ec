"""Typed SQLAlchemy 2.0 models: the core of the data model in DESIGN.md, one module per area.

Every model is imported here, so ``from qa_app.storage.models import X`` works for all of
them and ``Base.metadata`` (what Alembic compares against) holds every table. Mystery-shopper
tables (scenarios, visits, answers, attachments) came with migration 0008. Coaching topics
live in ``rubrics/coaching-topics.yaml``, not in a table; plans and sessions (migration
0009) refer to a topic by its slug.
"""

from qa_app.storage.models.accounts import Agent, ApiToken, SignInSession, Team, User
from qa_app.storage.models.audit import AuditEvent
from qa_app.storage.models.autoqa import AutoScore, AutoScoreRun, ScoringJobFailure
from qa_app.storage.models.base import (
    ASSIGNMENT_STATUSES,
    CHANNELS,
    CONVERSATION_STATUSES,
    LANGUAGES,
    MESSAGE_ROLES,
    NAMING,
    REVIEW_STATUSES,
    ROLES,
    Base,
)
from qa_app.storage.models.calibration import CalibrationConsensus, CalibrationSession
from qa_app.storage.models.coaching import (
    CoachingConfirmation,
    CoachingPlan,
    CoachingPlanAgent,
    CoachingSession,
)
from qa_app.storage.models.conversations import Conversation, Message, SurveyRating
from qa_app.storage.models.imports import ImportMapping, ImportRun
from qa_app.storage.models.mystery import (
    MysteryAnswer,
    MysteryAttachment,
    MysteryScenario,
    MysteryVisit,
)
from qa_app.storage.models.privacy import AgentWeekAggregate, RetentionPolicy
from qa_app.storage.models.reviews import (
    Assignment,
    Dispute,
    GradeChange,
    Review,
    ReviewGrade,
    Rubric,
    RubricVersion,
)
from qa_app.storage.models.sampling import AssignmentPlan, AssignmentPlanRun, ReviewerGoal

__all__ = [
    "ASSIGNMENT_STATUSES",
    "CHANNELS",
    "CONVERSATION_STATUSES",
    "LANGUAGES",
    "MESSAGE_ROLES",
    "NAMING",
    "REVIEW_STATUSES",
    "ROLES",
    "Agent",
    "AgentWeekAggregate",
    "ApiToken",
    "Assignment",
    "AssignmentPlan",
    "AssignmentPlanRun",
    "AuditEvent",
    "AutoScore",
    "AutoScoreRun",
    "Base",
    "CalibrationConsensus",
    "CalibrationSession",
    "CoachingConfirmation",
    "CoachingPlan",
    "CoachingPlanAgent",
    "CoachingSession",
    "Conversation",
    "Dispute",
    "GradeChange",
    "ImportMapping",
    "ImportRun",
    "Message",
    "MysteryAnswer",
    "MysteryAttachment",
    "MysteryScenario",
    "MysteryVisit",
    "RetentionPolicy",
    "Review",
    "ReviewGrade",
    "ReviewerGoal",
    "Rubric",
    "RubricVersion",
    "ScoringJobFailure",
    "SignInSession",
    "SurveyRating",
    "Team",
    "User",
]
