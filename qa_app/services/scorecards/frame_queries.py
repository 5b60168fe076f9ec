"""The queries behind the frames: the rows every agent-level figure is computed from.

One query each, aggregated in the database where the figure allows it (criterion grades
arrive as counts per agent, criterion and level, not one row per grade), and timestamps
parsed by pandas in one vectorised step rather than row by row through the ORM.

A review counts for an agent when it was submitted (submitted, disputed or final) and
its conversation started inside the period. Calibration reviews never count towards an
agent's score (several reviewers grade the same conversation on purpose); they are kept
in the frame, flagged, because reviewer severity is measured on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import String, extract, func, select, type_coerce
from sqlalchemy.orm import Session

from qa_app.services.row_frames import rows_frame, utc_times
from qa_app.services.scorecards.period import Period, Scope, conditions
from qa_app.storage.models import Conversation, Review, ReviewGrade, SurveyRating

#: Review statuses that count: a draft is not a grade yet.
COUNTED_STATUSES = ("submitted", "disputed", "final")

REVIEW_COLUMNS = [
    "review_id", "conversation_id", "external_id", "agent_id", "team_id", "reviewer_id",
    "channel", "language", "started_at", "score", "critical_fail", "calibration",
    "rubric_version_id",
]  # fmt: skip


def build_review_frame(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per counted review (``REVIEW_COLUMNS``), calibration reviews flagged."""
    result = session.connection().execute(
        select(
            Review.id, Review.conversation_id, Conversation.external_id, Conversation.agent_id,
            Conversation.team_id, Review.reviewer_id, Conversation.channel,
            Conversation.language, type_coerce(Conversation.started_at, String),
            Review.overall_score, Review.critical_fail,
            Review.calibration_session_id.is_not(None), Review.rubric_version_id,
        )
        .join(Conversation, Conversation.id == Review.conversation_id)
        .where(
            Review.status.in_(COUNTED_STATUSES), Review.overall_score.is_not(None),
            *conditions(period, scope),
        )
        .order_by(Review.id)
    ).all()  # fmt: skip
    frame = rows_frame(result, REVIEW_COLUMNS)
    frame["started_at"] = utc_times(frame["started_at"].tolist())
    frame["score"] = frame["score"].astype(float)
    frame["critical_fail"] = frame["critical_fail"].astype(bool)
    frame["calibration"] = frame["calibration"].astype(bool)
    return frame


def build_grade_counts(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Counted grades per (agent, rubric version, criterion, value): the SQL ``GROUP BY``
    behind criterion means, heat maps and critical-fail counts (N/A grades left out)."""
    rows = session.execute(
        select(
            Conversation.agent_id, Review.rubric_version_id, ReviewGrade.criterion_id,
            ReviewGrade.value, func.count(),
        )
        .join(Review, Review.id == ReviewGrade.review_id)
        .join(Conversation, Conversation.id == Review.conversation_id)
        .where(
            Review.status.in_(COUNTED_STATUSES), Review.calibration_session_id.is_(None),
            Review.overall_score.is_not(None), ReviewGrade.not_applicable.is_(False),
            ReviewGrade.value.is_not(None), *conditions(period, scope),
        )
        .group_by(
            Conversation.agent_id, Review.rubric_version_id, ReviewGrade.criterion_id,
            ReviewGrade.value,
        )
    ).all()  # fmt: skip
    frame = rows_frame(rows, ["agent_id", "rubric_version_id", "criterion_id", "value", "n"])
    return frame.astype({"n": "int64", "value": float})


def review_comments(
    session: Session, review_ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """(criterion id or "" for the overall comment, text) of a few reviews' comments."""
    if not review_ids:
        return {}
    found: dict[int, list[tuple[str, str]]] = {int(i): [] for i in review_ids}
    for review_id, comment in session.execute(
        select(Review.id, Review.comment).where(Review.id.in_(list(found)))
    ):
        if comment and comment.strip():
            found[review_id].append(("", comment.strip()))
    for review_id, criterion, comment in session.execute(
        select(ReviewGrade.review_id, ReviewGrade.criterion_id, ReviewGrade.comment)
        .where(ReviewGrade.review_id.in_(list(found)), ReviewGrade.comment != "")
        .order_by(ReviewGrade.id)
    ):
        found[review_id].append((criterion, comment.strip()))
    return found


CONVERSATION_COLUMNS = [
    "conversation_id", "agent_id", "team_id", "channel", "language", "started_at",
    "customer_id", "frt", "csat", "nps", "escalated", "status",
]  # fmt: skip


def build_conversation_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """One row per conversation in scope: timing, survey answers, escalation, status."""
    result = session.connection().execute(
        select(
            Conversation.id, Conversation.agent_id, Conversation.team_id, Conversation.channel,
            Conversation.language, type_coerce(Conversation.started_at, String),
            Conversation.customer_id, Conversation.first_response_seconds, Conversation.csat,
            Conversation.nps, Conversation.escalated, Conversation.status,
        ).where(*conditions(period, scope))
    ).all()  # fmt: skip
    frame = rows_frame(result, CONVERSATION_COLUMNS)
    frame["started_at"] = utc_times(frame["started_at"].tolist())
    for column in ("frt", "csat", "nps"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["escalated"] = frame["escalated"].astype(bool)
    return frame


SURVEY_COLUMNS = ["respondent", "customer_id", "attribute", "rating", "importance"]


def build_survey_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """One row per rated survey attribute of the conversations in scope (the CSI's input;
    the respondent is the conversation: one survey answer per conversation)."""
    rows = (
        session.connection()
        .execute(
            select(
                SurveyRating.conversation_id, Conversation.customer_id, SurveyRating.attribute,
                SurveyRating.satisfaction, SurveyRating.importance,
            )
            .join(Conversation, Conversation.id == SurveyRating.conversation_id)
            .where(*conditions(period, scope))
            .order_by(SurveyRating.conversation_id, SurveyRating.attribute)
        )
        .all()
    )  # fmt: skip
    frame = rows_frame(rows, SURVEY_COLUMNS)
    frame["rating"] = pd.to_numeric(frame["rating"], errors="coerce").astype(float)
    frame["importance"] = pd.to_numeric(frame["importance"], errors="coerce").astype(float)
    return frame


def later_contacts(
    session: Session, customer_ids: Sequence[str], since: datetime, until: datetime
) -> pd.DataFrame:
    """(customer_id, started_at) of every conversation of these customers in a window: what
    first-contact resolution looks for after each of the agent's conversations."""
    ids = sorted({c for c in customer_ids if c})
    chunks = [ids[i : i + 900] for i in range(0, len(ids), 900)]  # SQLite's variable limit
    rows: list = []
    for chunk in chunks:
        rows += (
            session.connection()
            .execute(
                select(
                    Conversation.customer_id, type_coerce(Conversation.started_at, String)
                ).where(
                    Conversation.customer_id.in_(chunk),
                    Conversation.started_at >= since,
                    Conversation.started_at < until,
                )
            )
            .all()
        )
    frame = rows_frame(rows, ["customer_id", "started_at"])
    frame["started_at"] = utc_times(frame["started_at"].tolist())
    return frame


def build_response_times(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """(weekday 0 = Monday, hour, frt seconds) of the conversations in scope that have a
    first response, UTC. The database turns each start into seconds since 1970 (both
    dialects count them in UTC), so no timestamp text is parsed here."""
    rows = (
        session.connection()
        .execute(
            select(
                extract("epoch", Conversation.started_at), Conversation.first_response_seconds
            ).where(*conditions(period, scope), Conversation.first_response_seconds.is_not(None))
        )
        .all()
    )
    frame = rows_frame(rows, ["epoch", "frt"])
    seconds = pd.to_numeric(frame["epoch"], errors="coerce").to_numpy(dtype=float)
    days = np.floor(seconds / 86400.0)
    return pd.DataFrame({
        "weekday": ((days + 3) % 7).astype(int),  # 1970-01-01 was a Thursday
        "hour": ((seconds - days * 86400.0) // 3600).astype(int),
        "frt": pd.to_numeric(frame["frt"], errors="coerce").to_numpy(dtype=float),
    })  # fmt: skip


def build_conversation_counts(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    rows = session.execute(
        select(Conversation.agent_id, func.count())
        .where(*conditions(period, scope), Conversation.agent_id.is_not(None))
        .group_by(Conversation.agent_id)
    ).all()
    return rows_frame(rows, ["agent_id", "n"])
