"""English sentiment on US airline tweets (train: no, never trained on), macro-F1.

Cross-domain on purpose: the models learn from Reddit (GoEmotions) and are judged on
customer-service tweets. VADER is measured in the same run as the reference.
"""

from __future__ import annotations

import time
from pathlib import Path

from sklearn.metrics import f1_score

from scoring.evaluation import EvalResult
from scoring.evaluation.shared_runs import airline
from scoring.scorers.sentiment import LABELS, SentimentScorer

DATASET = "sentiment-en-airline (all 14,640)"
PUBLISHED = "README: VADER 0.457; TF-IDF LR on GoEmotions 0.472"


def vader_labels(texts: list[str]) -> tuple[list[str], float]:
    """VADER with its customary +-0.05 compound thresholds, and texts per second."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    compounds = [analyzer.polarity_scores(t)["compound"] for t in texts]
    speed = len(texts) / max(time.perf_counter() - start, 1e-9)
    labels = [
        "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral" for c in compounds
    ]
    return labels, speed


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    texts, gold, ours, speed, scorer = airline(Path(datasets_dir), limit)
    n = len(texts)

    def macro(pred) -> float:
        return float(f1_score(gold, pred, labels=list(LABELS), average="macro"))

    rules = SentimentScorer(lang="en", use_model=False).predict(texts, "en")
    vader, vader_speed = vader_labels(texts)
    task = "sentiment (en)"
    results = [
        EvalResult(task, DATASET, "macro-F1, rules + model (shipped)", macro(ours), PUBLISHED, 0.65, n),
        EvalResult(task, DATASET, "macro-F1, rules only", macro(rules), "", None, n, "ablation"),
        EvalResult(task, DATASET, "macro-F1, VADER (this run)", macro(vader), "VADER 0.457", None, n, "reference"),
        EvalResult(task, DATASET, "texts/s, shipped scorer", speed, f"VADER {vader_speed:.0f}/s this run", None, n,
                   f"{speed / vader_speed:.2f}x VADER"),
    ]  # fmt: skip
    if "en" in scorer.models_:
        model = scorer.models_["en"][0]
        model_only = [LABELS[k] for k in model.predict_proba(texts).argmax(axis=1)]
        results.insert(
            2,
            EvalResult(
                task, DATASET, "macro-F1, model only", macro(model_only), "", None, n, "ablation"
            ),
        )
    return results
