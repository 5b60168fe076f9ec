"""Did the coaching change anything? Linked criteria before vs after a plan's first session.

For each criterion the topic links to, the plan's agents' scores on conversations started
in the ``BEFORE`` weeks before the first session are compared with those started after it
(Welch, ``scoring.stats.compare_means``): both means with their 95% intervals and review
counts, the difference with its interval, whether it is distinguishable from noise yet,
and how many more reviews each period would need for a difference of this size to show
(80% power). The topic's own line is the weighted mean of its linked criteria per review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.coaching import evidence
from qa_app.services.coaching.evidence import Window
from qa_app.services.coaching.ranking import criterion_weights
from qa_app.services.coaching.recommendations import catalogue
from qa_app.storage.models import AgentWeekAggregate
from scoring.rubric.model import Rubric
from scoring.stats import Comparison, compare_means

#: How far back "before" reaches: long enough for a few reviews per agent, short enough to
#: be the agent's recent habit rather than their first weeks.
BEFORE = timedelta(weeks=8)
#: The topic as a whole, beside its criteria.
TOPIC_ROW = "__topic__"


@dataclass(frozen=True, slots=True)
class CriterionChange:
    key: str  # criterion id, or TOPIC_ROW
    comparison: Comparison


@dataclass(frozen=True, slots=True)
class PlanEffect:
    split: datetime  # the first session
    since: datetime
    until: datetime
    rubric: Rubric | None
    rows: tuple[CriterionChange, ...]
    #: Reviews of these agents in the weeks overlapping "before" that a retention purge
    #: deleted: the comparison reads only what is kept, and the page says how much is not.
    purged_reviews: int = 0


def topic_scores(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Per review, the weighted mean of the linked criteria it graded (columns review_id,
    started_at, score): one figure per conversation for the topic as a whole."""
    if scores.empty:
        return pd.DataFrame(columns=["review_id", "started_at", "score"])
    frame = scores.assign(w=scores["criterion_id"].map(weights).fillna(0.0))
    frame = frame[frame["w"] > 0]
    frame = frame.assign(ws=frame["w"] * frame["score"])
    grouped = frame.groupby(["review_id", "started_at"], as_index=False)[["ws", "w"]].sum()
    return grouped.assign(score=grouped["ws"] / grouped["w"])[["review_id", "started_at", "score"]]


def before_after(
    scores: pd.DataFrame, split: datetime, criteria: Sequence[str], weights: Mapping[str, float]
) -> tuple[CriterionChange, ...]:
    """The comparison for the topic and each criterion; ``scores`` has criterion_id,
    review_id, started_at and score (0-100) of the plan's agents."""
    rows = []
    linked = scores[scores["criterion_id"].isin(criteria)]
    wanted = {c: weights.get(c, 0.0) for c in criteria}
    for key, frame in [(TOPIC_ROW, topic_scores(linked, wanted))] + [
        (c, linked[linked["criterion_id"] == c]) for c in criteria
    ]:
        before = frame.loc[frame["started_at"] < split, "score"].to_numpy(dtype=float)
        after = frame.loc[frame["started_at"] >= split, "score"].to_numpy(dtype=float)
        rows.append(CriterionChange(key, compare_means(before, after)))
    return tuple(rows)


def plan_effect(
    session: Session,
    topic_id: str,
    agent_ids: Sequence[int],
    first_session: datetime | None,
    now: datetime,
) -> PlanEffect | None:
    """Before/after for a plan; None until its first session is recorded."""
    if first_session is None:
        return None
    window = Window(since=first_session - BEFORE, until=now, agent_ids=tuple(agent_ids))
    purged = purged_reviews(session, agent_ids, window.since, first_session)
    scores = evidence.criterion_scores(session, window)
    if scores.empty:
        return PlanEffect(first_session, window.since, now, None, (), purged)
    newest = evidence.newest_version_id(session, scores["version_id"].unique())
    slug, rubric = evidence.rubric_version(session, int(newest))
    same = [
        v
        for v in scores["version_id"].unique()
        if evidence.rubric_version(session, int(v))[0] == slug
    ]
    scores = scores[scores["version_id"].isin(same)]
    criteria = catalogue().topic(topic_id).criterion_ids(rubric.id)
    rows = before_after(scores, first_session, criteria, criterion_weights(rubric))
    return PlanEffect(first_session, window.since, now, rubric, rows, purged)


def purged_reviews(
    session: Session, agent_ids: Sequence[int], since: datetime, until: datetime
) -> int:
    """Reviews of ``agent_ids`` a purge deleted from the weeks overlapping [since, until)."""
    if not agent_ids or until <= since:
        return 0
    a = AgentWeekAggregate
    total = session.scalar(
        select(func.sum(a.reviews)).where(
            a.agent_id.in_(agent_ids), *a.weeks_overlapping(since, until)
        )
    )
    return int(total or 0)
