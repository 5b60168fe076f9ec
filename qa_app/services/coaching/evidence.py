"""Reading the evidence coaching works from: criterion scores of submitted reviews, the
automatic signals of conversations, and excerpts of reviewed conversations.

Each loader is one grouped query returning a plain DataFrame, small enough to move beside
the agent scorecards when that area lands. The rubric of a review is parsed from its
stored version here (not through the rubrics area, which itself reads the coaching
catalogue: the arrow between the two areas points one way).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from qa_app.services.row_frames import rows_frame, utc_times
from qa_app.storage.models import (
    Agent,
    AutoScoreRun,
    Conversation,
    Message,
    Review,
    ReviewGrade,
    RubricVersion,
    Team,
)
from qa_app.storage.models import (
    Rubric as RubricRow,
)
from scoring.rubric.files import check_rubric_text
from scoring.rubric.model import Rubric

#: Reviews that count as evidence: finished (a draft may still change), outside calibration.
DONE = ("submitted", "disputed", "final")
SCORE_COLUMNS = [
    "review_id",
    "conversation_id",
    "agent_id",
    "team_id",
    "channel",
    "started_at",
    "version_id",
    "criterion_id",
    "score",
]
SIGNAL_COLUMNS = [
    "conversation_id",
    "agent_id",
    "team_id",
    "channel",
    "started_at",
    "signal",
    "score",
]

_RUBRICS: dict[tuple[str, int], tuple[str, Rubric]] = {}


@dataclass(frozen=True, slots=True)
class Window:
    """Which conversations count: started in [since, until) and, optionally, one team's or
    some agents'. ``None`` leaves that side open."""

    since: datetime | None = None
    until: datetime | None = None
    team_id: int | None = None
    agent_ids: tuple[int, ...] | None = None
    channel: str | None = None

    def conditions(self) -> list:
        found = []
        if self.since is not None:
            found.append(Conversation.started_at >= self.since)
        if self.until is not None:
            found.append(Conversation.started_at < self.until)
        if self.team_id is not None:
            found.append(Conversation.team_id == self.team_id)
        if self.agent_ids is not None:
            found.append(Conversation.agent_id.in_(self.agent_ids))
        if self.channel is not None:
            found.append(Conversation.channel == self.channel)
        return found


def rubric_version(session: Session, version_id: int) -> tuple[str, Rubric]:
    """(slug, parsed rubric) of a stored version; versions never change, so cached."""
    key = (str(session.get_bind().url), version_id)
    if key not in _RUBRICS:
        row = session.execute(
            select(RubricRow.slug, RubricVersion.yaml_text)
            .join(RubricRow, RubricRow.id == RubricVersion.rubric_id)
            .where(RubricVersion.id == version_id)
        ).one()
        rubric, problems = check_rubric_text(row.yaml_text)
        if rubric is None:
            raise ValueError(f"stored rubric version {version_id} no longer parses: {problems}")
        if len(_RUBRICS) > 256:
            _RUBRICS.clear()
        _RUBRICS[key] = (row.slug, rubric)
    return _RUBRICS[key]


def newest_version_id(session: Session, version_ids: Iterable[int]) -> int | None:
    ids = sorted(set(version_ids))
    return ids[-1] if ids else None


def criterion_scores(session: Session, window: Window) -> pd.DataFrame:
    """One row per graded criterion of every finished review in ``window``: its 0-100
    score (position on the criterion's scale). N/A grades are left out."""
    query = (
        select(
            Review.id,
            Review.conversation_id,
            Conversation.agent_id,
            Conversation.team_id,
            Conversation.channel,
            type_coerce(Conversation.started_at, String),
            Review.rubric_version_id,
            ReviewGrade.criterion_id,
            ReviewGrade.value,
        )
        .join(Conversation, Conversation.id == Review.conversation_id)
        .join(ReviewGrade, ReviewGrade.review_id == Review.id)
        .where(
            Review.status.in_(DONE),
            Review.calibration_session_id.is_(None),
            ReviewGrade.value.is_not(None),
            ReviewGrade.not_applicable.is_(False),
            Conversation.agent_id.is_not(None),
            *window.conditions(),
        )
    )
    rows = session.connection().execute(query).all()
    if not rows:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    frame = rows_frame(rows, [*SCORE_COLUMNS[:-1], "value"])
    frame["started_at"] = utc_times(frame["started_at"].tolist())
    keys = ["version_id", "criterion_id", "value"]
    grades = frame[keys].drop_duplicates()  # a few hundred distinct grades, not every row
    positions = []
    for version_id, criterion_id, value in grades.itertuples(index=False):
        _, rubric = rubric_version(session, int(version_id))
        known = criterion_id in rubric.criterion_ids()
        positions.append(rubric.criterion(criterion_id).scale.position(value) if known else None)
    scores = grades.assign(score=pd.Series(positions, index=grades.index, dtype=float))
    frame = frame.merge(scores, on=keys, how="left", sort=False)
    return frame.drop(columns="value").dropna(subset=["score"]).reset_index(drop=True)


def signal_scores(session: Session, window: Window, names: Iterable[str]) -> pd.DataFrame:
    """One row per (conversation, signal) with a normalised value, as 0-100 (1 = good).

    The database reads each wanted signal's normalised value out of the stored document
    (one column per signal), so 100,000 documents are not parsed and walked in Python."""
    wanted = sorted(set(names))
    if not wanted:
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    values = [AutoScoreRun.signals[(name, "normalised")].as_float() for name in wanted]
    query = (
        select(
            Conversation.id,
            Conversation.agent_id,
            Conversation.team_id,
            Conversation.channel,
            type_coerce(Conversation.started_at, String),
            *values,
        )
        .join(AutoScoreRun, AutoScoreRun.conversation_id == Conversation.id)
        .where(Conversation.agent_id.is_not(None), *window.conditions())
    )
    rows = session.connection().execute(query).all()
    if not rows:
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    wide = rows_frame(rows, [*SIGNAL_COLUMNS[:5], *wanted])
    wide["started_at"] = utc_times(wide["started_at"].tolist())
    long = wide.melt(id_vars=SIGNAL_COLUMNS[:5], value_vars=wanted, var_name="signal",
                     value_name="score").dropna(subset=["score"])  # fmt: skip
    long["score"] = 100.0 * long["score"].astype(float)
    return long.reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class AgentInfo:
    agent_id: int
    login: str
    name: str
    team_id: int | None
    team: str


def agents(session: Session, team_id: int | None = None) -> list[AgentInfo]:
    """Agents (optionally of one team) in name order, with their team's name."""
    query = select(Agent.id, Agent.login, Agent.display_name, Agent.team_id, Team.name).outerjoin(
        Team, Team.id == Agent.team_id
    )
    if team_id is not None:
        query = query.where(Agent.team_id == team_id)
    return [
        AgentInfo(a, login, name or login, t, team or "")
        for a, login, name, t, team in session.execute(
            query.order_by(Agent.display_name, Agent.login)
        )
    ]


def teams(session: Session) -> list[tuple[int, str]]:
    return [tuple(row) for row in session.execute(select(Team.id, Team.name).order_by(Team.name))]


@dataclass(frozen=True, slots=True)
class Line:
    role: str  # customer | agent | system
    text: str


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A few opening messages of a reviewed conversation with what the reviewer said."""

    review_id: int
    conversation_id: int
    external_id: str
    agent: str
    channel: str
    started_at: datetime
    criterion_id: str
    score: float
    comment: str
    lines: tuple[Line, ...]


EXCERPT_MESSAGES = 4
EXCERPT_CHARS = 320


def _clip(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def excerpts(session: Session, picks: list[tuple[int, str, float]]) -> list[Excerpt]:
    """Excerpts for (review id, criterion id, score) picks, in the order given: the first
    messages and the reviewer's comment on that criterion (else on the whole review)."""
    if not picks:
        return []
    ids = [p[0] for p in picks]
    heads = {
        row.id: row
        for row in session.execute(
            select(
                Review.id,
                Review.comment,
                Conversation.id.label("conversation_id"),
                Conversation.external_id,
                Conversation.channel,
                Conversation.started_at,
                func.coalesce(Agent.display_name, Agent.login).label("agent"),
            )
            .join(Conversation, Conversation.id == Review.conversation_id)
            .outerjoin(Agent, Agent.id == Conversation.agent_id)
            .where(Review.id.in_(ids))
        )
    }
    comments = {
        (r, c): text
        for r, c, text in session.execute(
            select(ReviewGrade.review_id, ReviewGrade.criterion_id, ReviewGrade.comment).where(
                ReviewGrade.review_id.in_(ids)
            )
        )
    }
    conv_ids = [heads[i].conversation_id for i in ids if i in heads]
    lines: dict[int, list[Line]] = {}
    for conv_id, role, text in session.execute(
        select(Message.conversation_id, Message.role, Message.text)
        .where(Message.conversation_id.in_(conv_ids), Message.seq < EXCERPT_MESSAGES + 2)
        .order_by(Message.conversation_id, Message.seq)
    ):
        bucket = lines.setdefault(conv_id, [])
        if role != "system" and len(bucket) < EXCERPT_MESSAGES:
            bucket.append(Line(role, _clip(text)))
    found = []
    for review_id, criterion_id, score in picks:
        head = heads.get(review_id)
        if head is None:
            continue
        comment = (comments.get((review_id, criterion_id)) or "").strip() or (head.comment or "")
        found.append(
            Excerpt(
                review_id,
                head.conversation_id,
                head.external_id,
                head.agent or "",
                head.channel,
                head.started_at,
                criterion_id,
                float(score),
                comment.strip(),
                tuple(lines.get(head.conversation_id, ())),
            )
        )
    return found


def conversation_tags(session: Session, conversation_ids: Iterable[int]) -> dict[int, tuple]:
    ids = list(set(conversation_ids))
    if not ids:
        return {}
    return {
        cid: tuple(tags or ())
        for cid, tags in session.execute(
            select(Conversation.id, Conversation.tags).where(and_(Conversation.id.in_(ids)))
        )
    }
