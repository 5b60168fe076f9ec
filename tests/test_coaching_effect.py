"""Before/after statistics of a coaching plan, with answers worked out by hand.

Each period's variance carries the library's weak prior (one pseudo-review, SD 15):
variance = (SS + 225) / n with n degrees of freedom; Welch's difference of means.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from qa_app.services.coaching.effect import TOPIC_ROW, before_after, topic_scores
from scoring.stats import Verdict

SPLIT = datetime(2026, 3, 1, tzinfo=UTC)


def _frame(criterion: str, before: list[float], after: list[float], start: int = 0) -> pd.DataFrame:
    rows = [
        (start + i, criterion, SPLIT - timedelta(days=i + 1), v) for i, v in enumerate(before)
    ] + [(start + 100 + i, criterion, SPLIT + timedelta(days=i), v) for i, v in enumerate(after)]
    return pd.DataFrame(rows, columns=["review_id", "criterion_id", "started_at", "score"])


def test_a_clear_improvement():
    # 50 x4 then 100 x4: each variance 225/4 = 56.25, se = sqrt(2 * 56.25 / 4) = 5.3033,
    # Welch df = 8, t(0.975, 8) = 2.306004: 50 +- 12.2295
    (topic, row) = before_after(_frame("c", [50] * 4, [100] * 4), SPLIT, ["c"], {"c": 1.0})
    comparison = row.comparison
    assert topic.key == TOPIC_ROW and row.key == "c"
    assert comparison.before.estimate == 50 and comparison.after.estimate == 100
    assert comparison.before.n == 4 and comparison.after.n == 4
    assert comparison.difference.estimate == pytest.approx(50)
    assert comparison.difference.low == pytest.approx(50 - 2.306004 * 5.303301, abs=1e-3)
    assert comparison.verdict is Verdict.IMPROVED
    assert comparison.more_reviews_needed == (0, 0)


def test_no_change_is_not_distinguishable_and_needs_no_number():
    (_, row) = before_after(_frame("c", [50, 75, 50, 75], [75, 50, 75, 50]), SPLIT, ["c"], {"c": 1})
    assert row.comparison.difference.estimate == 0
    assert row.comparison.verdict is Verdict.NOT_DISTINGUISHABLE
    assert row.comparison.reviews_needed_per_period is None  # no difference to detect


def test_a_small_change_says_how_many_more_reviews():
    # before 50,75,50,75: SS 625, variance 850/4 = 212.5; after 75,75,50,75 (mean 68.75):
    # SS 468.75, variance 693.75/4 = 173.44. Normal approximation of the n per period:
    # (1.959964 + 0.841621)^2 * 385.94 / 6.25^2 = 77.5; the t correction adds a little.
    (_, row) = before_after(_frame("c", [50, 75, 50, 75], [75, 75, 50, 75]), SPLIT, ["c"], {"c": 1})
    comparison = row.comparison
    assert comparison.difference.estimate == pytest.approx(6.25)
    assert comparison.verdict is Verdict.NOT_DISTINGUISHABLE
    needed = comparison.reviews_needed_per_period
    assert 78 <= needed <= 82
    assert comparison.more_reviews_needed == (needed - 4, needed - 4)


def test_topic_score_is_the_weighted_mean_of_linked_criteria_per_review():
    frame = pd.concat([_frame("a", [0], [100]), _frame("b", [100], [100])], ignore_index=True)
    per_review = topic_scores(frame, {"a": 3.0, "b": 1.0}).sort_values("review_id")
    # review 0 (before): (3*0 + 1*100) / 4 = 25; review 100 (after): 100
    assert per_review["score"].tolist() == [25.0, 100.0]
    unlinked = topic_scores(frame, {"a": 1.0})
    assert unlinked["score"].tolist() == [0.0, 100.0]
