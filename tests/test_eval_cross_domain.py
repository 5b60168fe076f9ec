"""Cross-domain evaluation rows: real slices of the shared datasets (skipped without them)."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.evaluation import evaluate_all
from scoring.evaluation.cross_domain import _flag_summary
from tests.test_scoring_evaluation import DATASETS, needs_data


def test_flag_summary_balances_the_rare_class():
    gold = np.array([True, False, False, False])
    flagged = np.array([True, True, False, False])
    value, note = _flag_summary(gold, flagged)
    assert value == pytest.approx((1.0 + 2 / 3) / 2)
    assert note.startswith("2 flagged, 1 impolite by hand, 1 of them flagged")


def test_flag_summary_with_one_class_is_plain_accuracy():
    value, note = _flag_summary(np.zeros(4, bool), np.array([False, False, False, True]))
    assert value == 0.75
    assert "one class only" in note


@needs_data
def test_cross_domain_rows_reuse_the_per_dataset_predictions():
    modules = ["scoring.evaluation.sentiment_en_airline", "scoring.evaluation.cross_domain"]
    results = evaluate_all(DATASETS, modules, limit=60)
    shipped = next(r for r in results if r.task == "sentiment (en)" and "shipped" in r.metric)
    cross = {r.task: r for r in results if r.task.startswith("cross-domain sentiment")}
    assert cross["cross-domain sentiment (en)"].value == shipped.value
    assert cross["cross-domain sentiment (en)"].target == 0.72
    assert cross["cross-domain sentiment (ru)"].target == 0.66
    assert "source domain" in cross["cross-domain sentiment (en)"].reference
    politeness = [r for r in results if r.task.startswith("cross-domain politeness")]
    assert len(politeness) == 5
    # A reply set with one class only (no impolite EN reply by hand) is not held against
    # the target: its figure only says that no polite reply was flagged.
    for row in politeness:
        assert row.target == (None if "one class only" in row.note else 0.70), row
    for r in politeness:
        assert r.n == 0 or 0.0 <= r.value <= 1.0
