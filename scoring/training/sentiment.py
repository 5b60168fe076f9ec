"""Train the sentiment models (one per language) and the stacker that mixes in the rules.

Recipe: hashed TF-IDF -> multinomial logistic regression on the train part; then a small
logistic-regression stacker over (model log-probabilities, rules compound, rules positive
and negative mass) fitted on the held-out dev part. Class weights are balanced because
support traffic is far more negative than the Reddit comments we learn from.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from scoring.lexicons.polarity import PolarityRules
from scoring.models import save_model
from scoring.sentiment import LABELS, stack_features
from scoring.training.corpora import sentiment_corpus
from scoring.training.linear import HashedTfidf, LinearTextModel, prune

CARDS = {
    "en": {
        "training_data": "GoEmotions train (Demszky et al., 2020, ACL), emotions grouped "
        "into negative/neutral/positive with the paper's grouping; ambiguous and mixed "
        "rows dropped. Stacker fitted on GoEmotions dev.",
        "licence": "GoEmotions: Apache-2.0",
        "citation": "Demszky, D. et al. (2020). GoEmotions: A Dataset of Fine-Grained "
        "Emotions. ACL. Lexicon layer uses VADER's lexicon (Hutto & Gilbert, 2014, MIT).",
    },
    "ru": {
        "training_data": "CEDR train (Sboev et al., 2021; joy->positive, sadness/fear/"
        "anger->negative, none->neutral) + machine-translated ru-GoEmotions validation and "
        "test parts (searayeah/ru-goemotions) grouped like GoEmotions. 80/20 seeded split: "
        "the 20% part fits the stacker.",
        "licence": "CEDR: Apache-2.0; ru-GoEmotions: MIT",
        "citation": "Sboev, A. et al. (2021). Data-driven model for emotion detection in "
        "Russian texts. Procedia Computer Science. Demszky, D. et al. (2020). GoEmotions. ACL.",
    },
}


def fit_linear(texts, labels, classes, c: float, bits: tuple[int, int], seed: int):
    """Fit the hashed TF-IDF + logistic regression pair; returns a ``LinearTextModel``."""
    features = HashedTfidf(*bits).fit(texts)
    x = features.transform(texts)
    y = np.array([classes.index(label) for label in labels])
    clf = LogisticRegression(
        C=c, solver="saga", tol=1e-3, max_iter=50, class_weight="balanced", random_state=seed
    )
    with warnings.catch_warnings():  # saga stops at max_iter on purpose: minutes, not hours
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y)
    model = LinearTextModel(classes)
    model.features_ = features
    model.coef_ = prune(clf.coef_, keep=0.3).astype(np.float16).astype(np.float32)
    model.intercept_ = clf.intercept_.astype(np.float64)
    return model


def train_sentiment_language(datasets_dir: Path, out_dir: Path, seed: int, lang: str) -> dict:
    """Train, stack, measure on the dev part and save ``sentiment_<lang>``."""
    texts, labels = sentiment_corpus(datasets_dir, lang, "train")
    dev_texts, dev_labels = sentiment_corpus(datasets_dir, lang, "dev")
    model = fit_linear(texts, labels, LABELS, c=1.0, bits=(18, 18), seed=seed)
    rules = PolarityRules(lang)
    polarities = [rules.score(t) for t in dev_texts]
    model_proba = model.predict_proba(dev_texts)
    feats = stack_features(model_proba, polarities)
    y_dev = np.array([LABELS.index(label) for label in dev_labels])
    stacker = LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced")
    stacker.fit(feats, y_dev)
    metrics = {
        "dev_macro_f1_model": f1_score(y_dev, model_proba.argmax(1), average="macro"),
        "dev_macro_f1_stacked_in_sample": f1_score(y_dev, stacker.predict(feats), average="macro"),
        "train_rows": len(texts),
        "dev_rows": len(dev_texts),
    }
    metrics = {k: round(float(v), 4) for k, v in metrics.items()}
    arrays = model.to_arrays()
    arrays["stack_coef"] = stacker.coef_.astype(np.float32)
    arrays["stack_intercept"] = stacker.intercept_.astype(np.float32)
    meta = model.meta() | {
        "name": f"sentiment_{lang}",
        "task": "sentiment",
        "language": lang,
        "seed": seed,
        "model_card": CARDS[lang] | {"metrics": metrics, "intended_use": "support messages"},
    }
    save_model(f"sentiment_{lang}", arrays, meta, out_dir)
    return {f"sentiment_{lang}/{k}": v for k, v in metrics.items()}


def train_sentiment(datasets_dir: Path, out_dir: Path, seed: int = 13) -> dict:
    """Both languages; returns dev metrics (the test splits are never touched here)."""
    metrics = {}
    for lang in ("en", "ru"):
        metrics |= train_sentiment_language(datasets_dir, out_dir, seed, lang)
    return metrics
