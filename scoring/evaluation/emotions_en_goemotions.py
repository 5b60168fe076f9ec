"""English emotions on the GoEmotions test split: the eleven support-relevant labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from scoring.evaluation import EvalResult, first_rows
from scoring.scorers.emotions import EMOTIONS, EmotionScorer
from scoring.training.datasets import load_goemotions

DATASET = "emotions-en-goemotions test"
PUBLISHED = "Demszky et al. 2020, BERT: macro-F1 0.46 over all 28 labels"


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    data = load_goemotions(datasets_dir, "test", "original")
    texts, sets = first_rows(data.texts, data.label_sets, limit)
    names = [{data.label_names[i] for i in s} for s in sets]
    gold = np.array([[e in s for e in EMOTIONS] for s in names], dtype=int)
    predicted = EmotionScorer(lang="en").predict(texts, "en")
    pred = np.array([[e in p for e in EMOTIONS] for p in predicted], dtype=int)
    per_label = f1_score(gold, pred, average=None, zero_division=0)
    note = ", ".join(f"{e} {f:.2f}" for e, f in zip(EMOTIONS, per_label, strict=True))
    task, n = "emotions (en)", len(texts)
    return [
        EvalResult(task, DATASET, "macro-F1 (11 support emotions)", float(per_label.mean()),
                   PUBLISHED, None, n, note),
        EvalResult(task, DATASET, "micro-F1 (11 support emotions)",
                   float(f1_score(gold, pred, average="micro", zero_division=0)), "", None, n),
    ]  # fmt: skip
