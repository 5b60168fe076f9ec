"""Reviewer severity from overlapping reviews, and scores corrected for it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.stats import Estimate, correct_for_severity, mean_interval, reviewer_severity

OVERLAP = pd.DataFrame(
    {
        "conversation_id": [1, 1, 2, 2, 3, 3, 3, 4],
        "reviewer": ["x", "y", "x", "y", "x", "y", "z", "x"],
        "score": [70, 80, 60, 75, 90, 95, 100, 50],
    }
)


def test_two_reviewers_by_hand() -> None:
    # conversations 1 and 2 graded by x and y: x - y = -10 and -15, mean -12.5, so the
    # offsets from the average reviewer are x = -6.25, y = +6.25.
    # residuals +-1.25 on every row: RSS = 4 * 1.5625 = 6.25 with 4 - 2 - 1 = 1 df.
    # textbook: Var = 6.25 / 4 = 1.5625 (se 1.25), t(0.975, 1) = 12.706 -> -6.25 -+ 15.88
    # default prior: s^2 = (6.25 + 225) / 2 = 115.6, Var = 28.91 (se 5.377), t(0.975, 2)
    # = 4.303 -> -6.25 -+ 23.13
    two = OVERLAP[OVERLAP["conversation_id"] <= 2]
    textbook = reviewer_severity(two, shrink=False, prior_df=0)
    assert textbook["x"].estimate == pytest.approx(-6.25)
    assert textbook["y"].estimate == pytest.approx(6.25)
    assert textbook["x"].low == pytest.approx(-22.13, abs=0.01)
    assert textbook["x"].high == pytest.approx(9.63, abs=0.01)
    assert (textbook["x"].n, textbook["x"].method) == (2, "additive model")
    default = reviewer_severity(two, shrink=False)
    assert default["x"].low == pytest.approx(-29.38, abs=0.01)


def _dummy_regression(frame: pd.DataFrame) -> dict[str, float]:
    """The same model fitted the long way: a dummy for every conversation and reviewer."""
    shared = frame[frame.groupby("conversation_id")["reviewer"].transform("size") > 1]
    items = sorted(shared["conversation_id"].unique())
    reviewers = sorted(shared["reviewer"].unique())
    k = len(reviewers)
    rows = []
    for _, row in shared.iterrows():
        item_part = [float(row["conversation_id"] == i) for i in items]
        codes = [float(row["reviewer"] == r) for r in reviewers]
        rows.append(item_part + [codes[j] - codes[-1] for j in range(k - 1)])
    beta, *_ = np.linalg.lstsq(np.array(rows), shared["score"].to_numpy(float), rcond=None)
    effects = list(beta[len(items) :])
    return dict(zip(reviewers, [*effects, -sum(effects)], strict=True))


def test_additive_model_matches_a_full_dummy_regression() -> None:
    result = reviewer_severity(OVERLAP, shrink=False)
    expected = _dummy_regression(OVERLAP)
    assert {k: e.estimate for k, e in result.items()} == pytest.approx(expected)
    assert sum(e.estimate for e in result.values()) == pytest.approx(0)
    assert (result["x"].n, result["y"].n, result["z"].n) == (3, 3, 1)  # conversation 4 is alone


def test_offsets_from_an_agreed_consensus() -> None:
    # consensus 75, 70, 95: x -5, -10, -5 -> -6.667; y +5, +5, 0 -> +3.333; z +5
    # x's interval: sum of squares 16.67; s^2 = (16.67 + 225) / 3 = 80.56; se = 5.18
    consensus = {1: 75, 2: 70, 3: 95, 9: None}
    result = reviewer_severity(OVERLAP, consensus=consensus, shrink=False)
    assert result["x"].estimate == pytest.approx(-20 / 3)
    assert result["y"].estimate == pytest.approx(10 / 3)
    assert result["z"].estimate == pytest.approx(5)
    assert result["x"].method == "consensus"
    expected = mean_interval([-5, -10, -5], bounds=(-100, 100))
    assert (result["x"].low, result["x"].high) == pytest.approx((expected.low, expected.high))


def test_shrunk_severity_is_pulled_toward_the_average() -> None:
    raw = reviewer_severity(OVERLAP, shrink=False)
    shrunk = reviewer_severity(OVERLAP)
    centre = np.mean([e.estimate for e in raw.values()])
    for who in raw:
        assert shrunk[who].method == "additive model, shrunk"
        assert abs(shrunk[who].estimate - centre) <= abs(raw[who].estimate - centre) + 1e-9
        assert shrunk[who].low <= shrunk[who].estimate <= shrunk[who].high


def test_reviewers_who_never_overlap_are_compared_within_their_own_group() -> None:
    frame = pd.DataFrame(
        {
            "conversation_id": [1, 1, 2, 2, 3, 3, 4, 4],
            "reviewer": ["a", "b", "a", "b", "c", "d", "c", "d"],
            "score": [60, 70, 65, 75, 80, 90, 85, 91],
        }
    )
    result = reviewer_severity(frame, shrink=False)
    assert result["a"].estimate == pytest.approx(-5)
    assert result["c"].estimate == pytest.approx(-4)
    assert result["a"].estimate + result["b"].estimate == pytest.approx(0)


def test_severity_edge_cases() -> None:
    assert reviewer_severity(OVERLAP.iloc[0:0]) == {}
    single = pd.DataFrame({"conversation_id": [1, 2], "reviewer": ["x", "y"], "score": [70, 80]})
    assert reviewer_severity(single) == {}
    with_gap = pd.concat(
        [OVERLAP, pd.DataFrame({"conversation_id": [1], "reviewer": ["w"], "score": [None]})]
    )
    assert reviewer_severity(with_gap, shrink=False) == reviewer_severity(OVERLAP, shrink=False)
    twice = pd.DataFrame({"conversation_id": [1, 1], "reviewer": ["x", "x"], "score": [70, 80]})
    with pytest.raises(ValueError, match="conversation 1 has more than one review by the same"):
        reviewer_severity(twice)
    bad = OVERLAP.assign(score=[70, 80, 60, 75, 90, 95, 104, 50])
    with pytest.raises(ValueError, match="score at position 6 is 104, outside 0-100"):
        reviewer_severity(bad)
    with pytest.raises(ValueError, match="no column 'reviewer'"):
        reviewer_severity(OVERLAP.rename(columns={"reviewer": "who"}))


def test_correct_for_severity() -> None:
    severity = {"x": Estimate(-10, -20, 0, 3, "consensus"), "z": Estimate(7.5, 0, 15, 1, "c")}
    corrected = correct_for_severity(OVERLAP, severity)
    assert list(corrected.columns) == [*OVERLAP.columns, "severity_offset", "score_corrected"]
    assert corrected.iloc[0]["score_corrected"] == 80  # x scored 70 with offset -10
    assert corrected.iloc[1]["score_corrected"] == 80  # y has no estimate: unchanged
    assert corrected.iloc[6]["score_corrected"] == 92.5  # z scored 100 with offset +7.5
    assert corrected.iloc[4]["score_corrected"] == 100  # 90 + 10 = 100, the top of the scale
    assert corrected.iloc[7]["score_corrected"] == 60
    assert "severity_offset" not in OVERLAP.columns  # the input is not modified
    unknown = correct_for_severity(OVERLAP.assign(reviewer="new"), severity)
    assert (unknown["score_corrected"] == OVERLAP["score"]).all()


def test_recovers_known_severities_and_correction_removes_them() -> None:
    # 80 conversations each graded by two of three reviewers with true offsets -8, 0, +6
    rng = np.random.default_rng(11)
    truth = {"strict": -8.0, "fair": 0.0, "lenient": 6.0}
    rows = []
    for item in range(80):
        quality = rng.uniform(55, 85)
        for who in rng.choice(list(truth), size=2, replace=False):
            rows.append(
                (item, who, float(np.clip(quality + truth[who] + rng.normal(0, 4), 0, 100)))
            )
    reviews = pd.DataFrame(rows, columns=["conversation_id", "reviewer", "score"])
    severity = reviewer_severity(reviews)
    # offsets are relative to the average reviewer: -8 - (-2/3) = -7.33, +0.67, +6.67
    assert severity["strict"].estimate == pytest.approx(-7.33, abs=1.5)
    assert severity["fair"].estimate == pytest.approx(0.67, abs=1.5)
    assert severity["lenient"].estimate == pytest.approx(6.67, abs=1.5)
    for who, true in truth.items():
        assert severity[who].contains(true + 2 / 3)
    assert severity["strict"].high < 0 < severity["lenient"].low
    corrected = correct_for_severity(reviews, severity)
    by_reviewer = corrected.groupby("reviewer")
    gap_before = by_reviewer["score"].mean().max() - by_reviewer["score"].mean().min()
    gap_after = (
        by_reviewer["score_corrected"].mean().max() - by_reviewer["score_corrected"].mean().min()
    )
    assert gap_after < gap_before / 3
