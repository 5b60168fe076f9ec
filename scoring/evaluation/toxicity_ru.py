"""Russian toxicity on the toxic-comments test split (train: no), F1 of the toxic class.

The scorer is lexicon + rules only: this data may not train or tune a shipped model, and
no lexicon entry, weight or threshold was chosen by looking at it. Besides F1 the table
shows the rules' recall ceiling: the share of toxic comments with any lexicon hit at all.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.metrics import f1_score, precision_score, recall_score

from scoring.evaluation import EvalResult, first_rows
from scoring.scorers.toxicity import ToxicityScorer
from scoring.training.datasets import load_toxicity_ru

DATASET = "toxicity-ru-comments test"
PUBLISHED = "Smetanin 2020 (own split): NB 0.832, ruBERT 0.922"


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    data = load_toxicity_ru(datasets_dir, "test")
    texts, gold = first_rows(data.texts, data.labels, limit)
    results = ToxicityScorer(lang="ru").score_texts(texts, "ru")
    pred = [r.label == "toxic" for r in results]
    toxic = [bool(g) for g in gold]
    covered = sum(bool(r.evidence) for r, g in zip(results, toxic, strict=True) if g)
    ceiling = covered / max(sum(toxic), 1)
    task, n = "toxicity (ru)", len(texts)
    return [
        EvalResult(task, DATASET, "F1 (toxic)", float(f1_score(gold, pred, zero_division=0)), PUBLISHED, 0.85, n),
        EvalResult(task, DATASET, "precision (toxic)", float(precision_score(gold, pred, zero_division=0)), "", None, n),
        EvalResult(task, DATASET, "recall (toxic)", float(recall_score(gold, pred, zero_division=0)), "", None, n),
        EvalResult(task, DATASET, "toxic comments with any lexicon hit", ceiling, "", None, n,
                   "recall ceiling of the rules"),
    ]  # fmt: skip
