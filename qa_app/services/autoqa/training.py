"""The small model behind calibrated AutoQA: conversation signals -> a reviewer's grade.

Multinomial logistic regression (scikit-learn, fixed seed) on the conversation's
normalised signals (0..1, 1 = good). The fitted model is kept as plain arrays (classes,
coefficients, intercepts, feature names, imputation means): no pickles, cheap to predict.
Held-out predictions use grouped k-fold, so reviews of the same conversation never sit on
both sides of a split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

SEED = 20260301
FOLDS = 5


@dataclass(frozen=True, slots=True)
class GradedExample:
    review_id: int
    conversation_id: int
    reviewer_id: int
    grade: float
    signals: dict[str, Any]  # AutoScoreRun.signals


@dataclass(frozen=True)
class CalibratedModel:
    features: tuple[str, ...]
    means: np.ndarray
    classes: tuple[float, ...]
    coef: np.ndarray  # (n_classes, n_features); zeros for a constant model
    intercept: np.ndarray
    n: int

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        logits = rows @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict_matrix(self, rows: np.ndarray) -> list[float]:
        probs = self.probabilities(rows)
        return [self.classes[i] for i in probs.argmax(axis=1)]

    def predict_one(self, signals: dict[str, Any]) -> tuple[float, float]:
        """(level, probability of that level) for one conversation's signals."""
        row = feature_matrix([signals], self.features, self.means)
        probs = self.probabilities(row)[0]
        best = int(probs.argmax())
        return self.classes[best], round(float(probs[best]), 3)


def _normalised(doc: Any) -> float | None:
    if isinstance(doc, dict):
        value = doc.get("normalised")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def feature_names(examples: Sequence[GradedExample]) -> tuple[str, ...]:
    names = {n for ex in examples for n, doc in ex.signals.items() if _normalised(doc) is not None}
    return tuple(sorted(names))


def feature_matrix(
    signal_docs: Sequence[dict], features: Sequence[str], means: np.ndarray | None = None
) -> np.ndarray:
    """Rows of normalised values; a missing value takes the training mean (or 0.5)."""
    rows = np.array(
        [[_normalised(doc.get(name)) for name in features] for doc in signal_docs], dtype=float
    ).reshape(len(signal_docs), len(features))  # None becomes nan
    fill = means if means is not None else np.full(len(features), 0.5)
    missing = np.isnan(rows)
    rows[missing] = np.take(fill, np.nonzero(missing)[1])
    return rows


def fit_model(examples: Sequence[GradedExample], scale: Sequence[float]) -> CalibratedModel:
    """Fit on every example; a single observed grade gives a constant model."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    features = feature_names(examples)
    raw = feature_matrix([ex.signals for ex in examples], features)
    with np.errstate(all="ignore"):
        means = np.nan_to_num(np.nanmean(raw, axis=0), nan=0.5) if len(raw) else raw
    rows = feature_matrix([ex.signals for ex in examples], features, means)
    grades = np.array([float(ex.grade) for ex in examples])
    classes = tuple(sorted(set(grades.tolist())))
    if len(classes) == 1 or not features:
        counts = [float(np.sum(grades == c)) for c in classes]
        intercept = np.log(np.array(counts) / sum(counts))
        coef = np.zeros((len(classes), len(features)))
        return CalibratedModel(features, means, classes, coef, intercept, len(examples))
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
    with threadpool_limits(1):  # tiny problems: BLAS threads only contend with each other
        model.fit(rows, grades)
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # binary: sklearn keeps one row; make it a two-class softmax
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
    return CalibratedModel(
        features,
        means,
        tuple(float(c) for c in model.classes_),
        coef,
        intercept,
        len(examples),
    )


def heldout_predictions(
    examples: Sequence[GradedExample], scale: Sequence[float]
) -> list[float] | None:
    """A prediction for every example from a model that never saw its conversation."""
    from sklearn.model_selection import GroupKFold

    groups = np.array([ex.conversation_id for ex in examples])
    n_groups = len(set(groups.tolist()))
    if n_groups < 2:
        return None
    splitter = GroupKFold(n_splits=min(FOLDS, n_groups), shuffle=True, random_state=SEED)
    predicted: list[float | None] = [None] * len(examples)
    for train, test in splitter.split(np.zeros(len(examples)), groups=groups):
        model = fit_model([examples[i] for i in train], scale)
        rows = feature_matrix([examples[i].signals for i in test], model.features, model.means)
        for i, value in zip(test, model.predict_matrix(rows), strict=True):
            predicted[i] = value
    return [float(p) for p in predicted]  # type: ignore[arg-type]
