"""Shares with Wilson intervals, NPS, response rate and the Newcombe difference."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.stats import (
    csat,
    nps,
    proportion_difference,
    response_rate,
    share,
    wilson_interval,
)


def test_wilson_by_hand_8_of_10() -> None:
    # p = 0.8, z = 1.96, z^2 = 3.8416, 1 + z^2/n = 1.38416
    # centre = (0.8 + 3.8416/20) / 1.38416 = 0.99208 / 1.38416 = 0.71674
    # half   = 1.96 / 1.38416 * sqrt(0.8*0.2/10 + 3.8416/400) = 1.41602 * 0.16001 = 0.22658
    result = wilson_interval(8, 10)
    assert result.estimate == 0.8
    assert result.low == pytest.approx(0.4902, abs=1e-4)
    assert result.high == pytest.approx(0.9433, abs=1e-4)
    assert (result.n, result.method) == (10, "wilson")


def test_wilson_at_zero_is_not_a_point() -> None:
    # 0 of 10: centre = half = 0.19208 / 1.38416 = 0.13877, so 0 .. 0.2775
    result = wilson_interval(0, 10)
    assert result.low == 0
    assert result.high == pytest.approx(0.2775, abs=1e-4)


def test_wilson_edge_cases() -> None:
    assert not wilson_interval(0, 0).defined
    full = wilson_interval(1, 1)
    assert full.high == 1 and full.low == pytest.approx(0.2065, abs=1e-4)


@pytest.mark.parametrize(
    ("successes", "n", "message"),
    [(11, 10, "between 0 and n"), (-1, 10, "between 0 and n"), (2.5, 10, "whole number")],
)
def test_wilson_refuses_impossible_counts(successes, n, message) -> None:
    with pytest.raises(ValueError, match=message):
        wilson_interval(successes, n)


def test_share_counts_known_flags_only() -> None:
    # FCR flags: resolved, not, unknown, resolved, not -> 2 of 4 known
    result = share([True, False, None, 1, 0, float("nan")])
    assert (result.estimate, result.n) == (0.5, 4)
    with pytest.raises(ValueError, match="true/false or 0/1, got 0.5"):
        share([1, 0.5])
    with pytest.raises(ValueError, match="outside 0-1"):
        share([1, 2])
    assert not share([]).defined


def test_csat_is_the_share_of_fours_and_fives() -> None:
    # 5, 4, 3, 1, (no answer), 5 -> 3 satisfied of 5 answers
    result = csat([5, 4, 3, 1, None, 5])
    assert (result.estimate, result.n) == (0.6, 5)
    assert result.low == pytest.approx(wilson_interval(3, 5).low)
    top_box = csat([5, 4, 3], satisfied_from=5)
    assert top_box.estimate == pytest.approx(1 / 3) and top_box.method == "wilson (CSAT 5-5)"
    with pytest.raises(ValueError, match="satisfied_from"):
        csat([5], satisfied_from=6)


@pytest.mark.parametrize(
    ("rating", "message"), [(6, "outside 1-5"), (4.5, "whole number"), (0, "outside 1-5")]
)
def test_csat_refuses_off_scale_ratings(rating, message) -> None:
    with pytest.raises(ValueError, match=message):
        csat([5, rating])


def test_nps_by_hand() -> None:
    # 10, 9, 8, 7, 6, 0, 10, 9: promoters 4, detractors 2, n = 8 -> NPS = (4 - 2) / 8 = 25
    # adjusted: n' = 11, p = 4.75/11 = 0.43182, d = 2.75/11 = 0.25, centre = 0.18182
    # var = (0.43182 + 0.25 - 0.18182^2) / 11 = 0.058978, sd = 0.24285, half = 0.47598
    result = nps([10, 9, 8, 7, 6, 0, 10, 9, None])
    assert result.estimate == pytest.approx(25)
    assert result.low == pytest.approx(-29.42, abs=0.01)
    assert result.high == pytest.approx(65.78, abs=0.01)
    assert result.n == 8


def test_nps_all_promoters_keeps_a_lower_bound() -> None:
    # five 10s: n' = 8, p = 5.75/8 = 0.71875, d = 0.75/8 = 0.09375, centre 0.625
    # var = (0.8125 - 0.390625) / 8 = 0.052734, half = 1.96 * 0.22964 = 0.45009
    result = nps([10] * 5)
    assert result.estimate == 100 and result.high == 100
    assert result.low == pytest.approx(17.49, abs=0.01)


def test_nps_edge_cases() -> None:
    assert not nps([]).defined
    one = nps([0])
    assert (one.estimate, one.low, one.high) == (-100, -100, 100)
    with pytest.raises(ValueError, match="outside 0-10"):
        nps([11])


def test_response_rate() -> None:
    result = response_rate(30, 300)
    assert result.estimate == 0.1 and result.n == 300
    assert result.low == pytest.approx(wilson_interval(30, 300).low)
    with pytest.raises(ValueError, match="responses must lie between 0 and n"):
        response_rate(40, 30)
    assert not response_rate(0, 0).defined


def test_newcombe_difference_matches_the_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890, example (a): 56/70 - 48/80,
    # method 10 (hybrid score): 0.0524 to 0.3339.
    result = proportion_difference(56, 70, 48, 80)
    assert result.estimate == pytest.approx(0.2)
    assert result.low == pytest.approx(0.0524, abs=1e-4)
    assert result.high == pytest.approx(0.3339, abs=1e-4)
    assert result.n == 150


def test_newcombe_difference_edge_cases() -> None:
    assert not proportion_difference(0, 0, 1, 2).defined
    extreme = proportion_difference(10, 10, 0, 10)
    assert extreme.estimate == 1 and extreme.high == 1 and extreme.low < 1


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 500), st.data())
def test_wilson_contains_the_share(n: int, data) -> None:
    successes = data.draw(st.integers(0, n))
    result = wilson_interval(successes, n)
    assert 0 <= result.low <= result.estimate <= result.high <= 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_nps_interval_contains_the_score(ratings: list[int]) -> None:
    result = nps(ratings)
    assert -100 <= result.low <= result.estimate <= result.high <= 100


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40), st.integers(1, 40), st.integers(0, 40), st.integers(1, 40))
def test_difference_interval_contains_the_difference(a, n_a, b, n_b) -> None:
    a, b = min(a, n_a), min(b, n_b)
    result = proportion_difference(a, n_a, b, n_b)
    assert -1 <= result.low <= result.estimate + 1e-12
    assert result.estimate <= result.high + 1e-12 <= 1 + 1e-12
    assert not math.isnan(result.estimate)
