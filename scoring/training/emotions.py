"""Train the multi-label emotion models (``emotions_en``, ``emotions_ru``).

One binary logistic regression (SGD, log loss) per support emotion over shared hashed TF-IDF features.
Russian mixes two sources that label different emotions: CEDR knows joy, sadness,
surprise, fear, anger (and "none" = neutral); translated GoEmotions knows all eleven.
Each label therefore learns only from rows where it was annotated (a label mask), and
each threshold is chosen for F1 on held-out train:yes rows, never on a test split.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import SGDClassifier

from scoring.models import save_model
from scoring.scorers.emotions import EMOTIONS
from scoring.scorers.linear_model import HashedTfidf, LinearTextModel, prune
from scoring.training.corpora import held_out_part
from scoring.training.datasets import CEDR_LABELS, load_cedr, load_goemotions, load_goemotions_ru

BITS = (17, 17)
CEDR_KNOWN = set(CEDR_LABELS) | {"neutral"}
CARDS = {
    "en": {
        "training_data": "GoEmotions train (thresholds on GoEmotions dev), the eleven "
        "support-relevant labels of its 27 emotions + neutral.",
        "licence": "Apache-2.0",
        "citation": "Demszky, D. et al. (2020). GoEmotions: A Dataset of Fine-Grained "
        "Emotions. ACL.",
    },
    "ru": {
        "training_data": "CEDR train (joy, sadness, surprise, fear, anger; none = neutral) "
        "+ machine-translated ru-GoEmotions validation/test parts; 80/20 seeded split, "
        "thresholds on the 20% part. Labels masked where a source does not annotate them.",
        "licence": "CEDR: Apache-2.0; ru-GoEmotions: MIT",
        "citation": "Sboev, A. et al. (2021). Data-driven model for emotion detection in "
        "Russian texts. Procedia Computer Science. Demszky, D. et al. (2020). ACL.",
    },
}


def _goemotion_rows(data) -> list[tuple[str, np.ndarray, np.ndarray]]:
    rows = []
    for text, ids in zip(data.texts, data.label_sets, strict=True):
        names = {data.label_names[i] for i in ids}
        y = np.array([e in names for e in EMOTIONS], dtype=np.int8)
        rows.append((text, y, np.ones(len(EMOTIONS), dtype=bool)))
    return rows


def _cedr_rows(data) -> list[tuple[str, np.ndarray, np.ndarray]]:
    known = np.array([e in CEDR_KNOWN for e in EMOTIONS])
    rows = []
    for text, ids in zip(data.texts, data.label_sets, strict=True):
        names = {CEDR_LABELS[i] for i in ids} or {"neutral"}
        rows.append((text, np.array([e in names for e in EMOTIONS], dtype=np.int8), known))
    return rows


def emotion_corpus(root: Path, lang: str, split: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Rows of (text, 0/1 per emotion, mask of annotated emotions) for "train" or "dev"."""
    if lang == "en":
        return _goemotion_rows(load_goemotions(root, split, "original"))
    pool = _cedr_rows(load_cedr(root, "train"))
    for part in ("validation", "test"):
        pool += _goemotion_rows(load_goemotions_ru(root, part))
    return held_out_part(pool, split)


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Threshold with the best F1 on held-out rows (grid 0.05..0.95)."""
    best = (0.5, 0.0)
    for t in np.arange(0.05, 0.96, 0.025):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / max(pred.sum() + (y == 1).sum(), 1)
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def train_emotions_language(datasets_dir: Path, out_dir: Path, seed: int, lang: str) -> dict:
    train = emotion_corpus(datasets_dir, lang, "train")
    dev = emotion_corpus(datasets_dir, lang, "dev")
    features = HashedTfidf(*BITS).fit([t for t, _, _ in train])
    x = features.transform([t for t, _, _ in train])
    x_dev = features.transform([t for t, _, _ in dev])
    y, mask = np.array([r[1] for r in train]), np.array([r[2] for r in train])
    y_dev, mask_dev = np.array([r[1] for r in dev]), np.array([r[2] for r in dev])
    coef = np.zeros((len(EMOTIONS), x.shape[1]), dtype=np.float32)
    intercept, thresholds, metrics = np.zeros(len(EMOTIONS)), np.zeros(len(EMOTIONS)), {}
    for k, emotion in enumerate(EMOTIONS):
        rows = mask[:, k]
        clf = SGDClassifier(loss="log_loss", alpha=2e-6, max_iter=12, tol=None,
                            class_weight="balanced", random_state=seed)  # fmt: skip
        clf.fit(x[rows], y[rows, k])
        coef[k], intercept[k] = clf.coef_[0], clf.intercept_[0]
        dev_rows = mask_dev[:, k]
        p = clf.predict_proba(x_dev[dev_rows])[:, 1]
        thresholds[k], f1 = best_threshold(y_dev[dev_rows, k], p)
        metrics[f"emotions_{lang}/dev_f1/{emotion}"] = round(f1, 4)
    model = LinearTextModel(EMOTIONS, multilabel=True)
    model.features_ = features
    model.coef_ = prune(coef, keep=0.3)
    model.intercept_ = intercept
    arrays = model.to_arrays() | {"thresholds": thresholds.astype(np.float32)}
    metrics[f"emotions_{lang}/train_rows"] = len(train)
    meta = model.meta() | {
        "name": f"emotions_{lang}",
        "task": "emotions",
        "language": lang,
        "seed": seed,
        "model_card": CARDS[lang] | {"metrics": metrics, "intended_use": "support messages"},
    }
    save_model(f"emotions_{lang}", arrays, meta, out_dir)
    return metrics


def train_emotions(datasets_dir: Path, out_dir: Path, seed: int = 13) -> dict:
    """Both languages; returns per-emotion F1 on the held-out dev rows."""
    metrics = {}
    for lang in ("en", "ru"):
        metrics |= train_emotions_language(datasets_dir, out_dir, seed, lang)
    return metrics
