"""Evaluation harness on small slices of the real datasets (skipped without them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_app.cli import cli
from scoring.evaluation import TASK_MODULES, EvalResult, evaluate_all, markdown_table
from scoring.training.corpora import sentiment_corpus
from scoring.training.datasets import TRAIN_ALLOWED, load_cedr, load_rusentitweet

S1_TASKS = [
    "scoring.evaluation.sentiment_en_airline",
    "scoring.evaluation.sentiment_ru_rusentitweet",
    "scoring.evaluation.toxicity_ru",
    "scoring.evaluation.emotions_ru_cedr",
    "scoring.evaluation.emotions_en_goemotions",
]

DATASETS = Path(
    os.environ.get(
        "QA_STUDIO_DATASETS", Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
    )
)
needs_data = pytest.mark.skipif(not DATASETS.is_dir(), reason=f"datasets folder absent: {DATASETS}")


def test_markdown_table_marks_missed_targets():
    rows = [
        EvalResult("t", "d", "F1", 0.5, "ref", 0.6, 10),
        EvalResult("t", "d", "F1", 0.7, "", 0.6, 10),
        EvalResult("t", "d", "F1", 0.7, "", None, 10),
    ]
    table = markdown_table(rows)
    assert table.count("\n") == 5
    assert "**no**" in table.splitlines()[2]
    assert "| yes |" in table.splitlines()[3]


@needs_data
def test_every_task_runs_on_a_slice():
    assert set(S1_TASKS) <= set(TASK_MODULES)
    results = evaluate_all(DATASETS, S1_TASKS, limit=60)
    tasks = {r.task for r in results}
    assert {"sentiment (en)", "sentiment (ru)", "toxicity (ru)", "emotions (ru)",
            "emotions (en)"} <= tasks  # fmt: skip
    for r in results:
        assert r.n > 0
        if "F1" in r.metric:
            assert 0.0 <= r.value <= 1.0


@needs_data
def test_eval_command_writes_markdown(tmp_path):
    out = tmp_path / "evaluation.md"
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "--datasets",
            str(DATASETS),
            "--only",
            "toxicity_ru",
            "--limit",
            "40",
            "--output",
            str(out),
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert "toxicity-ru-comments" in out.read_text(encoding="utf-8")


def test_eval_command_rejects_missing_folder(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "--datasets", str(tmp_path / "nope")])
    assert result.exit_code == 2


@needs_data
def test_loaders_keep_official_splits():
    assert len(load_cedr(DATASETS, "test")) == 1882
    assert len(load_rusentitweet(DATASETS, "test")) == 2679


@needs_data
def test_training_never_reads_evaluation_only_sets():
    assert TRAIN_ALLOWED["sentiment-en-airline"] is False
    texts, labels = sentiment_corpus(DATASETS, "ru", "dev")
    assert texts and set(labels) <= {"negative", "neutral", "positive"}
    tweets = set(load_rusentitweet(DATASETS, "test").texts)
    assert not tweets & set(texts)
