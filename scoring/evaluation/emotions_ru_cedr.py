"""Russian emotions on the CEDR test split: macro-F1 over its five emotions and micro-F1."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from scoring.evaluation import EvalResult, first_rows
from scoring.scorers.emotions import EmotionScorer
from scoring.training.datasets import CEDR_LABELS, load_cedr

DATASET = "emotions-ru-cedr test"


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    data = load_cedr(datasets_dir, "test")
    texts, sets = first_rows(data.texts, data.label_sets, limit)
    gold = np.array([[k in s for k in range(len(CEDR_LABELS))] for s in sets], dtype=int)
    predicted = EmotionScorer(lang="ru").predict(texts, "ru")
    pred = np.array([[e in p for e in CEDR_LABELS] for p in predicted], dtype=int)
    task, n = "emotions (ru)", len(texts)
    per_label = f1_score(gold, pred, average=None, zero_division=0)
    note = ", ".join(f"{e} {f:.2f}" for e, f in zip(CEDR_LABELS, per_label, strict=True))
    return [
        EvalResult(task, DATASET, "macro-F1 (5 emotions)", float(per_label.mean()),
                   "no figure in datasets README", None, n, note),
        EvalResult(task, DATASET, "micro-F1 (5 emotions)",
                   float(f1_score(gold, pred, average="micro", zero_division=0)), "", None, n),
    ]  # fmt: skip
