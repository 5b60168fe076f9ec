"""Training corpora assembled from the "train: yes" datasets only.

Kept apart from the trainers so the evaluation harness can assert which sets were used,
and so the label mappings (GoEmotions emotions -> sentiment, CEDR -> sentiment) are
written down once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scoring.training.datasets import (
    CEDR_LABELS,
    TRAIN_ALLOWED,
    load_cedr,
    load_goemotions,
    load_goemotions_ru,
)

SENTIMENT = ("negative", "neutral", "positive")
# The sentiment grouping published with GoEmotions (Demszky et al., 2020).
GOEMOTIONS_POSITIVE = {
    "admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude",
    "joy", "love", "optimism", "pride", "relief",
}  # fmt: skip
GOEMOTIONS_NEGATIVE = {
    "anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment",
    "fear", "grief", "nervousness", "remorse", "sadness",
}  # fmt: skip
CEDR_SENTIMENT = {"joy": "positive", "sadness": "negative", "fear": "negative", "anger": "negative"}


def _require_trainable(name: str) -> None:
    if not TRAIN_ALLOWED.get(name, False):
        raise ValueError(f"{name} is evaluation only (train: no); refusing to train on it")


def emotion_sentiment(names: list[str]) -> str | None:
    """One sentiment for a set of GoEmotions labels, or None when mixed/ambiguous."""
    found = set()
    for name in names:
        if name in GOEMOTIONS_POSITIVE:
            found.add("positive")
        elif name in GOEMOTIONS_NEGATIVE:
            found.add("negative")
        elif name == "neutral":
            found.add("neutral")
    return found.pop() if len(found) == 1 else None


def cedr_sentiment(ids: list[int]) -> str | None:
    """CEDR emotions -> sentiment: none is neutral, surprise and mixtures are dropped."""
    if not ids:
        return "neutral"
    found = {CEDR_SENTIMENT.get(CEDR_LABELS[i]) for i in ids}
    return found.pop() if len(found) == 1 and None not in found else None


def sentiment_corpus(root: Path, lang: str, split: str) -> tuple[list[str], list[str]]:
    """(texts, labels) for sentiment; ``split`` "train" or "dev" (a held-out part)."""
    if lang == "en":
        _require_trainable("emotions-en-goemotions")
        data = load_goemotions(root, "train" if split == "train" else "dev", "original")
        pairs = [(t, emotion_sentiment([data.label_names[i] for i in s]))
                 for t, s in zip(data.texts, data.label_sets, strict=True)]  # fmt: skip
    else:
        _require_trainable("emotions-ru-cedr")
        _require_trainable("emotions-ru-goemotions-translated")
        cedr = load_cedr(root, "train")
        pairs = [(t, cedr_sentiment(s)) for t, s in zip(cedr.texts, cedr.label_sets, strict=True)]
        for part in ("validation", "test"):
            data = load_goemotions_ru(root, part)
            pairs += [(t, emotion_sentiment([data.label_names[i] for i in s]))
                      for t, s in zip(data.texts, data.label_sets, strict=True)]  # fmt: skip
        pairs = held_out_part(pairs, split)
    pairs = [(t, y) for t, y in pairs if y is not None and t.strip()]
    return [t for t, _ in pairs], [y for _, y in pairs]


def held_out_part(rows: list, split: str, share: float = 0.2, seed: int = 13) -> list:
    """Deterministic split of a train:yes pool into "train" and "dev" parts."""
    rng = np.random.default_rng(seed)
    is_dev = rng.random(len(rows)) < share
    return [r for r, dev in zip(rows, is_dev, strict=True) if dev == (split == "dev")]
