"""Rubrics and the reviewer's workflow (migration 0002): assignments, reviews,
their grades, the history of changed grades and disputes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now

if TYPE_CHECKING:
    from qa_app.storage.models.conversations import Conversation


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
