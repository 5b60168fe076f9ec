"""Per-agent distributions of the automatic signals, summarised for the Automatic scoring page.

With 100,000 scored conversations the page used to read 700,000 signal rows and hand every
value to the charts on each load (4-5 s). The page draws boxes, so it needs five numbers per
agent and signal (quartiles and whisker ends), a mean for the SLA breach bars, and a few
points: every value of a small group, the most extreme outliers of a large one. Those are
computed here once per *data stamp* (``distribution_stamp``: a cheap read that changes
whenever a scoring run, a conversation or an agent changes), and the app keeps the summary
until the stamp moves (``qa_app.ui.data.autoqa_distributions``).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.permissions import require
from qa_app.storage.models import (
    Agent,
    AutoScore,
    AutoScoreRun,
    Conversation,
    Review,
    Rubric,
    RubricVersion,
)
from qa_app.storage.uow import UnitOfWork

#: Groups this small show every value as a point (as the page always did).
ALL_POINTS_UP_TO = 30
#: At most this many outliers per box, the furthest from the median first.
MAX_OUTLIERS = 100
COLUMNS = ["agent", "signal", "n", "q1", "median", "q3", "lowerfence", "upperfence",
           "mean", "points"]  # fmt: skip


def _digest(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def _runs(session: Session) -> tuple:
    return tuple(
        session.execute(
            select(func.count(), func.max(AutoScoreRun.scored_at)).select_from(AutoScoreRun)
        ).one()
    )


def distribution_stamp(session: Session) -> str:
    """A short digest of what the distributions depend on: scoring runs (count, latest),
    conversations (count, last change) and agents (names). Milliseconds on 100,000
    conversations, so every page load can afford it."""
    conversations = session.execute(
        select(func.count(), func.max(Conversation.updated_at), func.max(Conversation.id))
    ).one()
    agents = session.execute(
        select(Agent.id, Agent.login, Agent.display_name).order_by(Agent.id)
    ).all()
    return _digest(_runs(session), tuple(conversations), [tuple(a) for a in agents])


def agreement_stamp(session: Session) -> str:
    """The same for the agreement with reviewers: scoring runs, reviews (count, last
    change) and rubric versions (a new version or a rubric switched on or off)."""
    reviews = session.execute(select(func.count(), func.max(Review.updated_at))).one()
    rubrics = session.execute(
        select(Rubric.id, Rubric.is_active, func.max(RubricVersion.id))
        .join(RubricVersion, RubricVersion.rubric_id == Rubric.id)
        .group_by(Rubric.id, Rubric.is_active)
        .order_by(Rubric.id)
    ).all()
    return _digest(_runs(session), tuple(reviews), [tuple(r) for r in rubrics])


def _signal_rows(session: Session, signals: tuple[str, ...]) -> pd.DataFrame:
    """agent, signal, value of every conversation-level signal (three narrow columns)."""
    names = dict(
        session.execute(
            select(Agent.id, func.coalesce(func.nullif(Agent.display_name, ""), Agent.login))
        ).all()
    )
    rows = session.execute(
        select(Conversation.agent_id, AutoScore.task, AutoScore.score)
        .join(Conversation, Conversation.id == AutoScore.conversation_id)
        .where(AutoScore.message_id.is_(None), AutoScore.task.in_(list(signals)))
        .where(AutoScore.score.is_not(None), Conversation.agent_id.is_not(None))
    ).all()
    frame = pd.DataFrame.from_records(rows, columns=["agent_id", "signal", "value"])
    frame["agent"] = frame["agent_id"].map(names)
    return frame.drop(columns="agent_id")


def _points(values: np.ndarray, low: float, high: float, median: float) -> list[float]:
    if len(values) <= ALL_POINTS_UP_TO:
        return values.tolist()
    outside = values[(values < low) | (values > high)]
    if len(outside) > MAX_OUTLIERS:
        outside = outside[np.argsort(-np.abs(outside - median))[:MAX_OUTLIERS]]
    return outside.tolist()


def summarise(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (agent, signal): the box-plot numbers (linear quartiles, whiskers at the
    furthest values within 1.5 IQR, as plotly draws them), the mean and the points."""
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    out = []
    for (agent, signal), group in frame.groupby(["agent", "signal"], sort=True):
        values = np.sort(group["value"].to_numpy(dtype=float))
        q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
        reach = 1.5 * (q3 - q1)
        inside = values[(values >= q1 - reach) & (values <= q3 + reach)]
        low, high = (inside[0], inside[-1]) if len(inside) else (q1, q3)
        out.append((agent, signal, len(values), q1, median, q3, low, high,
                    float(values.mean()), _points(values, low, high, median)))  # fmt: skip
    return pd.DataFrame(out, columns=COLUMNS)


def signal_distribution_screen(
    uow: UnitOfWork, actor: Actor = SYSTEM, signals: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The per-agent summary of ``signals`` (``summarise``), read in one unit of work. The
    same for every staff member, so the app reads it as the system and keeps it per data
    stamp (``autoqa_screen`` checks the actor and gives the stamp)."""
    require(actor, "autoqa.read")
    with uow:
        return summarise(_signal_rows(uow.session, signals))
