"""Empathy on EPITOME (Sharma et al., EMNLP 2020; Reddit peer support; train: no).

Evaluation only: the rules were written from the mechanism definitions and checked on our
own hand-written examples (``scoring/training/empathy_examples*.tsv``); nothing (lexicon,
threshold, weight) is fitted on this data and no row of it is read. Only aggregate figures
are computed: macro-F1, accuracy and per-level F1 (in the note). Framing: each response's level
0/1/2 of one mechanism, macro-F1 over the three levels and accuracy, as in the paper's
Table 3; a binary "any empathy" (level 0 vs 1-2) F1 is reported for context. There is no
official split, so the figures are on all 3,084 pairs.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from scoring.evaluation import EvalResult, first_rows
from scoring.scorers.empathy import EmpathyScorer
from scoring.training.datasets import load_epitome

MECHANISMS = {
    "emotional-reactions": ("RoBERTa (Sharma 2020): acc 0.794, macro-F1 0.745", 0.60),
    "interpretations": ("RoBERTa (Sharma 2020): acc 0.840, macro-F1 0.626", None),
    "explorations": ("RoBERTa (Sharma 2020): acc 0.926, macro-F1 0.726", None),
}


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    scorer = EmpathyScorer(lang="en")
    results = []
    for mechanism, (published, target) in MECHANISMS.items():
        data = load_epitome(datasets_dir, mechanism)
        texts, gold = first_rows(data.texts, data.labels, limit)
        pred = scorer.mechanism_levels(texts, mechanism)
        dataset, task, n = f"empathy-en-epitome/{mechanism}", "empathy (en)", len(texts)
        macro = f1_score(gold, pred, labels=[0, 1, 2], average="macro", zero_division=0)
        per_level = f1_score(gold, pred, labels=[0, 1, 2], average=None, zero_division=0)
        levels = ", ".join(f"level {i} {f:.2f}" for i, f in enumerate(per_level))
        binary = f1_score([g > 0 for g in gold], pred > 0, zero_division=0)
        results += [
            EvalResult(task, dataset, "macro-F1 (levels 0/1/2)", float(macro), published, target, n,
                       f"rules (v2); nothing fitted on EPITOME; all pairs; F1 {levels}"),
            EvalResult(task, dataset, "accuracy (levels 0/1/2)", float(accuracy_score(gold, pred)),
                       "", None, n),
            EvalResult(task, dataset, "F1 (any level vs none)", float(binary), "", None, n),
        ]  # fmt: skip
    return results
