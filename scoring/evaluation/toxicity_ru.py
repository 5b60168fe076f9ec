"""Russian toxicity on the toxic-comments test split (train: no), F1 of the toxic class.

The scorer is lexicon + rules only: this data may not train or tune a shipped model.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.metrics import f1_score, precision_score, recall_score

from scoring.datasets import load_toxicity_ru
from scoring.evaluation import EvalResult, first_rows
from scoring.toxicity import ToxicityScorer

DATASET = "toxicity-ru-comments test"
PUBLISHED = "Smetanin 2020 (own split): NB 0.832, ruBERT 0.922"


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    data = load_toxicity_ru(datasets_dir, "test")
    texts, gold = first_rows(data.texts, data.labels, limit)
    pred = [label == "toxic" for label in ToxicityScorer(lang="ru").predict(texts, "ru")]
    task, n = "toxicity (ru)", len(texts)
    return [
        EvalResult(task, DATASET, "F1 (toxic)", float(f1_score(gold, pred, zero_division=0)), PUBLISHED, 0.85, n),
        EvalResult(task, DATASET, "precision (toxic)", float(precision_score(gold, pred, zero_division=0)), "", None, n),
        EvalResult(task, DATASET, "recall (toxic)", float(recall_score(gold, pred, zero_division=0)), "", None, n),
    ]  # fmt: skip
