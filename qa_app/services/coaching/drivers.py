"""What drives customer satisfaction: how each rubric criterion and each automatic signal
goes with CSAT, NPS, repeat contact and escalation, per team and channel.

Every relation is ``scoring.stats.relate`` on the conversations that have both values:
a Spearman r (the common yardstick; CSAT and NPS are ordinal and scores pile up at 100)
with its 95% interval and n, and the strength label with the range its interval allows.
Criteria are read from reviews (one figure per reviewed conversation, the mean when it
was reviewed twice), signals from every automatically scored conversation, and the
overall QA score is a row of its own, so a lead can see whether QA scores track what
customers say at all. Relations are associations in past conversations, not causes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.coaching import evidence
from qa_app.services.coaching.catalogue_schema import SIGNAL_NAMES
from qa_app.services.coaching.evidence import Window
from qa_app.services.coaching.ranking import criterion_weights
from qa_app.services.permissions import require
from qa_app.services.row_frames import rows_frame, utc_times
from qa_app.storage.models import Conversation, Review
from scoring.rubric.model import Rubric
from scoring.stats import Relation, relate

OUTCOMES = ("csat", "nps", "repeat_contact", "escalated")
#: A customer writing again within this long after a conversation is a repeat contact.
REPEAT_WINDOW = timedelta(days=7)
#: Below this many paired conversations no relation is computed ("too few").
MIN_PAIRS = 10
#: |r| under this is called a weak relation at best, whatever its interval.
WEAK_R = 0.1
#: At most this many conversations per relation: a seeded random sample beyond it. The
#: interval is computed on the sample (so it stays honest) and is already narrow there
#: (about +-0.03 on r); relating 100,000 conversations costs far more and tells no more.
MAX_PAIRS = 5000
OVERALL = "__overall__"
WEEKS = 26


@dataclass(frozen=True, slots=True)
class Driver:
    kind: str  # "overall" | "criterion" | "signal"
    key: str
    outcome: str
    relation: Relation | None  # None: fewer than MIN_PAIRS conversations with both
    n: int  # conversations the relation was computed on
    weight: float | None  # the criterion's share of the overall score
    available: int = 0  # conversations with both values (more than n when sampled)

    @property
    def r(self) -> float:
        if self.relation is None or not self.relation.correlation.defined:
            return math.nan
        return self.relation.correlation.estimate


@dataclass(frozen=True, slots=True)
class DriversReport:
    team_id: int | None
    channel: str | None
    since: datetime
    until: datetime
    rubric: Rubric | None
    conversations: int
    with_outcome: dict[str, int]
    drivers: tuple[Driver, ...]

    def for_outcome(self, outcome: str) -> list[Driver]:
        """Rows of one outcome, strongest |r| first, the ones too few to tell last."""
        rows = [d for d in self.drivers if d.outcome == outcome]
        return sorted(
            rows, key=lambda d: (math.isnan(d.r), -abs(d.r) if not math.isnan(d.r) else 0)
        )

    def overall(self, outcome: str) -> Driver | None:
        return next((d for d in self.drivers if d.outcome == outcome and d.kind == "overall"), None)


def repeat_flags(
    contacts: pd.DataFrame, until: datetime, window: timedelta = REPEAT_WINDOW
) -> pd.Series:
    """Per conversation id: 1.0 when the same customer started another conversation within
    ``window`` after it, 0.0 when not, NaN when unknown (no customer id, or the window
    reaches past ``until``, so a later contact could still come)."""
    if contacts.empty:
        return pd.Series(dtype=float)
    ordered = contacts.sort_values(["customer_id", "started_at"])
    following = ordered.groupby("customer_id")["started_at"].shift(-1)
    flags = ((following - ordered["started_at"]) <= window).astype(float)
    unknown = ordered["customer_id"].isna() | (ordered["started_at"] + window > until)
    flags[unknown & following.isna()] = np.nan
    flags[ordered["customer_id"].isna()] = np.nan
    return pd.Series(flags.to_numpy(), index=ordered["id"].to_numpy())


def _outcomes(session: Session, window: Window) -> pd.DataFrame:
    columns = ["id", "customer_id", "started_at", "csat", "nps", "escalated"]
    rows = session.connection().execute(
        select(
            Conversation.id, Conversation.customer_id,
            type_coerce(Conversation.started_at, String), Conversation.csat, Conversation.nps,
            Conversation.escalated,
        ).where(*window.conditions())
    ).all()  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=columns).assign(repeat_contact=[]).set_index("id")
    frame = rows_frame(rows, columns)
    frame["started_at"] = utc_times(frame["started_at"].tolist())
    for column in ("csat", "nps"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    # the customer's next contact may be with any team or channel, and after the window
    later = Window(since=window.since, until=window.until + REPEAT_WINDOW if window.until else None)
    flags = repeat_flags(_contacts(session, set(frame["customer_id"].dropna()), later),
                         window.until or frame["started_at"].max())  # fmt: skip
    frame["repeat_contact"] = frame["id"].map(flags)
    frame["escalated"] = frame["escalated"].astype(float)
    return frame.set_index("id")


def _contacts(session: Session, customer_ids: set, window: Window) -> pd.DataFrame:
    """(id, customer_id, started_at) of these customers' conversations in ``window``."""
    columns = ["id", "customer_id", "started_at"]
    if not customer_ids:
        return pd.DataFrame(columns=columns)
    rows = session.connection().execute(
        select(Conversation.id, Conversation.customer_id,
               type_coerce(Conversation.started_at, String))
        .where(Conversation.customer_id.in_(customer_ids), *window.conditions())
    ).all()  # fmt: skip
    frame = rows_frame(rows, columns)
    frame["started_at"] = utc_times(frame["started_at"].tolist())
    return frame


def _overall_scores(session: Session, window: Window) -> pd.Series:
    rows = session.execute(
        select(Review.conversation_id, Review.overall_score)
        .join(Conversation, Conversation.id == Review.conversation_id)
        .where(
            Review.status.in_(evidence.DONE),
            Review.calibration_session_id.is_(None),
            Review.overall_score.is_not(None),
            *window.conditions(),
        )
    ).all()
    frame = pd.DataFrame(rows, columns=["conversation_id", "score"])
    return frame.groupby("conversation_id")["score"].mean()


def _behaviours(
    session: Session, window: Window
) -> tuple[Rubric | None, dict[tuple[str, str], pd.Series]]:
    """Per behaviour (kind, key): its value per conversation id."""
    found: dict[tuple[str, str], pd.Series] = {
        ("overall", OVERALL): _overall_scores(session, window)
    }
    scores = evidence.criterion_scores(session, window)
    rubric = None
    if not scores.empty:
        newest = evidence.newest_version_id(session, scores["version_id"].unique())
        slug, rubric = evidence.rubric_version(session, int(newest))
        same = [
            v
            for v in scores["version_id"].unique()
            if evidence.rubric_version(session, int(v))[0] == slug
        ]
        scores = scores[scores["version_id"].isin(same)]
        per = scores.groupby(["criterion_id", "conversation_id"])["score"].mean()
        graded = set(per.index.unique(level=0))
        for criterion in rubric.criterion_ids():
            if criterion in graded:
                found[("criterion", criterion)] = per.loc[criterion]
    signals = evidence.signal_scores(session, window, SIGNAL_NAMES)
    if not signals.empty:
        per_signal = signals.groupby(["signal", "conversation_id"])["score"].mean()
        measured = set(per_signal.index.unique(level=0))
        for name in SIGNAL_NAMES:
            if name in measured:
                found[("signal", name)] = per_signal.loc[name]
    return rubric, found


def _driver(
    kind: str, key: str, outcome: str, values: pd.Series, outcomes: pd.DataFrame, weight
) -> Driver:
    paired = pd.concat(
        [values.rename("x"), outcomes[outcome].rename("y")], axis=1, join="inner"
    ).dropna()
    available = len(paired)
    if available < MIN_PAIRS:
        return Driver(kind, key, outcome, None, available, weight, available)
    if available > MAX_PAIRS:
        paired = paired.sample(MAX_PAIRS, random_state=0)
    relation = relate(paired["x"].to_numpy(), paired["y"].to_numpy())
    return Driver(kind, key, outcome, relation, len(paired), weight, available)


def drivers_report(
    session: Session,
    actor: Actor,
    now: datetime,
    team_id: int | None = None,
    channel: str | None = None,
) -> DriversReport:
    """Every behaviour against every outcome for one team and channel (None: all)."""
    require(actor, "coaching.drivers")
    window = Window(since=now - timedelta(weeks=WEEKS), until=now, team_id=team_id, channel=channel)
    outcomes = _outcomes(session, window)
    rubric, behaviours = _behaviours(session, window)
    weights = criterion_weights(rubric) if rubric is not None else {}
    drivers = []
    for (kind, key), values in behaviours.items():
        for outcome in OUTCOMES:
            if outcomes.empty:
                continue
            drivers.append(_driver(kind, key, outcome, values, outcomes, weights.get(key)))
    counts = {o: int(outcomes[o].notna().sum()) if not outcomes.empty else 0 for o in OUTCOMES}
    return DriversReport(
        team_id, channel, window.since, now, rubric, len(outcomes), counts, tuple(drivers)
    )
