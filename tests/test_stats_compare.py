"""Before/after comparisons of means and shares: Welch, Newcombe, verdicts, sample sizes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from scoring.stats import Verdict, compare_means, compare_proportions
from scoring.stats.compare import reviews_needed_for_means, reviews_needed_for_proportions

BEFORE = [70, 75, 80, 72, 68]  # mean 73, sum of squares 9 + 4 + 49 + 1 + 25 = 88, s^2 = 22
AFTER = [80, 85, 90, 88, 84]  # mean 85.4, sum of squares 59.2, s^2 = 14.8


def test_textbook_welch_by_hand() -> None:
    # se = sqrt(22/5 + 14.8/5) = sqrt(7.36) = 2.7129; t = 12.4 / 2.7129 = 4.571
    # df = 7.36^2 / (4.4^2/4 + 2.96^2/4) = 54.17 / 7.0304 = 7.705
    result = compare_means(BEFORE, AFTER, prior_df=0)
    assert result.difference.estimate == pytest.approx(12.4)
    half = stats.t.ppf(0.975, 7.705) * math.sqrt(7.36)
    assert result.difference.low == pytest.approx(12.4 - half, abs=1e-3)
    assert result.difference.high == pytest.approx(12.4 + half, abs=1e-3)
    reference = stats.ttest_ind(AFTER, BEFORE, equal_var=False)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert result.verdict is Verdict.IMPROVED
    assert (result.before.estimate, result.after.estimate) == (73, 85.4)
    assert result.difference.n == 10


def test_default_welch_uses_the_regularised_variances() -> None:
    # s1^2 = (88 + 225) / 5 = 62.6, s2^2 = (59.2 + 225) / 5 = 56.84, each with 5 df
    # se = sqrt(62.6/5 + 56.84/5) = sqrt(23.888) = 4.8875; df = 23.888^2 / (12.52^2/5 + 11.368^2/5)
    result = compare_means(BEFORE, AFTER)
    se = math.sqrt(23.888)
    df = 23.888**2 / (12.52**2 / 5 + 11.368**2 / 5)
    assert result.difference.high - 12.4 == pytest.approx(stats.t.ppf(0.975, df) * se, abs=1e-3)
    assert result.p_value == pytest.approx(2 * stats.t.sf(12.4 / se, df))


def test_verdicts_follow_the_interval_and_the_direction() -> None:
    assert compare_means(AFTER, BEFORE).verdict is Verdict.WORSENED
    assert compare_means(AFTER, BEFORE, higher_is_better=False).verdict is Verdict.IMPROVED
    unclear = compare_means([70, 80, 75, 85], [78, 88, 72, 90])
    assert unclear.verdict is Verdict.NOT_DISTINGUISHABLE
    assert unclear.difference.contains(0) and unclear.p_value > 0.05
    assert Verdict.NOT_DISTINGUISHABLE == "not_distinguishable"


def test_more_reviews_needed_when_not_distinguishable_yet() -> None:
    unclear = compare_means([70, 80, 75, 85], [78, 88, 72, 90])
    needed = unclear.reviews_needed_per_period
    assert needed is not None and needed > 4
    assert unclear.more_reviews_needed == (needed - 4, needed - 4)
    clear = compare_means(BEFORE, AFTER)
    assert clear.more_reviews_needed == (0, 0)


def test_reviews_needed_reproduces_cohens_table() -> None:
    # d = 0.5 sd (5 points with sd 10 in both periods), alpha 0.05 two-sided, power 0.8:
    # Cohen (1988), Table 2.4.1, gives n = 64 per group.
    assert reviews_needed_for_means(5, 100, 100) == 64
    # normal approximation: (1.960 + 0.842)^2 * 200 / 25 = 62.8; the t quantiles add one
    assert reviews_needed_for_means(-5, 100, 100) == 64
    assert reviews_needed_for_means(0, 100, 100) is None
    assert reviews_needed_for_means(50, 1, 1) == 2
    with pytest.raises(ValueError, match="power"):
        reviews_needed_for_means(5, 100, 100, power=80)


def test_empty_period_is_not_distinguishable() -> None:
    result = compare_means([], AFTER)
    assert not result.difference.defined and math.isnan(result.p_value)
    assert result.verdict is Verdict.NOT_DISTINGUISHABLE
    assert result.reviews_needed_per_period is None and result.more_reviews_needed is None


def test_single_reviews_and_equal_scores() -> None:
    one_each = compare_means([60], [90])
    assert one_each.verdict is Verdict.NOT_DISTINGUISHABLE
    textbook_one = compare_means([60], [90], prior_df=0)
    assert textbook_one.difference.method == "welch (no spread estimate)"
    assert (textbook_one.difference.low, textbook_one.difference.high) == (-100, 100)
    assert textbook_one.p_value == 1
    same = compare_means([80, 80, 80], [80, 80, 80], prior_df=0)
    assert same.p_value == 1 and same.verdict is Verdict.NOT_DISTINGUISHABLE
    assert same.reviews_needed_per_period is None
    with pytest.raises(ValueError, match="outside 0-100"):
        compare_means([50], [101])


def test_compare_proportions_uses_newcombe_and_the_pooled_z_test() -> None:
    # CSAT 48/80 before, 56/70 after: difference 0.2, Newcombe 0.0524 .. 0.3339
    result = compare_proportions(48, 80, 56, 70)
    assert result.difference.estimate == pytest.approx(0.2)
    assert result.difference.low == pytest.approx(0.0524, abs=1e-4)
    assert result.difference.high == pytest.approx(0.3339, abs=1e-4)
    # pooled p = 104/150 = 0.6933; se = sqrt(0.6933 * 0.3067 * (1/80 + 1/70)) = 0.07547
    assert result.p_value == pytest.approx(2 * stats.norm.sf(0.2 / 0.075468), rel=1e-3)
    assert result.verdict is Verdict.IMPROVED


def test_critical_fail_rate_going_up_is_worse() -> None:
    result = compare_proportions(2, 100, 12, 100, higher_is_better=False)
    assert result.verdict is Verdict.WORSENED


def test_reviews_needed_for_proportions_by_hand() -> None:
    # 50% -> 60%: pbar 0.55; 1.95996 * sqrt(2 * 0.55 * 0.45) = 1.37895
    # 0.84162 * sqrt(0.25 + 0.24) = 0.58914; (1.96809)^2 / 0.01 = 387.3 -> 388
    assert reviews_needed_for_proportions(0.5, 0.6) == 388
    assert reviews_needed_for_proportions(0.5, 0.5) is None
    result = compare_proportions(50, 100, 60, 100)
    assert result.verdict is Verdict.NOT_DISTINGUISHABLE
    assert result.reviews_needed_per_period == 388
    assert result.more_reviews_needed == (288, 288)


def test_compare_proportions_edge_cases() -> None:
    empty = compare_proportions(0, 0, 3, 10)
    assert empty.verdict is Verdict.NOT_DISTINGUISHABLE and math.isnan(empty.p_value)
    all_same = compare_proportions(10, 10, 10, 10)
    assert all_same.p_value == 1 and all_same.verdict is Verdict.NOT_DISTINGUISHABLE


scores = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(scores, scores)
def test_verdict_agrees_with_interval_and_p_value(before, after) -> None:
    result = compare_means(before, after)
    d = result.difference
    assert d.low <= d.estimate <= d.high
    distinguishable = result.verdict is not Verdict.NOT_DISTINGUISHABLE
    assert distinguishable == d.excludes(0)
    if distinguishable:
        assert result.p_value < 0.05 + 1e-9


def test_a_negligible_difference_needs_no_attainable_number_of_reviews() -> None:
    assert reviews_needed_for_means(1e-200, 100, 100) is None
    assert reviews_needed_for_means(1e-6, 100, 100) is None  # 1.6e15 reviews per period
    assert reviews_needed_for_proportions(0.5, 0.5 + 1e-9) is None
