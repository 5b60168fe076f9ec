"""Effect sizes for "what drives satisfaction": hand-worked values, labels and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from scoring.stats import (
    Estimate,
    StrengthLabel,
    correlation,
    odds_ratio,
    relate,
    standardized_mean_difference,
    strength,
)

X = [1, 2, 3, 4, 5]
Y = [2, 1, 4, 3, 5]


def test_pearson_with_fisher_interval_by_hand() -> None:
    # deviations of x: -2 -1 0 1 2; of y: -1 -2 1 0 2; sum of products 2 + 2 + 0 + 0 + 4 = 8
    # r = 8 / sqrt(10 * 10) = 0.8; z = atanh(0.8) = 1.0986, se = 1 / sqrt(5 - 3) = 0.7071
    # 1.0986 -+ 1.386 -> tanh(-0.2873) = -0.2796, tanh(2.4845) = 0.9861
    result = correlation(X, Y, method="pearson")
    assert result.estimate == pytest.approx(0.8)
    assert result.low == pytest.approx(-0.2796, abs=1e-4)
    assert result.high == pytest.approx(0.9861, abs=1e-4)
    assert (result.n, result.method) == (5, "pearson")


def test_spearman_uses_the_bonett_wright_standard_error() -> None:
    # ranks equal the values, so rho = 0.8; se = sqrt((1 + 0.8^2 / 2) / 2) = 0.8124
    # 1.0986 -+ 1.5923 -> tanh(-0.4937) = -0.4571, tanh(2.6909) = 0.9908
    result = correlation(X, Y)
    assert result.estimate == pytest.approx(0.8)
    assert result.low == pytest.approx(-0.4571, abs=1e-4)
    assert result.high == pytest.approx(0.9908, abs=1e-4)


def test_correlation_edge_cases() -> None:
    assert not correlation([1, 2], [3, 4]).defined
    assert not correlation([1, 1, 1, 1], [1, 2, 3, 4]).defined
    three = correlation([1, 2, 3], [1, 3, 2])
    assert (three.low, three.high) == (-1, 1)
    with_gaps = correlation([1, 2, None, 3, 4, 5, 9], [2, 1, 7, np.nan, 4, 3, 5])
    assert with_gaps == correlation([1, 2, 4, 5, 9], [2, 1, 4, 3, 5])
    with pytest.raises(ValueError, match="5 signal values but 4 outcomes"):
        correlation(X, Y[:4])
    with pytest.raises(ValueError, match="'spearman' or 'pearson'"):
        correlation(X, Y, method="kendall")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="outcome at position 1 is 'good'"):
        correlation([1, 2, 3], [1, "good", 3])


def test_perfect_correlation_gets_an_honest_interval() -> None:
    # n = 4 on a line: computed as if r = 1 - 1/8 = 0.875 (Spearman se = sqrt(1.3828 / 1)):
    # atanh(0.875) = ln(15)/2 = 1.35403; 1.35403 - 1.95996 * 1.17593 = -0.95075 -> tanh = -0.7401 .. 1
    small = correlation([1, 2, 3, 4], [10, 20, 30, 40])
    assert small.estimate == 1 and small.high == 1
    assert small.low == pytest.approx(-0.7401, abs=1e-4)
    large = correlation(list(range(100)), list(range(100)), method="pearson")
    assert 0.99 < large.low < large.high == 1
    negative = correlation([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])
    positive = correlation([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    assert negative.estimate == -1 and negative.low == -1
    assert negative.high == pytest.approx(-positive.low)


def test_hedges_g_by_hand() -> None:
    # means 2.5 and 4.5, both variances 1.667, pooled sd 1.291; d = -2 / 1.291 = -1.5492
    # J = 1 - 3 / (4 * 8 - 9) = 0.86957; g = -1.3471
    # se = sqrt(8 / 16 + 1.3471^2 / 16) = 0.78321; g -+ 1.5351 -> -2.8822 .. 0.1880
    result = standardized_mean_difference([1, 2, 3, 4], [3, 4, 5, 6])
    assert result.estimate == pytest.approx(-1.3471, abs=1e-4)
    assert result.low == pytest.approx(-2.8822, abs=1e-4)
    assert result.high == pytest.approx(0.1880, abs=1e-4)
    assert result.n == 8


def test_hedges_g_edge_cases() -> None:
    assert not standardized_mean_difference([1], [2, 3]).defined
    assert not standardized_mean_difference([2, 2], [2, 2]).defined


def test_odds_ratio_by_hand() -> None:
    # (10 * 12) / (5 * 3) = 8; se(log) = sqrt(1/10 + 1/5 + 1/3 + 1/12) = 0.84656
    # log 8 = 2.0794 -+ 1.6592 -> exp(0.4202) = 1.522, exp(3.7386) = 42.04
    result = odds_ratio(10, 5, 3, 12)
    assert result.estimate == pytest.approx(8)
    assert result.low == pytest.approx(1.5223, abs=1e-4)
    assert result.high == pytest.approx(42.04, abs=0.01)
    assert (result.n, result.method) == (30, "odds ratio")


def test_odds_ratio_with_a_zero_cell_adds_a_half() -> None:
    # (5.5 * 3.5) / (0.5 * 2.5) = 15.4
    result = odds_ratio(5, 0, 2, 3)
    assert result.estimate == pytest.approx(15.4)
    assert result.method == "odds ratio (+0.5 per cell)"
    assert not odds_ratio(0, 0, 4, 6).defined  # the signal never occurs
    with pytest.raises(ValueError, match="whole counts"):
        odds_ratio(1, 2, -1, 3)


def test_strength_labels_and_their_range() -> None:
    uncertain = strength(correlation(X, Y))  # 0.8, interval -0.46 .. 0.99
    assert uncertain.label is StrengthLabel.STRONG
    assert uncertain.lowest is StrengthLabel.NEGLIGIBLE
    assert uncertain.highest is StrengthLabel.STRONG
    assert not uncertain.distinguishable
    clear = strength(Estimate(0.35, 0.25, 0.44, 400, "spearman"))
    assert (clear.label, clear.lowest, clear.highest) == (
        StrengthLabel.MODERATE,
        StrengthLabel.WEAK,
        StrengthLabel.MODERATE,
    )
    assert clear.distinguishable


@pytest.mark.parametrize(
    ("value", "method", "label"),
    [
        (0.09, "pearson", StrengthLabel.NEGLIGIBLE),
        (-0.1, "spearman", StrengthLabel.WEAK),
        (0.5, "pearson", StrengthLabel.STRONG),
        (0.49, "hedges g", StrengthLabel.WEAK),
        (-0.8, "hedges g", StrengthLabel.STRONG),
        (3.5, "odds ratio", StrengthLabel.MODERATE),
        (1 / 3.5, "odds ratio", StrengthLabel.MODERATE),
        (1.5, "odds ratio (+0.5 per cell)", StrengthLabel.NEGLIGIBLE),
    ],
)
def test_strength_thresholds(value: float, method: str, label: StrengthLabel) -> None:
    assert strength(Estimate(value, value, value, 100, method)).label is label


def test_strength_refuses_what_it_cannot_label() -> None:
    with pytest.raises(ValueError, match="no strength thresholds for a 'newcombe' estimate"):
        strength(Estimate(0.1, 0.0, 0.2, 100, "newcombe"))
    with pytest.raises(ValueError, match="undefined effect"):
        strength(Estimate.undefined(2, "spearman"))


def test_relate_binary_signal_and_binary_outcome() -> None:
    # apology given (1/0) vs CSAT >= 4 (1/0): with apology 4 of 5 satisfied, without 1 of 5
    signal = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    outcome = [1, 1, 1, 1, 0, 1, 0, 0, 0, 0]
    result = relate(signal, outcome)
    assert result.n == 10
    assert result.difference.estimate == pytest.approx(0.6)
    assert result.difference.method == "newcombe"
    assert result.odds_ratio.estimate == pytest.approx(16)  # (4 * 4) / (1 * 1)
    # Spearman of two binary variables is phi = (4*4 - 1*1) / sqrt(5*5*5*5) = 0.6
    assert result.correlation.estimate == pytest.approx(0.6)
    assert result.strength.label is StrengthLabel.STRONG


def test_relate_binary_signal_and_continuous_outcome() -> None:
    signal = [1, 0, 1, 1, 0, 0, 1, 0]
    csat_rating = [5, 2, 4, 5, 3, 1, 4, 2]
    result = relate(signal, csat_rating)
    # mean with the signal (5+4+5+4)/4 = 4.5, without (2+3+1+2)/4 = 2: difference 2.5
    assert result.difference.estimate == pytest.approx(2.5)
    assert result.difference.method == "welch"
    welch = stats.ttest_ind([5, 4, 5, 4], [2, 3, 1, 2], equal_var=False)
    assert result.difference.low == pytest.approx(
        2.5 - stats.t.ppf(0.975, welch.df) * 2.5 / welch.statistic
    )
    assert result.odds_ratio is None


def test_relate_continuous_signal_and_binary_outcome() -> None:
    empathy = [0.9, 0.2, 0.8, 0.7, 0.1, 0.3, None]
    escalated = [0, 1, 0, 0, 1, 1, 0]
    result = relate(empathy, escalated)
    assert result.n == 6
    expected = standardized_mean_difference([0.2, 0.1, 0.3], [0.9, 0.8, 0.7])
    assert result.difference == expected
    assert result.correlation.estimate < 0


def test_relate_two_continuous_variables_and_no_data() -> None:
    result = relate(X, Y)
    assert result.difference is None and result.odds_ratio is None
    nothing = relate([], [])
    assert nothing.n == 0 and nothing.strength is None and not nothing.correlation.defined


pairs = st.lists(
    st.tuples(st.floats(0, 100, allow_nan=False), st.integers(1, 5)), min_size=4, max_size=60
)


@settings(max_examples=200, deadline=None)
@given(pairs, st.sampled_from(["spearman", "pearson"]))
def test_correlation_interval_contains_r(data, method) -> None:
    x, y = [p[0] for p in data], [p[1] for p in data]
    result = correlation(x, y, method=method)
    if result.defined:
        assert -1 <= result.low <= result.estimate + 1e-12
        assert result.estimate <= result.high + 1e-12 <= 1 + 1e-12
        assert not math.isnan(result.low)
