"""Typed SQLAlchemy 2.0 models: the core of the data model in DESIGN.md.

Mystery-shopper tables (scenarios, visits, answers, attachments) came with migration 0008. Coaching topics live in ``rubrics/coaching-topics.yaml``, not in a table; plans
and sessions (migration 0009) refer to a topic by its slug.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from qa_app.storage.types import JsonValue, UtcDateTime, utc_now

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "lead", "reviewer", "trainer", "agent", "shopper")
CHANNELS = ("phone", "email", "chat", "messenger", "social")
LANGUAGES = ("ru", "en")
MESSAGE_ROLES = ("customer", "agent", "system", "bot")
CONVERSATION_STATUSES = ("resolved", "open", "pending")
REVIEW_STATUSES = ("draft", "submitted", "disputed", "final")
ASSIGNMENT_STATUSES = ("pending", "in_progress", "done", "cancelled")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JsonValue, list[Any]: JsonValue}


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    agents: Mapped[list[Agent]] = relationship(back_populates="team")


class Agent(Base):
    """A support agent as seen in conversations (``author`` of agent messages).

    ``is_bot`` marks a chatbot or AI agent (the author of ``bot`` messages, migration 0019):
    it is reported as an agent of its own, beside the people (docs/architecture.md)."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    team: Mapped[Team | None] = relationship(back_populates="agents")


class User(Base):
    """Someone who signs in. An agent user is linked to their Agent and sees only their own."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="en")
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    #: ``issuer|subject`` of a single sign-on account (None: a local password account).
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True)

    agent: Mapped[Agent | None] = relationship()


class SignInSession(Base):
    """A browser's signed-in session, so a page reload does not sign the user out.

    Only a SHA-256 of the random token is stored: a copy of this table cannot be replayed
    as a cookie. ``revoked_at`` ends it early (sign-out, password change, deactivation).
    """

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiToken(Base):
    """A personal token for the REST API (``qa-studio api``), acting as its user.

    Only a SHA-256 of the token is stored, so a copy of this table cannot be used to call
    the API; ``prefix`` (the token's first characters) lets a user tell tokens apart.
    A revoked token, or one of a deactivated user, is refused.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    #: Refused from this moment on (None only for rows written before expiry existed).
    expires_at: Mapped[datetime | None]


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_conversations_source_external_id"),
        Index("ix_conversations_agent_started", "agent_id", "started_at"),
        Index("ix_conversations_customer_started", "customer_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(120), default="import")
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(2), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    customer_id: Mapped[str | None] = mapped_column(String(200))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="resolved")
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    subject: Mapped[str | None] = mapped_column(String(500))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    first_response_seconds: Mapped[float | None] = mapped_column(Float)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Personal data masked at import, per kind ({"email": 2, "phone": 1}); migration 0012.
    masked_items: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.seq", cascade="all, delete-orphan"
    )
    team: Mapped[Team | None] = relationship()
    agent: Mapped[Agent | None] = relationship()


class SurveyRating(Base):
    """One answer of a multi-attribute customer survey: how satisfied the customer of a
    conversation was with one attribute (speed, courtesy ...) on 1-5, and how important it
    is (a positive weight; None = not stated). The CSI is computed from these rows
    (docs/statistics.md, "CSI"); a re-import replaces a conversation's rows (migration 0017).
    """

    __tablename__ = "survey_ratings"
    __table_args__ = (
        UniqueConstraint(
            "conversation_id", "attribute", name="uq_survey_ratings_conversation_attribute"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    attribute: Mapped[str] = mapped_column(String(60))
    satisfaction: Mapped[int] = mapped_column(Integer)
    importance: Mapped[float | None] = mapped_column(Float)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "seq", name="uq_messages_conv_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(10))
    author: Mapped[str | None] = mapped_column(String(200))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None]

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class ImportRun(Base):
    """One import of one file: what came in and what happened to it.

    ``status`` is running, finished or interrupted. A process that is killed cannot say it
    stopped, so a running import leaves ``heartbeat_at`` (renewed as it works) and its
    ``pid``/``host``: the next import and the history mark it interrupted when the process
    is gone or has been silent too long (migration 0005)."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running", server_default="finished")
    heartbeat_at: Mapped[datetime | None]
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected_rows: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120), default="system")
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity_type: Mapped[str] = mapped_column(String(80), default="")
    entity_id: Mapped[str] = mapped_column(String(80), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- Rubrics and the reviewer's workflow (migration 0002) -------------------------------


class Rubric(Base):
    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    versions: Mapped[list[RubricVersion]] = relationship(
        back_populates="rubric", order_by="RubricVersion.version"
    )


class RubricVersion(Base):
    """An immutable version of a rubric; reviews keep the version they were graded on."""

    __tablename__ = "rubric_versions"
    __table_args__ = (UniqueConstraint("rubric_id", "version", name="uq_rubric_versions_rv"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    change_note: Mapped[str] = mapped_column(Text, default="")

    rubric: Mapped[Rubric] = relationship(back_populates="versions")


class CalibrationSession(Base):
    __tablename__ = "calibration_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    closed_at: Mapped[datetime | None]
    #: A lead's decision (migration 0011): the session's grades count as the agents'
    #: evaluation. Until then agents never see them and nobody may dispute them.
    counts_for_agents: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    counted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[datetime | None]


class CalibrationConsensus(Base):
    """The grade a calibration lead records as the agreed answer, with notes."""

    __tablename__ = "calibration_consensus"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "conversation_id", "criterion_id", name="uq_calibration_consensus_item"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    criterion_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utc_now)


class Assignment(Base):
    """A conversation put in a reviewer's queue by sampling or a calibration session."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_reviewer_status", "reviewer_id", "status"),
        Index("ix_assignments_conversation", "conversation_id"),
        # Outside calibration a conversation is reviewed once: the database enforces it,
        # so two leads sampling at the same moment cannot double-assign.
        Index(
            "uq_assignments_single_review",
            "conversation_id",
            unique=True,
            sqlite_where=text("calibration_session_id IS NULL AND status <> 'cancelled'"),
            postgresql_where=text("calibration_session_id IS NULL AND status <> 'cancelled'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    calibration_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration_sessions.id")
    )
    status: Mapped[str] = mapped_column(String(20), default="pending")
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    sample_label: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    due_at: Mapped[datetime | None]
    #: The run of a recurring plan that created it (None for one-off samples and by hand).
    plan_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_plan_runs.id"), index=True
    )

    conversation: Mapped[Conversation] = relationship()


class Review(Base):
    """A reviewer's grading of one conversation against one rubric version.

    ``lock_version`` implements optimistic locking: two reviewers (or two tabs) cannot
    silently overwrite each other.
    """

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_conversation", "conversation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), unique=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    calibration_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration_sessions.id")
    )
    status: Mapped[str] = mapped_column(String(20), default="draft")
    overall_score: Mapped[float | None] = mapped_column(Float)
    critical_fail: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    submitted_at: Mapped[datetime | None]
    #: When the agent whose conversation it is acknowledged having read it (My results).
    acknowledged_at: Mapped[datetime | None]

    grades: Mapped[list[ReviewGrade]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": lock_version}


class ReviewGrade(Base):
    __tablename__ = "review_grades"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id", name="uq_review_grades_rc"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Float)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    auto_value: Mapped[float | None] = mapped_column(Float)
    #: N/A because the criterion's ``applies_when`` did not hold (migration 0010).
    auto_na: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    review: Mapped[Review] = relationship(back_populates="grades")


class GradeChange(Base):
    """History of a grade: every change after submission, with who, why and which dispute."""

    __tablename__ = "grade_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(120))
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float | None] = mapped_column(Float)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utc_now)
    #: changed | kept (accepted, grade kept) | rejected (migration 0010).
    decision: Mapped[str] = mapped_column(String(20), default="changed", server_default="changed")


class Dispute(Base):
    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    criterion_id: Mapped[str | None] = mapped_column(String(120))
    raised_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    proposed_value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    resolved_at: Mapped[datetime | None]


# --- Automatic scoring (migration 0003) ---------------------------------------------------


class AutoScore(Base):
    """One automatic score: per message (``message_id`` set) or per conversation.

    ``task`` is the scorer or signal name; ``scorer_version`` lets a scorer change trigger
    rescoring. Evidence holds the spans and rules that explain the score.
    """

    __tablename__ = "auto_scores"
    __table_args__ = (
        Index("ix_auto_scores_conversation_task", "conversation_id", "task"),
        Index("ix_auto_scores_message", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    task: Mapped[str] = mapped_column(String(60))
    scorer_version: Mapped[str] = mapped_column(String(80))
    label: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class AutoScoreRun(Base):
    """Which conversation was scored with which pipeline version and content hash."""

    __tablename__ = "auto_score_runs"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    pipeline_version: Mapped[str] = mapped_column(String(120))
    content_hash: Mapped[str] = mapped_column(String(64))
    signals: Mapped[dict[str, Any]] = mapped_column(default=dict)
    scored_at: Mapped[datetime] = mapped_column(default=utc_now)


class ScoringJobFailure(Base):
    """Why a scoring job on the task queue failed (``qa-studio worker``): the queue keeps
    only the job's state, so the reason the queue page shows is written here (0022)."""

    __tablename__ = "scoring_job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(BigInteger, index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    conversations: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    failed_at: Mapped[datetime] = mapped_column(default=utc_now)


# --- Planned sampling: recurring plans, their runs, reviewer goals (migration 0006) --------


class AssignmentPlan(Base):
    """A recurring sample a lead defines once: on its schedule it fills reviewers' queues.

    ``weekdays`` (0 = Monday) and ``run_at`` (``"07:00"``) are local to ``timezone``; one
    weekday makes a weekly plan (one run per ISO week), several a daily one (one run per
    day). ``filters`` is a ``ConversationFilters`` document without dates: each run takes
    the conversations that started since the previous scheduled run.
    """

    __tablename__ = "assignment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    weekdays: Mapped[list[Any]] = mapped_column(default=list)
    run_at: Mapped[str] = mapped_column(String(5), default="07:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    strategy: Mapped[str] = mapped_column(String(20), default="stratified")
    quota_per_agent: Mapped[int] = mapped_column(Integer, default=5)
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reviewer_ids: Mapped[list[Any]] = mapped_column(default=list)
    rubric_slug: Mapped[str | None] = mapped_column(String(120))
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Scheduled runs before this moment are never due (a new plan does not back-fill).
    active_from: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class AssignmentPlanRun(Base):
    """One period of one plan. The unique (plan, period) key makes running a plan twice
    for the same week a no-op, even when two schedulers start at the same moment."""

    __tablename__ = "assignment_plan_runs"
    __table_args__ = (
        UniqueConstraint("plan_id", "period_key", name="uq_assignment_plan_runs_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("assignment_plans.id"), index=True)
    period_key: Mapped[str] = mapped_column(String(20))
    occurrence_at: Mapped[datetime]
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    ran_at: Mapped[datetime] = mapped_column(default=utc_now)
    ran_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120), default="system")
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    left_out: Mapped[int] = mapped_column(Integer, default=0)
    capacity_override: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReviewerGoal(Base):
    """How many reviews a week a lead expects of one reviewer; the base of their capacity."""

    __tablename__ = "reviewer_goals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    weekly_reviews: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class CoachingPlan(Base):
    """A trainer's plan to coach one topic (``rubrics/coaching-topics.yaml``) with one agent
    or a group, by a due date. ``lock_version`` makes two trainers' edits of the same plan
    end in a conflict rather than in the later one silently winning."""

    __tablename__ = "coaching_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(120), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    due_at: Mapped[datetime]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    agents: Mapped[list[CoachingPlanAgent]] = relationship(
        cascade="all, delete-orphan", order_by="CoachingPlanAgent.agent_id"
    )
    sessions: Mapped[list[CoachingSession]] = relationship(
        cascade="all, delete-orphan", order_by="CoachingSession.held_at"
    )

    __mapper_args__ = {"version_id_col": lock_version}


class CoachingPlanAgent(Base):
    """An agent a coaching plan is for (one row for a one-to-one plan, several for a group)."""

    __tablename__ = "coaching_plan_agents"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_plans.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True, index=True)


class CoachingSession(Base):
    """One session held under a plan: when, which exercises, the trainer's notes."""

    __tablename__ = "coaching_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_plans.id", ondelete="CASCADE"), index=True
    )
    held_at: Mapped[datetime]
    exercises: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)

    confirmations: Mapped[list[CoachingConfirmation]] = relationship(cascade="all, delete-orphan")


class CoachingConfirmation(Base):
    """An agent confirms they took part in a session (their side of the record)."""

    __tablename__ = "coaching_confirmations"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utc_now)


# --- Personal data: retention policies and the aggregates kept after a purge (0012) -------


class RetentionPolicy(Base):
    """How long conversations from one ``source`` are kept (days after they started).

    A table rather than a settings file: the admin changes it in the app, the change is
    audited, and every app server and cron job of one deployment reads the same value."""

    __tablename__ = "retention_policies"

    source: Mapped[str] = mapped_column(String(120), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class AgentWeekAggregate(Base):
    """What scorecards need of conversations a retention purge deleted: per source, agent,
    ISO week and channel, the counts and sums that averages and trends are computed from.

    Written in the purge's transaction just before the rows go, so a scorecard over a
    purged week still has its volume, CSAT, review scores and automatic-score means. No
    text, no customer id: nothing here identifies a customer."""

    __tablename__ = "agent_week_aggregates"
    __table_args__ = (Index("ix_agent_week_aggregates_agent_week", "agent_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(120))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    week_start: Mapped[datetime]  # Monday 00:00 UTC
    channel: Mapped[str] = mapped_column(String(20))
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    escalated: Mapped[int] = mapped_column(Integer, default=0)
    csat_sum: Mapped[int] = mapped_column(Integer, default=0)
    csat_count: Mapped[int] = mapped_column(Integer, default=0)
    first_response_sum: Mapped[float] = mapped_column(Float, default=0.0)
    first_response_count: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    review_score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    critical_fails: Mapped[int] = mapped_column(Integer, default=0)
    #: Per automatic-score task: {"task": [sum of scores, how many]} (conversation level).
    auto_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    purged_at: Mapped[datetime] = mapped_column(default=utc_now)


class ImportMapping(Base):
    """A named column mapping for importing any CSV/XLSX (``ingest.mapping.ColumnMapping``
    as a document), saved on the Import page or with ``qa-studio mapping save``."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


# --- Mystery shopping: scenarios, visits, their answers and attachments (migration 0008) ---


class MysteryScenario(Base):
    """A staged contact a shopper performs. Texts are ``{"en": ..., "ru": ...}`` (either may
    be missing when a lead typed one language); ``checklist`` is the rubric id graded with."""

    __tablename__ = "mystery_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[dict[str, Any]] = mapped_column(default=dict)
    channel: Mapped[str] = mapped_column(String(20))
    persona: Mapped[dict[str, Any]] = mapped_column(default=dict)
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    correct_answer: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checklist: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class MysteryVisit(Base):
    """One staged contact and what the shopper saw. ``channel`` is copied from the scenario
    so reports group without a join; ``overall_score`` is the checklist's score maths."""

    __tablename__ = "mystery_visits"
    __table_args__ = (
        Index("ix_mystery_visits_contacted", "contacted_at"),
        Index("ix_mystery_visits_agent_contacted", "agent_id", "contacted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("mystery_scenarios.id"), index=True)
    shopper_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    external_ref: Mapped[str | None] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    contacted_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    checklist: Mapped[str] = mapped_column(String(120))
    checklist_version: Mapped[int] = mapped_column(Integer, default=1)
    overall_score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    critical_fail: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None]
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    answers: Mapped[list[MysteryAnswer]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    scenario: Mapped[MysteryScenario] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


class MysteryAnswer(Base):
    """One checklist item of one visit: the level given (None when not applicable), whether
    it counts as failed under the checklist's rule, and the shopper's comment."""

    __tablename__ = "mystery_answers"
    __table_args__ = (UniqueConstraint("visit_id", "criterion_id", name="uq_mystery_answers_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("mystery_visits.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[float | None] = mapped_column(Float)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")

    visit: Mapped[MysteryVisit] = relationship(back_populates="answers")


class MysteryAttachment(Base):
    """A screenshot or audio note of a visit. The bytes live in the data folder under
    ``stored_name`` (random); ``original_name`` is only shown, never used as a path."""

    __tablename__ = "mystery_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("mystery_visits.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(60))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
