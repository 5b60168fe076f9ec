"""Scorer runs that several evaluation task modules report on, computed once per process.

The airline tweets take the longest to score; the cross-domain rows
(``scoring.evaluation.cross_domain``) read the same sentiment predictions as the
per-dataset rows instead of scoring the sets again. Results are memoised on the datasets folder and the row
limit, so ``qa-studio eval`` pays for each run once whichever module asks first.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import NamedTuple

from scoring.evaluation import first_rows
from scoring.scorers.sentiment import LABELS, SentimentScorer
from scoring.training.corpora import cedr_sentiment, emotion_sentiment
from scoring.training.datasets import (
    load_airline,
    load_cedr,
    load_goemotions,
    load_rusentitweet,
)


class SentimentRun(NamedTuple):
    """Texts, gold labels and the shipped scorer's labels (and its texts per second)."""

    texts: list[str]
    gold: list[str]
    predicted: list[str]
    speed: float
    scorer: SentimentScorer


def _run(texts: list[str], gold: list[str], lang: str) -> SentimentRun:
    scorer = SentimentScorer(lang=lang)
    start = time.perf_counter()
    predicted = scorer.predict(texts, lang)
    speed = len(texts) / max(time.perf_counter() - start, 1e-9)
    return SentimentRun(texts, gold, predicted, speed, scorer)


@cache
def airline(datasets_dir: Path, limit: int | None = None) -> SentimentRun:
    """The shipped English scorer on all airline tweets (train: no)."""
    data = load_airline(datasets_dir)
    texts, gold = first_rows(data.texts, data.labels, limit)
    return _run(texts, gold, "en")


@cache
def rusentitweet(datasets_dir: Path, limit: int | None = None) -> SentimentRun:
    """The shipped Russian scorer on RuSentiTweet test, 3 labels (train: no)."""
    data = load_rusentitweet(datasets_dir, "test")
    rows = [(t, y) for t, y in zip(data.texts, data.labels, strict=True) if y in LABELS]
    texts, gold = first_rows([t for t, _ in rows], [y for _, y in rows], limit)
    return _run(texts, gold, "ru")


@cache
def goemotions_test(datasets_dir: Path, limit: int | None = None) -> SentimentRun:
    """GoEmotions test grouped like the training data (ambiguous and mixed rows dropped):
    the source domain of the English model, never used to train or choose anything."""
    data = load_goemotions(datasets_dir, "test", "original")
    rows = [(t, emotion_sentiment([data.label_names[i] for i in s]))
            for t, s in zip(data.texts, data.label_sets, strict=True)]  # fmt: skip
    rows = [(t, y) for t, y in rows if y is not None and t.strip()]
    texts, gold = first_rows([t for t, _ in rows], [y for _, y in rows], limit)
    return _run(texts, gold, "en")


@cache
def cedr_test(datasets_dir: Path, limit: int | None = None) -> SentimentRun:
    """CEDR test grouped like the training data (joy; sadness/fear/anger; none): the source
    domain of the Russian model; its train split trains, its test split only measures."""
    data = load_cedr(datasets_dir, "test")
    rows = [(t, cedr_sentiment(s)) for t, s in zip(data.texts, data.label_sets, strict=True)]
    rows = [(t, y) for t, y in rows if y is not None and t.strip()]
    texts, gold = first_rows([t for t, _ in rows], [y for _, y in rows], limit)
    return _run(texts, gold, "ru")


@cache
def politeness_flags(texts: tuple[str, ...], lang: str) -> tuple[dict[str, str], ...]:
    """The shipped politeness scorer's impolite/rude flags per reply (reference vocabulary)."""
    from scoring.scorers.politeness import PolitenessScorer

    polite, rude = PolitenessScorer().score_with_rudeness(list(texts), [lang] * len(texts))
    return tuple(
        {
            "impolite": "yes" if p.label == "impolite" else "no",
            "rude": "yes" if r.label == "rude" else "no",
        }
        for p, r in zip(polite, rude, strict=True)
    )
