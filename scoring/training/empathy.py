"""Train the "caring language" model behind the empathy scorer (GoEmotions, train: yes).

Rules catch the formulas ("I understand how frustrating"), but emotional reactions are
often free wording ("that breaks my heart, hang in there"). GoEmotions (Demszky et al.,
ACL 2020, Apache-2.0) labels Reddit comments with caring, remorse, sadness and grief,
which is close to what EPITOME calls emotional reactions. English is trained on the
GoEmotions train split, Russian on its machine translation (validation + test parts,
noisy). Thresholds are chosen on held-out GoEmotions rows, never on EPITOME (train: no).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_curve

from scoring.scorers.politeness_features import count_matrix, fit_idf, lexical_counts, tfidf_matrix
from scoring.training.datasets import load_goemotions, load_goemotions_ru

MODEL_NAME = "empathy_v1"
CARING_LABELS = ("caring", "remorse", "sadness", "grief")
STRONG_PRECISION = 0.7


def _binary(data) -> np.ndarray:
    wanted = {data.label_names.index(name) for name in CARING_LABELS}
    return np.array([bool(wanted & set(labels)) for labels in data.label_sets], dtype=int)


def _features(texts: list[str], idf: dict | None = None):
    counts = [lexical_counts(t) for t in texts]
    blocks = {b: count_matrix(counts, b) for b in ("word", "char")}
    idf = idf or {b: fit_idf(m) for b, m in blocks.items()}
    x = sp.hstack([tfidf_matrix(blocks[b], idf[b]) for b in ("word", "char")]).tocsr()
    return x, idf


def _fit_language(train_texts, y_train, dev_texts, y_dev, C: float) -> tuple[dict, dict]:
    x, idf = _features(train_texts)
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y_train)
    x_dev, _ = _features(dev_texts, idf)
    proba = model.predict_proba(x_dev)[:, 1]
    precision, recall, thresholds = precision_recall_curve(y_dev, proba)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    best = int(np.argmax(f1[:-1]))
    strong_ok = np.flatnonzero(precision[:-1] >= STRONG_PRECISION)
    strong = float(thresholds[strong_ok[0]]) if strong_ok.size else float(thresholds[-1])
    width = 1 << int(np.log2(idf["word"].size))
    arrays = {
        "word_coef": model.coef_[0][:width].astype(np.float16),
        "char_coef": model.coef_[0][width:].astype(np.float16),
        "word_idf": idf["word"].astype(np.float16),
        "char_idf": idf["char"].astype(np.float16),
        "intercept": np.float32(model.intercept_[0]),
    }
    metrics = {
        "threshold": float(thresholds[best]),
        "strong_threshold": max(strong, float(thresholds[best])),
        "dev_f1": float(f1_score(y_dev, proba >= thresholds[best])),
        "dev_positive_rate": float(np.mean(y_dev)),
        "n_train": len(train_texts),
        "n_dev": len(dev_texts),
    }
    return arrays, metrics


def train_empathy(datasets_dir: Path, out_dir: Path, seed: int = 13) -> dict:
    """Fit English and Russian caring-language models and save ``empathy_v1``."""
    from scoring.models import save_model

    root = Path(datasets_dir)
    train, dev = load_goemotions(root, "train"), load_goemotions(root, "dev")
    en_arrays, en_metrics = _fit_language(train.texts, _binary(train), dev.texts, _binary(dev), 4.0)
    ru = load_goemotions_ru(root, "validation")
    ru_test = load_goemotions_ru(root, "test")
    texts, y = ru.texts + ru_test.texts, np.r_[_binary(ru), _binary(ru_test)]
    order = np.random.default_rng(seed).permutation(len(texts))
    cut = int(len(texts) * 0.8)
    tr, te = order[:cut], order[cut:]
    ru_arrays, ru_metrics = _fit_language(
        [texts[i] for i in tr], y[tr], [texts[i] for i in te], y[te], 4.0
    )
    arrays = {f"en_{k}": v for k, v in en_arrays.items()} | {
        f"ru_{k}": v for k, v in ru_arrays.items()
    }
    metrics = {"en": en_metrics, "ru": ru_metrics}
    meta = {
        "name": MODEL_NAME,
        "task": "empathy (caring language)",
        "positive_labels": list(CARING_LABELS),
        "training_data": "GoEmotions train split (English; monologg/GoEmotions-pytorch "
        "@ b75f9d3a) and its Russian machine translation, validation + test parts "
        "(searayeah/ru-goemotions @ e1303b0a), 80/20 split with seed",
        "licence": "GoEmotions Apache-2.0; ru-goemotions MIT",
        "citation": "Demszky et al. (2020). GoEmotions: A Dataset of Fine-Grained Emotions. ACL.",
        "features": "hashed word 1-2-grams and char 2-5-grams in words, sublinear TF-IDF",
        "model": "logistic regression, C=4, balanced classes; thresholds: best F1 on "
        f"held-out rows, strong = precision >= {STRONG_PRECISION}",
        "seed": seed,
        "metrics": metrics,
    }
    save_model(MODEL_NAME, arrays, meta, directory=Path(out_dir))
    return metrics
