"""Coaching ranking with answers worked out by hand (the formulas are in ranking.py).

The mean interval carries the statistics library's weak prior (one pseudo-review with
SD 15): variance = (SS + 225) / n, df = n, half-width = t(0.975, n) * sqrt(variance / n).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from qa_app.services.coaching import load_coaching_catalogue
from qa_app.services.coaching.catalogue import CoachingCatalogue, CriterionLink
from qa_app.services.coaching.ranking import (
    DEFAULT_WITHIN_SD,
    MIN_MYSTERY_VISITS,
    Gap,
    ShopperItem,
    criterion_weights,
    minimum_reviews,
    pooled_within_sd,
    rank_topics,
    signal_norms,
    team_counts,
)
from scoring.rubric.model import (
    Category,
    Criterion,
    Level,
    LocalText,
    Rubric,
    RubricSettings,
    Scale,
)
from scoring.stats import mean_interval

T = LocalText("x", "х")
SCALE = Scale("1-5", tuple(Level(v, T, T) for v in (1, 2, 3, 4, 5)))


def _criterion(cid: str, weight: float) -> Criterion:
    return Criterion(cid, T, T, SCALE, weight, False, None, None, "empathy-acknowledgement")


RUBRIC = Rubric(
    "r",
    1,
    T,
    T,
    (
        Category("a", T, None, 20, (_criterion("c1", 2), _criterion("c2", 1))),
        Category("b", T, None, 80, (_criterion("c3", 1),)),
    ),
    RubricSettings(passing_score=80),
)


def _catalogue() -> CoachingCatalogue:
    real = load_coaching_catalogue().topics[0]
    topics = (
        dataclasses.replace(real, id="topic-a", criteria=(CriterionLink("r", "c1"),), signals=()),
        dataclasses.replace(real, id="topic-b", criteria=(CriterionLink("r", "c3"),), signals=()),
        dataclasses.replace(
            real, id="topic-s", criteria=(CriterionLink("r", "c2"),), signals=("greeting",)
        ),
    )
    return CoachingCatalogue(1, topics)


def _scores(**by_criterion: list[float]) -> pd.DataFrame:
    rows = [
        (i, cid, value)
        for cid, values in by_criterion.items()
        for i, value in enumerate(values, start=1)
    ]
    return pd.DataFrame(rows, columns=["review_id", "criterion_id", "score"])


NO_SIGNALS = pd.DataFrame(columns=["conversation_id", "signal", "score"])


def test_criterion_weights_are_shares_of_the_overall_score():
    weights = criterion_weights(RUBRIC)
    # category a is 20/100 of the score, c1 two thirds of it; c3 is all of category b
    assert weights == pytest.approx({"c1": 0.2 * 2 / 3, "c2": 0.2 / 3, "c3": 0.8})


def test_certain_gap_is_target_minus_the_upper_bound():
    # four reviews at 40: SS 0, variance 225/4 = 56.25, se 3.75, t(0.975, 4) = 2.776445
    gap = Gap("criterion", "c1", "r", 0.5, mean_interval([40, 40, 40, 40]), 80.0)
    assert gap.estimate.high == pytest.approx(40 + 2.776445 * 3.75, abs=1e-4)
    assert gap.gap == pytest.approx(40.0)
    assert gap.certain_gap == pytest.approx(80 - 50.411669, abs=1e-4)
    assert gap.contribution == pytest.approx(0.5 * 29.588331, abs=1e-4)


def test_a_wide_interval_is_watched_not_recommended():
    # c1 at 40 x4 is certainly low; c3 has the bigger point gap (mean 25) but its four
    # scattered reviews (SS 7500, variance 7725/4, se 21.98, half 61.0) reach 86 > 80
    ranking = rank_topics(
        _catalogue(), RUBRIC, _scores(c1=[40] * 4, c3=[0, 0, 100, 0]), NO_SIGNALS, minimum=3
    )
    assert [n.topic_id for n in ranking.recommended] == ["topic-a"]
    assert [n.topic_id for n in ranking.watch] == ["topic-b"]
    top = ranking.recommended[0]
    assert top.priority == pytest.approx(0.2 * 2 / 3 * 29.588331, abs=1e-4)
    assert top.reviews == 4


def test_weight_decides_between_equal_gaps():
    # the same scores on c1 (share 0.133) and c3 (share 0.8): c3's topic comes first
    ranking = rank_topics(
        _catalogue(), RUBRIC, _scores(c1=[40] * 4, c3=[40] * 4), NO_SIGNALS, minimum=3
    )
    assert [n.topic_id for n in ranking.recommended] == ["topic-b", "topic-a"]
    assert ranking.recommended[0].priority == pytest.approx(0.8 * 29.588331, abs=1e-4)


def test_signals_count_at_half_an_average_criterion():
    signals = pd.DataFrame(
        [(i, "greeting", 0.0) for i in range(1, 11)], columns=["conversation_id", "signal", "score"]
    )
    ranking = rank_topics(
        _catalogue(),
        RUBRIC,
        _scores(c2=[100] * 4),
        signals,
        minimum=3,
        signal_targets={"greeting": 80},
    )
    need = ranking.recommended[0]
    assert need.topic_id == "topic-s" and need.conversations == 10
    # ten zeros: variance 225/10, se 1.5, t(0.975, 10) = 2.228139; weight 0.5 / 3 criteria
    (signal,) = need.signals
    assert signal.weight == pytest.approx(0.5 / 3)
    assert need.priority == pytest.approx(0.5 / 3 * (80 - 2.228139 * 1.5), abs=1e-4)


def test_a_signal_without_a_target_is_not_used():
    signals = pd.DataFrame([(1, "greeting", 0.0)], columns=["conversation_id", "signal", "score"])
    ranking = rank_topics(_catalogue(), RUBRIC, _scores(c2=[100] * 4), signals, minimum=3)
    assert ranking.recommended == () and ranking.needs[0].signals == ()


def test_signal_targets_are_the_teams_means():
    signals = pd.DataFrame(
        {
            "signal": ["greeting", "greeting", "greeting", "thanks"],
            "score": [0.0, 100.0, 50.0, 20.0],
        }
    )
    assert signal_norms(signals) == {"greeting": 50.0, "thanks": 20.0}


def test_less_than_one_point_is_watched_not_recommended():
    # c2 (share 0.2/3 = 0.0667) at 40 x4: certain gap 29.59, priority 1.97 -> recommended;
    # at 70 x4 the certain gap is 80 - 80.41 < 0 -> nothing; at 60 x4: 80 - 70.41 = 9.59,
    # priority 0.64 < 1 -> watch
    at_40 = rank_topics(_catalogue(), RUBRIC, _scores(c2=[40] * 4), NO_SIGNALS, minimum=3)
    assert at_40.recommended[0].priority == pytest.approx(0.2 / 3 * 29.588331, abs=1e-4)
    at_60 = rank_topics(_catalogue(), RUBRIC, _scores(c2=[60] * 4), NO_SIGNALS, minimum=3)
    assert at_60.recommended == ()
    assert [n.topic_id for n in at_60.watch] == ["topic-s"]
    assert at_60.watch[0].priority == pytest.approx(0.2 / 3 * 9.588331, abs=1e-4)


def test_below_the_minimum_nothing_is_recommended():
    ranking = rank_topics(_catalogue(), RUBRIC, _scores(c1=[0, 0]), NO_SIGNALS, minimum=6)
    assert not ranking.enough_evidence
    assert ranking.recommended == () and ranking.watch == ()
    assert ranking.reviews == 2


def test_minimum_reviews_by_hand():
    # half-width t(0.975, n-1) * 25 / sqrt(n): n=5 gives 31.04 > 30, n=6 gives 26.24
    assert minimum_reviews(25.0, 30.0) == 6
    # a tiny spread would allow 2, but never fewer than three reviews
    assert minimum_reviews(1.0, 30.0) == 3
    assert minimum_reviews(0.0, 30.0) == 3


def test_pooled_within_sd_by_hand():
    frame = pd.DataFrame(
        {
            "agent_id": [1, 1, 2, 2, 2],
            "criterion_id": ["c"] * 5,
            "score": [0.0, 50.0, 50.0, 50.0, 80.0],
        }
    )
    # SS: agent 1 1250 (df 1), agent 2 600 (df 2): sqrt(1850 / 3)
    assert pooled_within_sd(frame) == pytest.approx((1850 / 3) ** 0.5)
    assert pooled_within_sd(frame.iloc[:1]) == DEFAULT_WITHIN_SD


def test_team_counts_rank_topics_by_agents_in_need():
    catalogue = _catalogue()
    low, fine = [40] * 4, [100] * 4
    rankings = {
        1: rank_topics(catalogue, RUBRIC, _scores(c1=low, c3=low), NO_SIGNALS, minimum=3),
        2: rank_topics(catalogue, RUBRIC, _scores(c1=low, c3=fine), NO_SIGNALS, minimum=3),
        3: rank_topics(catalogue, RUBRIC, _scores(c1=low), NO_SIGNALS, minimum=3),
        4: rank_topics(catalogue, RUBRIC, _scores(c1=[0]), NO_SIGNALS, minimum=3),  # too few
    }
    assert team_counts(rankings) == {"topic-a": [1, 2, 3], "topic-b": [1]}


def test_failed_mystery_items_raise_their_topic():
    # c3 (topic-b) at the top in four reviews: no gap, nothing recommended without mystery.
    # Greeting failed in 4 of 5 visits: passed 1 of 5 = 20%; Wilson 95% (z = 1.959964):
    # centre = (0.2 + z^2/10) / (1 + z^2/5) = 0.330345, half = z / (1 + z^2/5) *
    # sqrt(0.16/5 + z^2/100) = 0.294121, upper 62.4465; certain gap 80 - 62.4465 = 17.5535;
    # weight two average criteria's shares = 2/3 of the overall score; priority 11.7023.
    scores = _scores(c1=[100] * 4, c2=[100] * 4, c3=[100] * 4)
    without = rank_topics(_catalogue(), RUBRIC, scores, NO_SIGNALS, minimum=3)
    assert "topic-b" not in [n.topic_id for n in without.recommended]
    item = ShopperItem("greeting", "topic-b", failed=4, graded=5)
    ranking = rank_topics(_catalogue(), RUBRIC, scores, NO_SIGNALS, minimum=3, mystery=[item])
    top = ranking.recommended[0]
    assert top.topic_id == "topic-b" and top.visits == 5
    (gap,) = top.mystery
    assert gap.key == "greeting" and gap.estimate.estimate == pytest.approx(20.0)
    assert gap.estimate.high == pytest.approx(62.4465, abs=1e-3)
    assert gap.certain_gap == pytest.approx(17.5535, abs=1e-3)
    assert gap.weight == pytest.approx(2 / 3)
    assert top.priority == pytest.approx(11.7023, abs=1e-3)
    # other topics are untouched by a failure linked elsewhere
    assert [n.topic_id for n in ranking.recommended] == ["topic-b"]


def test_too_few_mystery_visits_carry_no_weight():
    # failed in both of 2 visits (below the minimum of 3): shown, but weighs nothing
    assert MIN_MYSTERY_VISITS == 3
    scores = _scores(c3=[100] * 4)
    item = ShopperItem("greeting", "topic-b", failed=2, graded=2)
    ranking = rank_topics(_catalogue(), RUBRIC, scores, NO_SIGNALS, minimum=3, mystery=[item])
    need = next(n for n in ranking.needs if n.topic_id == "topic-b")
    assert need.mystery[0].certain_gap > 0 and need.mystery[0].weight == 0.0
    assert need.priority == 0.0 and ranking.recommended == ()
    assert [n.topic_id for n in ranking.watch] == ["topic-b"]  # a failure is still watched
