"""Russian sentiment on the RuSentiTweet test split (train: no), 3 classes, macro-F1.

Only rows labelled positive/neutral/negative are scored ("speech" and "skip" dropped);
the published figures were trained in-domain over all five labels, so they are only a
rough yardstick for a scorer that never saw a tweet from this set.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.metrics import f1_score

from scoring.evaluation import EvalResult
from scoring.evaluation.shared_runs import rusentitweet
from scoring.scorers.sentiment import LABELS, SentimentScorer

DATASET = "sentiment-ru-rusentitweet test (3 labels)"
PUBLISHED = "Smetanin 2022, in-domain, 5 labels: NB 0.522, RuBERT 0.655"


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    texts, gold, ours, _, scorer = rusentitweet(Path(datasets_dir), limit)

    def macro(pred) -> float:
        return float(f1_score(gold, pred, labels=list(LABELS), average="macro"))

    rules = SentimentScorer(lang="ru", use_model=False).predict(texts, "ru")
    task, n = "sentiment (ru)", len(texts)
    results = [
        EvalResult(task, DATASET, "macro-F1, rules + model (shipped)", macro(ours), PUBLISHED, 0.60, n),
        EvalResult(task, DATASET, "macro-F1, rules only", macro(rules), "", None, n, "ablation"),
    ]  # fmt: skip
    if "ru" in scorer.models_:
        model = scorer.models_["ru"][0]
        model_only = [LABELS[k] for k in model.predict_proba(texts).argmax(axis=1)]
        results.append(
            EvalResult(
                task, DATASET, "macro-F1, model only", macro(model_only), "", None, n, "ablation"
            )
        )
    return results
