"""Whether a suggestion earns its place: kappas worked by hand, then the verdicts."""

from __future__ import annotations

import pytest

from scoring.rubric.suggestion_gate import (
    BELOW_REVIEWERS,
    EARNED,
    UNMEASURED,
    judge_suggestion,
    weighted_kappa,
)

PASS_FAIL = (0, 1)

# Suggestion against the human grade, 10 conversations: 6 both pass, 2 both fail,
# 1 suggested pass / graded fail, 1 suggested fail / graded pass.
# p_o = 8/10 = 0.8; marginals 0.7/0.3 on both sides: p_e = 0.49 + 0.09 = 0.58;
# kappa = (0.8 - 0.58) / (1 - 0.58) = 0.22 / 0.42 = 0.5238.
SUGGESTED = [1] * 6 + [0] * 2 + [1, 0]
GRADED = [1] * 6 + [0] * 2 + [0, 1]
# Two reviewers, 10 conversations: 5 both pass, 4 both fail, 1 pass / fail.
# p_o = 0.9; marginals A 0.6/0.4, B 0.5/0.5: p_e = 0.3 + 0.2 = 0.5; kappa = 0.4 / 0.5 = 0.8.
REVIEWER_A = [1] * 5 + [0] * 4 + [1]
REVIEWER_B = [1] * 5 + [0] * 4 + [0]


def test_unweighted_two_level_kappas_by_hand() -> None:
    assert weighted_kappa(SUGGESTED, GRADED, PASS_FAIL) == pytest.approx(0.22 / 0.42, abs=1e-4)
    assert weighted_kappa(REVIEWER_A, REVIEWER_B, PASS_FAIL) == pytest.approx(0.8)


def test_linear_weighted_kappa_on_a_three_level_scale_by_hand() -> None:
    # pairs (1,1) (2,2) (3,3) (3,3) (1,2) (2,3): observed disagreement 2/6;
    # marginals a = 1/3 each, b = 1/6, 2/6, 3/6: expected disagreement
    # 1/3 * (2/6 + 6/6) + 1/3 * (1/6 + 3/6) + 1/3 * (2/6 + 2/6) = 16/18;
    # kappa = 1 - (2/6) / (16/18) = 1 - 0.375 = 0.625.
    a = [1, 2, 3, 3, 1, 2]
    b = [1, 2, 3, 3, 2, 3]
    assert weighted_kappa(a, b, (1, 2, 3)) == pytest.approx(0.625)


def test_a_suggestion_below_the_reviewers_is_hidden_with_both_figures() -> None:
    verdict = judge_suggestion(SUGGESTED, GRADED, REVIEWER_A, REVIEWER_B, PASS_FAIL)
    assert not verdict.shown and verdict.reason == BELOW_REVIEWERS
    assert verdict.auto_kappa == pytest.approx(0.5238, abs=1e-4)
    assert verdict.reviewer_kappa == pytest.approx(0.8)
    assert (verdict.auto_pairs, verdict.reviewer_pairs) == (10, 10)


def test_a_suggestion_that_reaches_the_reviewers_is_shown() -> None:
    verdict = judge_suggestion(REVIEWER_A, REVIEWER_B, SUGGESTED, GRADED, PASS_FAIL)
    assert verdict.shown and verdict.reason == EARNED
    # reaching is enough: equal agreement earns the place
    equal = judge_suggestion(SUGGESTED, GRADED, SUGGESTED, GRADED, PASS_FAIL)
    assert equal.shown and equal.reason == EARNED


def test_too_few_pairs_or_an_undefined_kappa_gives_no_verdict() -> None:
    few = judge_suggestion(SUGGESTED[:9], GRADED[:9], REVIEWER_A, REVIEWER_B, PASS_FAIL)
    assert few.shown and few.reason == UNMEASURED and few.auto_pairs == 9
    same = [1] * 12
    undefined = judge_suggestion(same, same, REVIEWER_A, REVIEWER_B, PASS_FAIL)
    assert undefined.shown and undefined.reason == UNMEASURED
    assert undefined.auto_kappa is None
    nothing = judge_suggestion([], [], [], [], PASS_FAIL)
    assert nothing.shown and nothing.reason == UNMEASURED
