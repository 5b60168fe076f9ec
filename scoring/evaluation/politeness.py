"""Politeness on the Stanford Politeness Corpus (Wikipedia, train: yes), top vs bottom quartile.

The shipped model is trained on these very rows, so scoring them with it would measure
memory, not skill. Instead stratified 10-fold cross-validation (seed 13) refits the whole
model, idf included, in every fold and scores only the held-out fold with the shipped
inference code. The strategies-only model (the part that scores Russian) is reported too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scoring.evaluation import EvalResult
from scoring.training.politeness import cross_validate_politeness, politeness_quartiles

DATASET = "politeness-en-wikipedia quartiles"
PUBLISHED = "Danescu-Niculescu-Mizil 2013: BoW SVM 0.798, strategies SVM 0.838, human 0.867"
SEED = 13


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    texts, y = politeness_quartiles(datasets_dir)
    folds = 10
    if limit is not None:  # a small, still balanced, deterministic sample for smoke tests
        keep = np.r_[np.arange(min(limit // 2, len(y) // 2)), len(y) - 1 - np.arange(limit // 2)]
        texts, y, folds = [texts[i] for i in keep], y[keep], 3
    cv = cross_validate_politeness(texts, y, folds=folds, seed=SEED)
    note = f"stratified {folds}-fold CV, seed {SEED}, refit per fold (±{cv['accuracy_std']:.3f})"
    task = "politeness (en)"
    return [
        EvalResult(task, DATASET, "accuracy", cv["accuracy"], PUBLISHED, 0.867, cv["n"], note),
        EvalResult(
            "politeness strategies only (ru path)",
            DATASET,
            "accuracy",
            cv["strategies_only_accuracy"],
            "strategies SVM 0.838 (with unigrams)",
            None,
            cv["n"],
            f"language-independent strategy features; same folds (±{cv['strategies_only_accuracy_std']:.3f})",
        ),
    ]
