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
    learned = _with_learned(texts, pred)
    return [
        EvalResult(task, DATASET, "F1 (toxic)", float(f1_score(gold, pred, zero_division=0)), PUBLISHED, 0.85, n),
        EvalResult(task, DATASET, "precision (toxic)", float(precision_score(gold, pred, zero_division=0)), "", None, n),
        EvalResult(task, DATASET, "recall (toxic)", float(recall_score(gold, pred, zero_division=0)), "", None, n),
        EvalResult(task, DATASET, "toxic comments with any lexicon hit", ceiling, "", None, n,
                   "recall ceiling of the rules"),
    ] + ([
        EvalResult(task, DATASET, "F1 (toxic), rules or learned rudeness_ru", float(f1_score(gold, learned, zero_division=0)), "", None, n,
                   f"precision {precision_score(gold, learned, zero_division=0):.3f}, recall {recall_score(gold, learned, zero_division=0):.3f}; "
                   "the model's own threshold (RuParaDetox dev), nothing chosen on this set"),
    ] if learned is not None else [])  # fmt: skip


def _with_learned(texts: list[str], rules: list[bool]) -> list[bool] | None:
    """Rules OR the Russian rudeness model at its shipped threshold (what the politeness
    scorer's rudeness adds to the lexicon); None when the model is not shipped."""
    from scoring.scorers.rudeness_ru import RudenessModelRu

    model = RudenessModelRu.load()
    if model is None:
        return None
    found = model.predict_proba(texts) >= model.threshold
    return [bool(r or m) for r, m in zip(rules, found, strict=True)]
