"""Which coaching topics an agent needs most: gaps below target, weighted and made certain.

The rule, in the words a trainer reads on the page:

* every criterion score and every automatic signal is on a 0-100 scale (a grade's position
  on its scale, docs/score-formula.md; a signal's normalised value x 100, 1 = good);
* the **target** is the rubric's passing score (80 by default): the bar a review must clear;
* for each criterion linked to a topic, the agent's mean gets a 95% t-interval
  (``scoring.stats.mean_interval``); the **certain gap** is how far the *upper* end of that
  interval stays below target: ``max(0, target - high)``. A gap the interval could close is
  not certain and counts zero, so a wide interval (few reviews, scattered grades) never
  outranks a narrow one that is clearly low;
* the criterion counts by its **weight**: its share of the overall score (category share x
  share within the category), so a topic on heavy criteria comes first;
* automatic signals count the same way, each at half an average criterion's share (a
  signal is read by a model, not a reviewer; it sees every conversation, not a sample).
  Their target is the team's own mean on that signal, not the rubric's bar: a flag such
  as "asked a clarifying question" has its natural rate, and only an agent clearly below
  what colleagues do in the same work has a gap;
* a topic's **priority** is the sum of weight x certain gap: roughly, points of the overall
  score surely lost on this topic. Topics are ranked by it and recommended from
  ``MIN_PRIORITY`` (one point) up; a smaller or uncertain gap is listed as "watch".
* failed **mystery-shopper** checklist items (published visits only) count for the item's
  coaching topic: the agent's pass rate on the item is a proportion with a 95% Wilson
  interval (``scoring.stats.wilson_interval``), as 0-100 against the same target; the
  certain gap is again target minus the upper end. Each item weighs two average
  criteria's shares (a person graded it, on a contact staged to test exactly this, where
  an average criterion is one of many on a sampled conversation): on the 25-criterion
  default rubric, an item failed in 4 of 5 visits reaches 1.4 (recommended), 3 of 5 0.25
  (watch). Below ``MIN_MYSTERY_VISITS`` graded visits an item is shown but weighs nothing.

Below ``minimum_reviews`` reviews nothing is recommended: "not enough evidence yet".
Kept free of the database so each rule has a hand-worked test (tests/test_coaching_ranking.py)
and can move beside the agent scorecards when they land.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qa_app.services.coaching.catalogue import CoachingCatalogue, CoachingTopic
from scoring.rubric.model import Rubric
from scoring.stats import Estimate, mean_interval, wilson_interval
from scoring.stats.estimate import t_quantile

#: The target when a rubric sets no passing score: the default rubric's own bar.
DEFAULT_TARGET = 80.0
#: A signal weighs this fraction of an average criterion's share of the overall score.
SIGNAL_SHARE = 0.5
#: Within-agent spread of criterion scores assumed before any data (0-100 points).
DEFAULT_WITHIN_SD = 25.0
#: Never below this many reviews, whatever the spread: the issue's "not from two reviews".
MIN_REVIEWS_FLOOR = 3
#: A topic is recommended from this priority up: one point of the overall score surely lost.
MIN_PRIORITY = 1.0
#: Signals an agent does not cause (the customer's opening mood) are never a gap.
NOT_AGENTS_DOING = frozenset({"sentiment_start"})
#: A mystery-shopper item weighs this many average criteria's shares of the overall score.
MYSTERY_SHARE = 2.0
#: Fewer graded visits of an item than this and it has no weight (shown, not counted).
MIN_MYSTERY_VISITS = 3


@dataclass(frozen=True, slots=True)
class ShopperItem:
    """One checklist item of an agent's published mystery visits: failed out of graded."""

    item_id: str
    topic_id: str
    failed: int
    graded: int


@dataclass(frozen=True, slots=True)
class Gap:
    """One criterion or signal behind a topic: the agent's mean, its interval and the gaps."""

    kind: str  # "criterion" | "signal" | "mystery"
    key: str  # criterion id, signal name or checklist item id
    rubric: str | None
    weight: float
    estimate: Estimate
    target: float

    @property
    def gap(self) -> float:
        """Point gap below target (0 when at or above it, or with no data)."""
        if not self.estimate.defined:
            return 0.0
        return max(0.0, self.target - self.estimate.estimate)

    @property
    def certain_gap(self) -> float:
        """The part of the gap the interval cannot close: target minus the upper bound."""
        if not self.estimate.defined or math.isnan(self.estimate.high):
            return 0.0
        return max(0.0, self.target - self.estimate.high)

    @property
    def contribution(self) -> float:
        return self.weight * self.certain_gap


@dataclass(frozen=True, slots=True)
class TopicNeed:
    topic_id: str
    priority: float
    gaps: tuple[Gap, ...]
    reviews: int  # distinct reviews behind the topic's criteria
    conversations: int  # distinct conversations behind its signals
    visits: int = 0  # most graded mystery visits behind one of its checklist items

    @property
    def recommended(self) -> bool:
        return self.priority >= MIN_PRIORITY

    @property
    def watch(self) -> bool:
        """A gap too small to recommend, or one the interval cannot yet confirm, on a
        criterion or a mystery-shopper item (signals alone below the team's mean are not
        worth a line)."""
        return not self.recommended and any(g.gap > 0 for g in self.criteria + self.mystery)

    @property
    def criteria(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.kind == "criterion")

    @property
    def signals(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.kind == "signal")

    @property
    def mystery(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.kind == "mystery")


@dataclass(frozen=True, slots=True)
class Ranking:
    """One agent's topics: ``needs`` ranked (recommended first), and whether there was
    enough evidence to recommend anything at all."""

    reviews: int
    minimum_reviews: int
    needs: tuple[TopicNeed, ...]

    @property
    def enough_evidence(self) -> bool:
        return self.reviews >= self.minimum_reviews

    @property
    def recommended(self) -> tuple[TopicNeed, ...]:
        if not self.enough_evidence:
            return ()
        return tuple(n for n in self.needs if n.recommended)

    @property
    def watch(self) -> tuple[TopicNeed, ...]:
        if not self.enough_evidence:
            return ()
        return tuple(n for n in self.needs if n.watch)


def criterion_weights(rubric: Rubric) -> dict[str, float]:
    """Each criterion's share of the overall score: category share x share within it."""
    total = sum(c.weight for c in rubric.categories) or 1.0
    shares: dict[str, float] = {}
    for category in rubric.categories:
        inner = sum(c.weight for c in category.criteria) or 1.0
        for criterion in category.criteria:
            shares[criterion.id] = category.weight / total * criterion.weight / inner
    return shares


def target_of(rubric: Rubric) -> float:
    passing = rubric.settings.passing_score
    return float(passing) if passing is not None else DEFAULT_TARGET


def minimum_reviews(within_sd: float, margin: float, *, level: float = 0.95) -> int:
    """Fewest reviews whose interval half-width is at most ``margin`` points.

    With ``margin`` = target minus the scale's middle (80 - 50 = 30 on the default rubric),
    this is the smallest sample at which an agent at "acceptable" could be told apart from
    the target at all; any fewer and no gap can be certain, so the page says "not enough
    evidence yet" instead of ranking noise. Never below ``MIN_REVIEWS_FLOOR``.
    """
    if not within_sd > 0 or not margin > 0:
        return MIN_REVIEWS_FLOOR
    for n in range(2, 10_000):
        if t_quantile(0.5 + level / 2.0, n - 1) * within_sd / math.sqrt(n) <= margin:
            return max(MIN_REVIEWS_FLOOR, n)
    return 10_000


def pooled_within_sd(scores: pd.DataFrame) -> float:
    """Pooled within-agent SD of criterion scores (columns agent_id, criterion_id, score);
    ``DEFAULT_WITHIN_SD`` when there is too little data to pool."""
    if scores.empty:
        return DEFAULT_WITHIN_SD
    keys = [scores["agent_id"], scores["criterion_id"]]
    grouped = scores.groupby(keys)["score"]
    deviations = scores["score"] - grouped.transform("mean")
    sums = (deviations**2).groupby(keys).sum()
    dof = grouped.size() - 1
    total_dof = float(dof[dof > 0].sum())
    if total_dof < 2:
        return DEFAULT_WITHIN_SD
    return math.sqrt(float(sums[dof > 0].sum()) / total_dof)


def _by_key(frame: pd.DataFrame, key: str) -> dict[str, np.ndarray]:
    """{criterion id or signal name: its present scores}: split once per agent, not
    filtered again for every topic that links it."""
    if frame.empty:
        return {}
    return {str(k): g.dropna().to_numpy(dtype=float) for k, g in frame.groupby(key)["score"]}


def _ids_by_key(frame: pd.DataFrame, key: str, ids: str) -> dict[str, set]:
    """{criterion id or signal name: the distinct reviews or conversations behind it}."""
    if frame.empty:
        return {}
    return {str(k): set(g.dropna().tolist()) for k, g in frame.groupby(key)[ids]}


def _criterion_gaps(
    topic: CoachingTopic, rubric: Rubric, scores: Mapping[str, np.ndarray], target: float
) -> list[Gap]:
    weights = criterion_weights(rubric)
    gaps = []
    for criterion_id in topic.criterion_ids(rubric.id):
        values = scores.get(criterion_id)
        if values is None or not values.size or criterion_id not in weights:
            continue
        estimate = mean_interval(values)
        gaps.append(
            Gap("criterion", criterion_id, rubric.id, weights[criterion_id], estimate, target)
        )
    return gaps


def signal_norms(signals: pd.DataFrame) -> dict[str, float]:
    """The team's mean of each signal (columns signal, score): the signals' targets."""
    if signals.empty:
        return {}
    return {str(k): float(v) for k, v in signals.groupby("signal")["score"].mean().items()}


def _signal_gaps(
    topic: CoachingTopic,
    signals: Mapping[str, np.ndarray],
    weight: float,
    targets: Mapping[str, float],
) -> list[Gap]:
    gaps = []
    for name in topic.signals:
        if name in NOT_AGENTS_DOING or name not in targets:
            continue
        values = signals.get(name)
        if values is None or not values.size:
            continue
        estimate = mean_interval(values)
        gaps.append(Gap("signal", name, None, weight, estimate, targets[name]))
    return gaps


def _mystery_gaps(
    topic: CoachingTopic, items: Sequence[ShopperItem], weight: float, target: float
) -> list[Gap]:
    """The topic's failed checklist items as pass rates (0-100) with Wilson intervals."""
    gaps = []
    for item in items:
        if item.topic_id != topic.id or item.graded <= 0:
            continue
        rate = wilson_interval(item.graded - item.failed, item.graded)
        estimate = Estimate(
            100.0 * rate.estimate, 100.0 * rate.low, 100.0 * rate.high, rate.n, rate.method
        )
        counted = weight if item.graded >= MIN_MYSTERY_VISITS else 0.0
        gaps.append(Gap("mystery", item.item_id, None, counted, estimate, target))
    return gaps


def rank_topics(
    catalogue: CoachingCatalogue,
    rubric: Rubric,
    scores: pd.DataFrame,
    signals: pd.DataFrame,
    *,
    minimum: int,
    signal_targets: Mapping[str, float] | None = None,
    target: float | None = None,
    mystery: Sequence[ShopperItem] = (),
) -> Ranking:
    """Rank every catalogue topic for one agent.

    ``scores``: the agent's criterion scores (columns review_id, criterion_id, score 0-100);
    ``signals``: their conversations' signals (conversation_id, signal, score 0-100);
    ``signal_targets``: each signal's target, the team's mean (``signal_norms``); a signal
    without one is not used; ``mystery``: the agent's failed checklist items of published
    mystery-shopper visits.
    """
    target = target_of(rubric) if target is None else target
    n_criteria = max(1, len(rubric.criterion_ids()))
    signal_weight = SIGNAL_SHARE / n_criteria
    needs = []
    by_criterion = _by_key(scores, "criterion_id")
    by_signal = _by_key(signals, "signal")
    review_ids = _ids_by_key(scores, "criterion_id", "review_id")
    conversation_ids = _ids_by_key(signals, "signal", "conversation_id")
    for topic in catalogue.topics:
        gaps = _criterion_gaps(topic, rubric, by_criterion, target)
        gaps += _signal_gaps(topic, by_signal, signal_weight, signal_targets or {})
        gaps += _mystery_gaps(topic, mystery, MYSTERY_SHARE / n_criteria, target)
        if not gaps:
            continue
        linked = [review_ids.get(c, set()) for c in topic.criterion_ids(rubric.id)]
        named = [conversation_ids.get(n, set()) for n in topic.signals]
        needs.append(
            TopicNeed(
                topic.id,
                sum(g.contribution for g in gaps),
                tuple(sorted(gaps, key=lambda g: -g.contribution)),
                len(set().union(*linked)),
                len(set().union(*named)),
                max((g.estimate.n for g in gaps if g.kind == "mystery"), default=0),
            )
        )
    needs.sort(key=lambda n: (-n.priority, -max((g.gap for g in n.gaps), default=0), n.topic_id))
    reviews = int(scores["review_id"].nunique()) if not scores.empty else 0
    return Ranking(reviews, minimum, tuple(needs))


def team_counts(rankings: Mapping[int, Ranking]) -> dict[str, list[int]]:
    """For each topic, the agents (ids) it is recommended to, most-needed topic first."""
    agents: dict[str, list[int]] = {}
    for agent_id, ranking in rankings.items():
        for need in ranking.recommended:
            agents.setdefault(need.topic_id, []).append(agent_id)
    return dict(sorted(agents.items(), key=lambda item: (-len(item[1]), item[0])))


def empty_scores() -> pd.DataFrame:
    return pd.DataFrame(columns=["review_id", "criterion_id", "score"])


def empty_signals() -> pd.DataFrame:
    return pd.DataFrame(columns=["conversation_id", "signal", "score"])


def topics_of(catalogue: CoachingCatalogue, ids: Iterable[str]) -> list[CoachingTopic]:
    known = set(catalogue.topic_ids())
    return [catalogue.topic(i) for i in ids if i in known]
