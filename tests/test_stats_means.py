"""Mean review score with interval: hand-worked figures, edge cases and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from scoring.stats import (
    Estimate,
    bootstrap_mean_interval,
    kish_effective_n,
    mean_interval,
    weighted_mean_interval,
)

scores_strategy = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=40)


def test_textbook_t_interval_by_hand() -> None:
    # Scores 60, 70, 80, 90: mean 75; sum of squares 225 + 25 + 25 + 225 = 500;
    # s^2 = 500 / 3 = 166.67; se = sqrt(166.67 / 4) = 6.455; t(0.975, 3) = 3.182
    # half-width = 3.182 * 6.455 = 20.54  ->  54.46 .. 95.54
    result = mean_interval([60, 70, 80, 90], prior_df=0)
    assert result.estimate == 75
    assert result.low == pytest.approx(54.46, abs=0.01)
    assert result.high == pytest.approx(95.54, abs=0.01)
    assert (result.n, result.method) == (4, "t")
    assert (result.low, result.high) == pytest.approx(
        stats.t.interval(0.95, 3, 75, 6.4550), abs=1e-3
    )


def test_regularised_t_interval_by_hand() -> None:
    # Same scores with the default prior (sd 15, one pseudo degree of freedom):
    # s^2 = (500 + 1 * 15^2) / (3 + 1) = 181.25; se = sqrt(181.25 / 4) = 6.7315;
    # t(0.975, 4) = 2.776; half-width = 18.69  ->  56.31 .. 93.69
    result = mean_interval([60, 70, 80, 90])
    assert result.low == pytest.approx(56.31, abs=0.01)
    assert result.high == pytest.approx(93.69, abs=0.01)


def test_identical_scores_still_have_an_interval() -> None:
    # Three reviews of 100: sum of squares 0; s^2 = 225 / 3 = 75; se = sqrt(75 / 3) = 5;
    # t(0.975, 3) = 3.182 -> low = 100 - 15.91 = 84.09; high clipped to the scale's 100.
    result = mean_interval([100, 100, 100])
    assert result.estimate == 100
    assert result.low == pytest.approx(84.09, abs=0.01)
    assert result.high == 100
    textbook = mean_interval([100, 100, 100], prior_df=0)
    assert textbook.low == textbook.high == 100  # the dishonest answer the prior avoids


def test_one_review_spans_the_whole_scale() -> None:
    result = mean_interval([42])
    assert (result.estimate, result.low, result.high, result.n) == (42, 0, 100, 1)
    textbook = mean_interval([42], prior_df=0)
    assert (textbook.low, textbook.high) == (0, 100)
    assert "whole scale" in textbook.method


def test_no_reviews_is_undefined_not_zero() -> None:
    result = mean_interval([])
    assert not result.defined
    assert math.isnan(result.estimate) and math.isnan(result.low) and math.isnan(result.high)
    assert result.n == 0


def test_missing_scores_are_skipped_not_counted() -> None:
    with_gaps = mean_interval([60, None, 70, float("nan"), 80, 90, np.nan])
    assert with_gaps == mean_interval([60, 70, 80, 90])
    assert not mean_interval([None, float("nan")]).defined


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([50, 120], "position 1 is 120, outside 0-100"),
        ([-1], "position 0 is -1, outside 0-100"),
        ([50, "n/a"], "position 1 is 'n/a', not a finite number"),
        ([float("inf")], "position 0 is inf, not a finite number"),
    ],
)
def test_bad_scores_are_refused_with_their_position(scores: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mean_interval(scores)


def test_interval_is_clipped_to_the_scale() -> None:
    result = mean_interval([0, 0, 5])
    assert result.low == 0 and result.high < 100


def test_level_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="level"):
        mean_interval([50, 60], level=95)


def test_a_wider_level_gives_a_wider_interval() -> None:
    assert (
        mean_interval([60, 70, 80, 90], level=0.99).half_width
        > mean_interval([60, 70, 80, 90]).half_width
    )


def test_estimate_is_plain_python_data() -> None:
    result = mean_interval(np.array([60.0, 70.0]))
    assert type(result.low) is float and type(result.n) is int
    assert result.to_dict()["method"] == "t"
    with pytest.raises(AttributeError):
        result.estimate = 1.0  # type: ignore[misc]


def test_kish_effective_n_by_hand() -> None:
    # weights 3 and 1: (3 + 1)^2 / (9 + 1) = 1.6
    assert kish_effective_n([3, 1]) == pytest.approx(1.6)
    assert kish_effective_n([2, 2, 2, 2]) == pytest.approx(4)
    assert kish_effective_n([]) == 0
    assert kish_effective_n([0, 0]) == 0


def test_weighted_mean_with_equal_weights_is_the_plain_mean() -> None:
    plain = mean_interval([60, 70, 80, 90])
    weighted = weighted_mean_interval([60, 70, 80, 90], [2, 2, 2, 2])
    assert (weighted.estimate, weighted.low, weighted.high) == pytest.approx(
        (plain.estimate, plain.low, plain.high)
    )
    assert weighted.n_effective == pytest.approx(4)


def test_weighted_mean_interval_by_hand() -> None:
    # scores 50, 70, 90 with weights 1, 2, 1: mean (50 + 140 + 90) / 4 = 70
    # n_eff = 16 / 6 = 2.667; weighted mean square = (400 + 0 + 400) / 4 = 200
    # sum of squares on the n_eff scale = 2.667 * 200 = 533.3; textbook s^2 = 533.3 / 1.667 = 320
    # se = sqrt(320 / 2.667) = sqrt(120) = 10.954 with 1.667 degrees of freedom
    result = weighted_mean_interval([50, 70, 90], [1, 2, 1], prior_df=0)
    assert result.estimate == pytest.approx(70)
    assert result.n == 3 and result.n_effective == pytest.approx(8 / 3)
    half = stats.t.ppf(0.975, 5 / 3) * math.sqrt(120)
    assert result.low == pytest.approx(max(0, 70 - half))
    assert result.high == pytest.approx(min(100, 70 + half))


def test_weighted_mean_skips_missing_scores_and_zero_weights() -> None:
    result = weighted_mean_interval([60, None, 80, 10], [1, 5, 1, 0])
    assert result.estimate == pytest.approx(70)
    assert result.n == 2


@pytest.mark.parametrize(
    ("scores", "weights", "message"),
    [
        ([50, 60], [1], "2 scores but 1 weights"),
        ([50, 60], [1, -1], "weight at position 1 is -1"),
        ([50, 60], [1, None], "score at position 1 has no weight"),
        ([50, None, 60], [1, 1, -2], "weight at position 2 is -2"),
    ],
)
def test_weighted_mean_refuses_bad_weights(scores, weights, message) -> None:
    with pytest.raises(ValueError, match=message):
        weighted_mean_interval(scores, weights)


def test_weighted_mean_of_nothing_is_undefined() -> None:
    assert not weighted_mean_interval([], []).defined
    assert not weighted_mean_interval([50], [0]).defined


def test_bootstrap_is_seeded_and_reproducible() -> None:
    scores = [55, 60, 72, 80, 85, 90, 95, 100]
    first = bootstrap_mean_interval(scores, seed=7)
    assert first == bootstrap_mean_interval(scores, seed=7)
    assert first != bootstrap_mean_interval(scores, seed=8)
    assert first.low < first.estimate < first.high
    assert min(scores) <= first.low and first.high <= max(scores)


def test_bootstrap_quantiles_by_hand_for_two_scores() -> None:
    # Two scores 60 and 80: a resample's mean is 60 (1/4), 70 (1/2) or 80 (1/4), so the
    # 2.5% and 97.5% quantiles of 2,000 resample means are 60 and 80.
    result = bootstrap_mean_interval([60, 80], seed=1)
    assert (result.low, result.high) == (60, 80)


def test_bootstrap_edge_cases() -> None:
    assert not bootstrap_mean_interval([]).defined
    one = bootstrap_mean_interval([70])
    assert (one.low, one.high) == (0, 100)
    same = bootstrap_mean_interval([90, 90, 90])
    assert same.low == same.high == 90  # its known weakness, documented
    with pytest.raises(ValueError, match="resamples"):
        bootstrap_mean_interval([1, 2], resamples=10)


def test_bootstrap_handles_large_samples_in_chunks() -> None:
    rng = np.random.default_rng(3)
    scores = rng.uniform(0, 100, 5000)
    result = bootstrap_mean_interval(scores, resamples=1000, seed=3)
    t_result = mean_interval(scores)
    assert result.half_width == pytest.approx(t_result.half_width, rel=0.15)


@settings(max_examples=200, deadline=None)
@given(scores_strategy)
def test_interval_contains_the_estimate_and_stays_on_the_scale(scores: list[float]) -> None:
    result = mean_interval(scores)
    assert 0 <= result.low <= result.estimate <= result.high <= 100
    assert result.n == len(scores)


@settings(max_examples=100, deadline=None)
@given(scores_strategy, st.data())
def test_weighted_interval_contains_the_estimate(scores: list[float], data) -> None:
    weights = data.draw(st.lists(st.floats(0.1, 10), min_size=len(scores), max_size=len(scores)))
    result = weighted_mean_interval(scores, weights)
    assert 0 <= result.low <= result.estimate + 1e-9
    assert result.estimate <= result.high + 1e-9 <= 100 + 1e-9
    assert 1 - 1e-9 <= result.n_effective <= len(scores) + 1e-9


@settings(max_examples=50, deadline=None)
@given(scores_strategy)
def test_more_data_of_the_same_kind_narrows_the_interval(scores: list[float]) -> None:
    doubled = mean_interval(scores * 2)
    single = mean_interval(scores)
    assert doubled.half_width <= single.half_width + 1e-9


def test_estimate_helpers() -> None:
    e = Estimate(70, 60, 80, 10, "t")
    assert e.contains(60) and e.contains(80) and not e.contains(81)
    assert e.excludes(81) and not e.excludes(70)
    assert not Estimate.undefined(0, "t").excludes(0)
    assert e.half_width == 10
