"""The two probes of ``embedding_probe``: sentiment (EN, RU) and EPITOME emotional reactions.

Sentiment. Train: seeded samples of the shipped model's own training pool (2,000 public +
600 synthetic support rows); dev: 1,000 + 300 from its held-out pool (chooses C and fits
the stackers). Candidates, chosen by the mean macro-F1 on two train:yes sets nobody fitted
on (a 1,000-row sample of GoEmotions test or CEDR test, and the hand-written support check
set): the shipped scorer; embedding LR alone; their probabilities mixed; a stacker over
rules + embedding LR; a stacker over rules + n-gram model + embedding LR.

Emotional reactions. Train: the project's own hand-written examples
(``empathy_examples.tsv``, EN and RU); choice of C and of the candidate (rules; embedding
LR; the higher level of the two) on ``empathy_examples_holdout.tsv``; a tie keeps the rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.linear_model import LogisticRegression

from scoring.training.embedding_probe import (
    LABELS,
    MIX_WEIGHTS,
    SEED,
    Embedder,
    choose_c,
    fit_lr,
    macro,
    sample,
)

AIRLINE_SAMPLE = 3000


class Measured(NamedTuple):
    """One figure on an evaluation-only set (computed once, after every choice was made)."""

    dataset: str
    candidate: str
    value: float
    n: int
    chosen: bool  # the candidate chosen on train:yes data


class Probe(NamedTuple):
    """What the design phase printed, and the measured figures (empty without --measure)."""

    lines: list[str]
    measured: list[Measured]


def _public_test(root: Path, lang: str) -> tuple[list[str], list[str]]:
    """GoEmotions test (EN) or CEDR test (RU), grouped like the training pool."""
    from scoring.training.corpora import cedr_sentiment, emotion_sentiment
    from scoring.training.datasets import load_cedr, load_goemotions

    if lang == "en":
        data = load_goemotions(root, "test", "original")
        rows = [(t, emotion_sentiment([data.label_names[i] for i in s]))
                for t, s in zip(data.texts, data.label_sets, strict=True)]  # fmt: skip
    else:
        data = load_cedr(root, "test")
        rows = [(t, cedr_sentiment(s)) for t, s in zip(data.texts, data.label_sets, strict=True)]
    rows = [(t, y) for t, y in rows if y is not None and t.strip()]
    return sample([t for t, _ in rows], [y for _, y in rows], 1000)


def sentiment_sets(root: Path, lang: str) -> dict[str, tuple[list[str], list[str]]]:
    """train / dev / design / check parts, all from train:yes data or the project's own text."""
    from scoring.training.corpora import sentiment_corpus
    from scoring.training.sentiment_support import support_corpus
    from scoring.training.sentiment_support_check import SUPPORT_CHECK

    parts = {}
    for part, (n_public, n_support) in {"train": (2000, 600), "dev": (1000, 300)}.items():
        texts, labels = sample(*sentiment_corpus(root, lang, part), n_public)
        extra_texts, extra_labels = sample(*support_corpus(lang, part), n_support)
        parts[part] = (texts + extra_texts, labels + extra_labels)
    parts["design"] = _public_test(root, lang)
    parts["check"] = ([t for t, _ in SUPPORT_CHECK[lang]], [y for _, y in SUPPORT_CHECK[lang]])
    return parts


def _views(texts: list[str], lang: str, scorer, rules) -> dict[str, np.ndarray]:
    """Shipped probabilities, the n-gram model's, and the rules' stacking summaries."""
    from scoring.scorers.sentiment import stack_features

    model = scorer.models_[lang][0]
    ngram = model.predict_proba(texts)
    polarities = [rules.score(t) for t in texts]
    return {
        "shipped": scorer.predict_proba(texts, lang),
        "ngram": ngram,
        "rules": stack_features(ngram, polarities, texts)[:, 3:],
    }


def _stack_inputs(views: dict, emb: np.ndarray, with_ngram: bool) -> np.ndarray:
    cols = [np.log(np.clip(emb, 1e-6, 1)), views["rules"]]
    if with_ngram:
        cols.append(np.log(np.clip(views["ngram"], 1e-6, 1)))
    return np.column_stack(cols)


def _candidates(dev_views, dev_emb, y_dev) -> dict[str, Callable]:
    """name -> f(views, embedding probabilities) -> probabilities, stackers fitted on dev."""
    out: dict[str, Callable] = {
        "shipped": lambda v, e: v["shipped"],
        "embedding LR": lambda v, e: e,
    }
    for w in MIX_WEIGHTS:
        out[f"mix {w:g} embedding"] = lambda v, e, w=w: (1 - w) * v["shipped"] + w * e
    for name, with_ngram in (("stack rules+emb", False), ("stack rules+ngram+emb", True)):
        stacker = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
        stacker.fit(_stack_inputs(dev_views, dev_emb, with_ngram), y_dev)
        out[name] = lambda v, e, s=stacker, g=with_ngram: s.predict_proba(_stack_inputs(v, e, g))
    return out


def _labels(proba: np.ndarray) -> list[str]:
    return [LABELS[i] for i in proba.argmax(axis=1)]


def sentiment_probe(root: Path, lang: str, embed: Embedder, measure: bool) -> Probe:
    """Choose on train:yes data; with ``measure``, score the evaluation-only set once."""
    from scoring.lexicons.polarity import PolarityRules
    from scoring.scorers.sentiment import SentimentScorer

    scorer, rules = SentimentScorer(lang=lang), PolarityRules(lang)
    scorer.predict(["warm up"], lang)
    sets = sentiment_sets(root, lang)
    x = {part: embed(f"{lang}_{part}", texts) for part, (texts, _) in sets.items()}
    c, c_scores = choose_c(x["train"], sets["train"][1], x["dev"], sets["dev"][1])
    lr = fit_lr(x["train"], sets["train"][1], c)
    dev_views = _views(sets["dev"][0], lang, scorer, rules)
    candidates = _candidates(dev_views, lr.predict_proba(x["dev"]), sets["dev"][1])
    lines = [f"[{lang}] C dev macro-F1: {c_scores}; chosen C={c:g}"]
    means = {}
    for name, predict in candidates.items():
        figures = []
        for part in ("design", "check"):
            texts, gold = sets[part]
            views = _views(texts, lang, scorer, rules)
            figures.append(macro(gold, _labels(predict(views, lr.predict_proba(x[part])))))
        means[name] = float(np.mean(figures))
        lines.append(f"[{lang}] {name}: design {figures[0]:.3f}, check {figures[1]:.3f}")
    chosen = max(means, key=means.get)
    lines.append(f"[{lang}] chosen on train:yes data: {chosen}")
    measured = []
    if measure:
        texts, gold, name = _evaluation_set(root, lang)
        views = _views(texts, lang, scorer, rules)
        emb = lr.predict_proba(embed(name, texts))
        for label in dict.fromkeys(("shipped", "embedding LR", chosen)):
            value = macro(gold, _labels(candidates[label](views, emb)))
            measured.append(Measured(name, label, value, len(texts), label == chosen))
            lines.append(f"[{lang}] MEASURED ONCE {name} (n={len(texts)}) {label}: {value:.3f}")
    return Probe(lines, measured)


def _evaluation_set(root: Path, lang: str) -> tuple[list[str], list[str], str]:
    from scoring.training.datasets import load_airline, load_rusentitweet

    if lang == "en":
        data = load_airline(root)
        keep = sorted(random.Random(SEED).sample(range(len(data.texts)), AIRLINE_SAMPLE))
        return [data.texts[i] for i in keep], [data.labels[i] for i in keep], "airline_3000"
    data = load_rusentitweet(root, "test")
    rows = [(t, y) for t, y in zip(data.texts, data.labels, strict=True) if y in LABELS]
    return [t for t, _ in rows], [y for _, y in rows], "rusentitweet_test"


def own_empathy_examples() -> dict[str, tuple[list[str], list[str], list[int]]]:
    """part -> (texts, langs, emotional-reaction levels) of the hand-written examples."""
    folder = Path(__file__).resolve().parent
    out = {}
    for part, name in (
        ("dev", "empathy_examples.tsv"),
        ("holdout", "empathy_examples_holdout.tsv"),
    ):
        rows = [line.rstrip("\n").split("\t") for line in
                (folder / name).read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]  # fmt: skip
        rows = [r for r in rows if r[0] in ("en", "ru")]
        out[part] = ([r[-1] for r in rows], [r[0] for r in rows], [int(r[1]) for r in rows])
    return out


def empathy_probe(root: Path, embed: Embedder, measure: bool) -> Probe:
    """Emotional reactions: rules vs embedding LR vs the higher of the two levels."""
    from scoring.scorers.empathy import EmpathyScorer
    from scoring.training.datasets import load_epitome

    mechanism, levels = "emotional-reactions", (0, 1, 2)
    scorer = EmpathyScorer()
    own = own_empathy_examples()
    x = {part: embed(f"own_empathy_{part}", texts) for part, (texts, _, _) in own.items()}
    c, c_scores = choose_c(x["dev"], own["dev"][2], x["holdout"], own["holdout"][2], levels)
    lr = fit_lr(x["dev"], own["dev"][2], c)

    def candidates(texts, langs, xs) -> dict[str, np.ndarray]:
        rules = scorer.mechanism_levels(texts, mechanism, langs)
        emb = lr.predict(xs)
        return {"rules (shipped)": rules, "embedding LR": emb, "max": np.maximum(rules, emb)}

    texts, langs, gold = own["holdout"]
    scores = {k: macro(gold, v, levels) for k, v in candidates(texts, langs, x["holdout"]).items()}
    chosen = max(scores, key=lambda k: (scores[k], k == "rules (shipped)"))
    lines = [f"[empathy] C holdout macro-F1: {c_scores}; chosen C={c:g}",
             f"[empathy] holdout macro-F1: {scores}; chosen: {chosen}"]  # fmt: skip
    measured = []
    if measure:
        data = load_epitome(root, mechanism)
        found = candidates(data.texts, ["en"] * len(data), embed("epitome_er", data.texts))
        for name in dict.fromkeys(("rules (shipped)", "embedding LR", chosen)):
            value = macro(data.labels, found[name], levels)
            measured.append(Measured("epitome_er", name, value, len(data), name == chosen))
            lines.append(f"[empathy] MEASURED ONCE EPITOME ER (n={len(data)}) {name}: {value:.3f}")
    return Probe(lines, measured)
