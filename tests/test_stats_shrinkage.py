"""Empirical-Bayes shrinkage of agent means and the minimum-sample rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from scoring.stats import min_reviews_to_rank, reliability_of_mean, shrink_agent_means
from scoring.stats.shrinkage import agent_variances, between_variance

# Three agents with four reviews each, chosen so every figure can be done by hand.
BALANCED = {
    "anna": [70, 80, 70, 80],  # mean 75, sum of squares 100
    "boris": [80, 90, 80, 90],  # mean 85, sum of squares 100
    "clara": [60, 70, 60, 70],  # mean 65, sum of squares 100
}


def test_balanced_team_by_hand() -> None:
    # pooled within variance = 300 / 9 = 33.33 (textbook: prior_df=0); v = 33.33 / 4 = 8.333
    # variance of the means = (0 + 100 + 100) / 2 = 100, so tau^2 = 100 - 8.333 = 91.667
    # B = 8.333 / 100 = 0.08333; boris: 85 + 0.08333 * (75 - 85) = 84.167
    result = shrink_agent_means(BALANCED, prior_df=0)
    assert result.within_sd == pytest.approx(math.sqrt(100 / 3))
    assert result.between_sd == pytest.approx(math.sqrt(91.6667), rel=1e-4)
    assert result.team_mean.estimate == pytest.approx(75)
    boris = result.agents["boris"]
    assert boris.raw.estimate == 85
    assert boris.weight_on_team == pytest.approx(1 / 12)
    assert boris.shrunk.estimate == pytest.approx(84.1667, abs=1e-4)
    assert result.agents["clara"].shrunk.estimate == pytest.approx(65.8333, abs=1e-4)
    assert result.agents["anna"].shrunk.estimate == pytest.approx(75)


def test_balanced_posterior_interval_by_hand() -> None:
    # (1 - B) v = 0.91667 * 8.3333 = 7.6389; Var(mu) = 1 / (3 / 100) = 33.33, B^2 Var(mu) = 0.2315
    # Var(tau^2) = 2 (v + tau^2)^2 / (k - 1) = 10000; slope = (75 - 85) * B / 100 = -0.008333,
    # slope^2 * 10000 = 0.6944; total 8.5648 -> sd 2.9266 -> 84.167 -+ 5.736 = 78.43 .. 89.90
    boris = shrink_agent_means(BALANCED, prior_df=0).agents["boris"].shrunk
    assert boris.low == pytest.approx(78.43, abs=0.01)
    assert boris.high == pytest.approx(89.90, abs=0.01)
    assert boris.n == 4 and boris.method == "empirical bayes (reml)"


def test_moments_and_reml_agree_on_a_balanced_team() -> None:
    reml = shrink_agent_means(BALANCED, prior_df=0)
    moments = shrink_agent_means(BALANCED, prior_df=0, method="moments")
    assert moments.between_sd == pytest.approx(reml.between_sd, rel=1e-6)
    assert moments.method == "empirical bayes (moments)"


def _restricted_loglik(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    w = 1 / (v + tau2)
    mu = (w * y).sum() / w.sum()
    return -0.5 * (np.log(v + tau2).sum() + np.log(w.sum()) + (w * (y - mu) ** 2).sum())


def test_reml_maximises_the_restricted_likelihood() -> None:
    y = np.array([62.0, 71.0, 88.0, 79.0, 93.0, 70.0])
    v = np.array([40.0, 12.0, 25.0, 6.0, 80.0, 15.0])
    found = between_variance(y, v)
    best = optimize.minimize_scalar(
        lambda t: -_restricted_loglik(t, y, v),
        bounds=(0, 2000),
        method="bounded",
        options={"xatol": 1e-8},
    )
    assert found == pytest.approx(best.x, rel=1e-4)


def test_between_variance_is_clipped_at_zero() -> None:
    # means closer together than their noise allows: no real difference between agents
    assert between_variance([70, 71, 70.5], [50, 50, 50]) == 0
    assert between_variance([70, 71, 70.5], [50, 50, 50], method="moments") == 0
    assert math.isnan(between_variance([70], [5]))
    with pytest.raises(ValueError, match="'reml' or 'moments'"):
        between_variance([70, 80], [5, 5], method="ml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite and positive"):
        between_variance([70, 80], [5, 0])


def test_indistinguishable_agents_are_all_pulled_to_the_team_and_not_ranked() -> None:
    team = {"a": [60, 90, 75, 80], "b": [90, 60, 80, 74], "c": [75, 75, 70, 85]}
    result = shrink_agent_means(team)
    assert result.between_sd == 0
    assert result.min_reviews_to_rank is None
    for agent in result.agents.values():
        assert agent.weight_on_team == 1
        assert agent.shrunk.estimate == pytest.approx(result.team_mean.estimate)
        assert not agent.rankable


def test_agent_without_reviews_gets_the_team_prediction() -> None:
    result = shrink_agent_means({**BALANCED, "new": [None, float("nan")]}, prior_df=0)
    new = result.agents["new"]
    assert not new.raw.defined and new.raw.n == 0
    assert new.shrunk.estimate == pytest.approx(75)
    assert new.weight_on_team == 1
    # prediction variance tau^2 + Var(mu) = 91.67 + 33.33 = 125 -> +- 1.96 * 11.18 = 21.9
    assert new.shrunk.half_width == pytest.approx(1.959964 * math.sqrt(125), abs=1e-3)


def test_one_agent_is_not_shrunk() -> None:
    result = shrink_agent_means({"solo": [70, 80, 90]})
    assert result.method == "none (fewer than two agents with reviews)"
    solo = result.agents["solo"]
    assert solo.shrunk == solo.raw and not solo.rankable
    assert math.isnan(result.between_sd)


def test_no_within_spread_without_a_prior_is_not_shrunk() -> None:
    result = shrink_agent_means({"a": [70, 70], "b": [90, 90]}, prior_df=0)
    assert result.method == "none (no within-agent spread)"
    with_prior = shrink_agent_means({"a": [70, 70], "b": [90, 90]})
    assert with_prior.method == "empirical bayes (reml)"


def test_empty_input() -> None:
    result = shrink_agent_means({})
    assert result.agents == {} and not result.team_mean.defined
    frame = pd.DataFrame({"agent": [], "score": []})
    assert shrink_agent_means(frame).agents == {}


def test_dataframe_input_with_own_column_names() -> None:
    rows = [(agent, s) for agent, scores in BALANCED.items() for s in scores]
    frame = pd.DataFrame(rows, columns=["who", "overall"])
    result = shrink_agent_means(frame, agent="who", score="overall", prior_df=0)
    assert result.agents["boris"].shrunk.estimate == pytest.approx(84.1667, abs=1e-4)
    with pytest.raises(ValueError, match="no column 'agent'"):
        shrink_agent_means(frame)
    bad = pd.DataFrame({"agent": ["a"], "score": [130]})
    with pytest.raises(ValueError, match="'a' score at position 0 is 130, outside 0-100"):
        shrink_agent_means(bad)


def test_rankable_follows_the_minimum_sample_rule() -> None:
    rng = np.random.default_rng(5)
    team = {
        f"a{i}": rng.normal(60 + 4 * i, 8, n).clip(0, 100) for i, n in enumerate([3, 8, 20, 40, 60])
    }
    result = shrink_agent_means(team)
    needed = result.min_reviews_to_rank
    assert needed == min_reviews_to_rank(result.within_sd, result.between_sd)
    assert needed is not None and needed >= 5
    for agent in result.agents.values():
        assert agent.rankable == (agent.raw.n >= needed)


def test_min_reviews_to_rank_by_hand() -> None:
    # within sd 20, between sd 5: n >= 0.7 / 0.3 * 400 / 25 = 37.33 -> 38
    assert min_reviews_to_rank(20, 5) == 38
    # within sd 10, between sd 10: 2.33 -> the floor of 5
    assert min_reviews_to_rank(10, 10) == 5
    assert min_reviews_to_rank(10, 10, floor=1) == 3
    assert min_reviews_to_rank(10, 0) is None
    with pytest.raises(ValueError, match="reliability"):
        min_reviews_to_rank(10, 10, reliability=1.0)


def test_reliability_of_mean_by_hand() -> None:
    # 25 / (25 + 400 / 10) = 0.3846; at the rule's n = 38: 25 / (25 + 10.53) = 0.7037
    assert reliability_of_mean(10, 20, 5) == pytest.approx(25 / 65)
    assert reliability_of_mean(38, 20, 5) >= 0.7 > reliability_of_mean(37, 20, 5)
    assert reliability_of_mean(0, 20, 5) == 0


groups_strategy = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f"]),
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=12),
    min_size=2,
)


@settings(max_examples=150, deadline=None)
@given(groups_strategy)
def test_shrunk_estimate_lies_between_raw_mean_and_team_mean(groups) -> None:
    result = shrink_agent_means(groups)
    team = result.team_mean.estimate
    for agent in result.agents.values():
        raw, shrunk = agent.raw.estimate, agent.shrunk.estimate
        assert min(raw, team) - 1e-9 <= shrunk <= max(raw, team) + 1e-9
        assert 0 <= agent.weight_on_team <= 1
        assert agent.shrunk.low <= shrunk <= agent.shrunk.high
        assert agent.shrunk.low >= 0 and agent.shrunk.high <= 100


def test_agent_variances_by_hand() -> None:
    groups = {"a": np.array([60.0, 80.0]), "b": np.array([70.0, 72.0, 68.0, 70.0]),
              "new": np.array([])}  # fmt: skip
    # agent: (SS + d0 s_w^2) / (n - 1 + d0) / n with s_w^2 = 50, d0 = 4
    #   a: (200 + 200) / 5 / 2 = 40;  b: (8 + 200) / 7 / 4 = 7.4286
    assert agent_variances(groups, 50.0, "agent", prior_df=4) == pytest.approx(
        {"a": 40.0, "b": 208 / 28, "new": None}
    )
    assert agent_variances(groups, 50.0, "pooled") == {"a": 25.0, "b": 12.5, "new": None}
    with pytest.raises(ValueError, match="variance must be 'pooled' or 'agent'"):
        agent_variances(groups, 50.0, "own")  # type: ignore[arg-type]


def test_a_swinging_agent_is_shrunk_more_than_a_steady_one_with_as_many_reviews() -> None:
    # same mean (70) and n; one agent steady, one with a critical fail (0) among good reviews
    team = {"steady": [68, 70, 72, 70, 70], "swinging": [85, 90, 90, 85, 0],
            "c": [80, 82, 84, 78, 81], "d": [60, 62, 58, 61, 59]}  # fmt: skip
    agent = shrink_agent_means(team)
    pooled = shrink_agent_means(team, variance="pooled")
    assert pooled.agents["steady"].weight_on_team == pooled.agents["swinging"].weight_on_team
    assert agent.agents["swinging"].weight_on_team > agent.agents["steady"].weight_on_team
    assert pooled.method == "empirical bayes (reml), pooled variance"
