"""The figures issue 18 adds to ``qa-studio eval``: the impolite flag on the hand-labelled
reference replies, the RUSSE detox pairs, and cross-domain politeness where measurable."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from scoring.evaluation import EvalResult, detox_pairs, markdown_table, reference_replies
from scoring.evaluation.politeness import cross_domain_row

DATASETS = Path(
    os.environ.get(
        "QA_STUDIO_DATASETS", Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
    )
)
needs_data = pytest.mark.skipif(not DATASETS.is_dir(), reason=f"datasets folder absent: {DATASETS}")


def test_a_rate_that_must_stay_low_is_met_at_or_below_its_target():
    low = EvalResult("t", "d", "false-impolite rate", 0.004, "", 0.01, 300, higher_is_better=False)
    high = EvalResult("t", "d", "false-impolite rate", 0.07, "", 0.01, 300, higher_is_better=False)
    unmeasured = EvalResult("t", "d", "precision", float("nan"), "", 0.8, 0)
    assert (low.met, high.met, unmeasured.met) == (True, False, None)
    table = markdown_table([low, high])
    assert "| ≤ 0.01 | yes |" in table and "| ≤ 0.01 | **no** |" in table


def test_reference_rows_say_how_to_build_missing_texts(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_STUDIO_REFERENCE_TEXTS", str(tmp_path / "none"))
    rows = reference_replies.evaluate(tmp_path)
    assert {r.metric for r in rows} == {"precision (impolite)", "false-impolite rate"}
    assert all(math.isnan(r.value) and "SOURCES.md" in r.note for r in rows)
    assert all(r.met is None for r in rows)


REFERENCE_TEXTS = reference_replies.texts_dir(DATASETS)


@pytest.mark.skipif(
    not (REFERENCE_TEXTS / "texts-en.csv").is_file(),
    reason=f"reference texts not built at {REFERENCE_TEXTS} (data/reference/SOURCES.md)",
)
def test_reference_replies_meet_the_false_flag_and_precision_targets():
    rows = {(r.task, r.metric): r for r in reference_replies.evaluate(DATASETS)}
    for lang in ("en", "ru"):
        assert rows[(f"impolite flag ({lang})", "false-impolite rate")].value <= 0.01
    assert rows[("impolite flag (ru)", "precision (impolite)")].value >= 0.8


@needs_data
def test_detox_pairs_are_scored_on_the_held_out_fifth_only():
    held = detox_pairs.load_pairs(DATASETS)
    rest = detox_pairs.load_pairs(DATASETS, "train")
    assert 0.15 < len(held) / (len(held) + len(rest)) < 0.25
    assert not {t for t, _ in held} & {t for t, _ in rest}  # split by pair, never by row
    rows = {r.metric: r for r in detox_pairs.evaluate(DATASETS, limit=300)}
    assert rows["rewrite judged more polite"].n == 300
    assert rows["rewrite judged more polite"].value > 0.85
    assert rows["toxic judged more toxic"].value > 0.8


@needs_data
def test_cross_domain_politeness_says_why_it_is_not_measured():
    row = cross_domain_row(DATASETS)
    assert math.isnan(row.value) and row.target == 0.70 and "Stack Exchange" in row.note


@needs_data
def test_customer_upset_rows_name_the_missing_texts_and_still_run_the_emotion_sets(
    tmp_path, monkeypatch
):
    from scoring.evaluation import customer_upset

    monkeypatch.setenv("QA_STUDIO_REFERENCE_TEXTS", str(tmp_path / "none"))
    rows = customer_upset.evaluate(DATASETS, limit=200)
    missing = [r for r in rows if r.dataset.startswith("customer turns")]
    assert len(missing) == 2 and all("SOURCES.md" in r.note for r in missing)
    emotion_rows = [r for r in rows if "emotions" in r.dataset]
    assert len(emotion_rows) == 2 and all(0.0 < r.value <= 1.0 and r.n == 200 for r in emotion_rows)


@pytest.mark.skipif(
    not (REFERENCE_TEXTS / "texts-ru.csv").is_file(),
    reason=f"reference texts not built at {REFERENCE_TEXTS} (data/reference/SOURCES.md)",
)
def test_customer_upset_on_support_turns_keeps_calm_turns_calm():
    """Calm task requests must not make "missed empathy" fire: at most 10% of the turns
    people judged calm may be called upset (0.083 EN, 0.038 RU when written)."""
    from scoring.evaluation import customer_upset

    rows = {(r.task, r.metric): r for r in customer_upset.evaluate(DATASETS)}
    for lang in ("en", "ru"):
        assert rows[(f"customer upset ({lang})", "false-upset rate")].value <= 0.10
        assert rows[(f"customer upset ({lang})", "precision (upset)")].value >= 0.75
