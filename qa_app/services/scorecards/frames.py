"""Period and review frames: the rows every agent-level figure is computed from.

These are building blocks other areas (coaching) may call through the package: one query
each, aggregated in the database where the figure allows it (criterion grades arrive as
counts per agent, criterion and level, not one row per grade), and timestamps parsed by
pandas in one vectorised step rather than row by row through the ORM.

A review counts for an agent when it was submitted (submitted, disputed or final) and
its conversation started inside the period. Calibration reviews never count towards an
agent's score (several reviewers grade the same conversation on purpose); they are kept
in the frame, flagged, because reviewer severity is measured on them.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import String, extract, func, select, type_coerce
from sqlalchemy.orm import Session

from qa_app.services.errors import InvalidInput
from qa_app.services.row_frames import rows_frame, utc_times
from qa_app.storage.models import (
    Agent,
    Conversation,
    GradeChange,
    Review,
    ReviewGrade,
    SurveyRating,
    Team,
)

#: Review statuses that count: a draft is not a grade yet.
COUNTED_STATUSES = ("submitted", "disputed", "final")

REVIEW_COLUMNS = [
    "review_id", "conversation_id", "external_id", "agent_id", "team_id", "reviewer_id",
    "channel", "language", "started_at", "score", "critical_fail", "calibration",
    "rubric_version_id",
]  # fmt: skip

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """Inclusive calendar days (UTC). ``today`` is the injected clock's date: a period
    that runs past it is still under way, and its last week is partial."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidInput(
                f"the period starts ({self.start}) after it ends ({self.end})",
                key="scorecards.error.period_order", start=str(self.start), end=str(self.end),
            )  # fmt: skip

    @property
    def utc_start(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def utc_end(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (for "vs last period")."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-03`` (a month) or ``2026-03-01..2026-03-31`` (inclusive days)."""
        raw = (text or "").strip()
        month = _MONTH.match(raw)
        try:
            if month:
                year, number = int(month.group(1)), int(month.group(2))
                first = date(year, number, 1)
                following = date(year + number // 12, number % 12 + 1, 1)
                return cls(first, following - timedelta(days=1))
            span = _RANGE.match(raw)
            if span:
                return cls(date.fromisoformat(span.group(1)), date.fromisoformat(span.group(2)))
        except ValueError:
            pass
        raise InvalidInput(
            f"period {raw!r} is not YYYY-MM or YYYY-MM-DD..YYYY-MM-DD",
            key="scorecards.error.period_format", text=raw,
        )  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """Which conversations a frame reads; empty tuples mean "all"."""

    agent_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


def conditions(period: Period, scope: Scope) -> list:
    conditions = [
        Conversation.started_at >= period.utc_start,
        Conversation.started_at < period.utc_end,
    ]
    if scope.agent_ids:
        conditions.append(Conversation.agent_id.in_(scope.agent_ids))
    if scope.team_ids:
        conditions.append(Conversation.team_id.in_(scope.team_ids))
    if scope.channels:
        conditions.append(Conversation.channel.in_(scope.channels))
    if scope.languages:
        conditions.append(Conversation.language.in_(scope.languages))
    return conditions


def _build_review_frame(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
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


def _build_grade_counts(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
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


def _build_conversation_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
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


def _build_survey_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
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


def agent_directory(session: Session) -> pd.DataFrame:
    """Every agent with their team: id, login, display name, team id and name."""
    rows = session.execute(
        select(Agent.id, Agent.login, Agent.display_name, Agent.team_id, Team.name)
        .outerjoin(Team, Team.id == Agent.team_id)
        .order_by(Agent.display_name, Agent.login)
    ).all()
    return pd.DataFrame(rows, columns=["agent_id", "login", "name", "team_id", "team"])


def data_days(session: Session) -> tuple[date | None, date | None]:
    """First and last day with conversations (UTC), for the default period."""
    first, last = session.execute(
        select(func.min(Conversation.started_at), func.max(Conversation.started_at))
    ).one()
    return (first.date() if first else None, last.date() if last else None)


def channel_language_choices(session: Session) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Distinct channels and languages in the data, for the filters."""
    channels = session.scalars(
        select(Conversation.channel).distinct().order_by(Conversation.channel)
    )
    languages = session.scalars(
        select(Conversation.language).distinct().order_by(Conversation.language)
    )
    return tuple(channels), tuple(languages)


def _build_response_times(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
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


# --- cached frames ------------------------------------------------------------------------
#
# A lead, a trainer and an export all read the same frames for the same period and scope.
# Each frame is kept (per database, frame and arguments) with a stamp of the data it was
# read from; a later call whose stamp matches gets a copy without touching the big tables.
# Anything that changes a counted figure (a submitted or corrected review, a grade change
# from a dispute, an import) moves the stamp.

_CACHE: OrderedDict[tuple, tuple[tuple, pd.DataFrame]] = OrderedDict()
_LOCK = threading.Lock()  # the app serves several sessions from threads
_CACHE_SIZE = 48
_STAMP = "scorecards.data_stamp"


def data_stamp(session: Session) -> tuple:
    """What the frames depend on, read once per unit of work (a handful of indexed
    aggregates, milliseconds on 100,000 conversations)."""
    stamp = session.info.get(_STAMP)
    if stamp is None:
        reviews = session.execute(select(func.count(), func.max(Review.updated_at),
                                         func.max(Review.id))).one()  # fmt: skip
        conversations = session.execute(
            select(func.count(), func.max(Conversation.updated_at), func.max(Conversation.id))
        ).one()
        grades = session.execute(select(func.max(ReviewGrade.id))).one()
        changes = session.execute(select(func.count()).select_from(GradeChange)).one()
        stamp = (*reviews, *conversations, *grades, *changes)
        session.info[_STAMP] = stamp
    return stamp


def _cached(session: Session, build, *args) -> pd.DataFrame:
    key = (str(session.get_bind().url), build.__name__, args)
    stamp = data_stamp(session)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == stamp:
            _CACHE.move_to_end(key)
            return hit[1].copy()
    frame = build(session, *args)
    with _LOCK:
        _CACHE[key] = (stamp, frame.copy())
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return frame


def _build_conversation_counts(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    rows = session.execute(
        select(Conversation.agent_id, func.count())
        .where(*conditions(period, scope), Conversation.agent_id.is_not(None))
        .group_by(Conversation.agent_id)
    ).all()
    return rows_frame(rows, ["agent_id", "n"])


def conversation_counts(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """Conversations per agent in scope (SQL ``GROUP BY``): the base of review coverage."""
    return _cached(session, _build_conversation_counts, period, scope)


def forget_frames() -> None:
    """Drop every cached frame (tests; a restore of a backup)."""
    with _LOCK:
        _CACHE.clear()


def review_frame(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per counted review (``REVIEW_COLUMNS``), calibration reviews flagged."""
    return _cached(session, _build_review_frame, period, scope)


def grade_counts(session: Session, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Counted grades per (agent, rubric version, criterion, value): SQL ``GROUP BY``."""
    return _cached(session, _build_grade_counts, period, scope)


def conversation_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """One row per conversation in scope: timing, survey answers, escalation, status."""
    return _cached(session, _build_conversation_frame, period, scope)


def response_times(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """(weekday, hour, frt seconds) of the conversations in scope with a first response."""
    return _cached(session, _build_response_times, period, scope)


def survey_frame(session: Session, period: Period, scope: Scope) -> pd.DataFrame:
    """Multi-attribute survey ratings of the conversations in scope (``SURVEY_COLUMNS``)."""
    return _cached(session, _build_survey_frame, period, scope)
