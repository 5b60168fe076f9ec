"""When does the automatic scoring say the customer is upset? (``is_upset``, the signal
behind "missed empathy" and the curt-reply rule.)

Two checks, so that one cannot hide the other:

- **Support customer turns** (``data/reference/customers-{en,ru}.csv``): the customer turn
  each reference reply answers, 148 EN and 146 RU (all replies to a customer in distress
  plus 100 seeded random ones), labelled ``upset`` yes/no by two annotators independently
  (GUIDELINES.md, "customer upset"). Reported: precision, recall and the false-upset rate
  (calm turns called upset: what makes "missed empathy" fire on a calm chat).
- **Public emotion sets not chosen for this** (train: yes): a sentence with a negative
  emotion in CEDR test (sadness, fear, anger) or in GoEmotions test (the "negative" group)
  counts as upset; F1 of ``is_upset`` against that. The support turns were selected with
  distress words, so a lexicon of those words would look good there by construction; these
  sets were not, so they show whether a change holds on text it was not written for.
"""

from __future__ import annotations

import csv
from pathlib import Path

from scoring.evaluation import EvalResult, first_rows
from scoring.evaluation.reference_replies import LABELS_DIR, texts_dir
from scoring.evaluation.reference_set import ratio

NAN = float("nan")
IN_SAMPLE_RU = (
    "; partly in-sample: the road-accident phrases («автомобильная авария», «попасть в "
    "аварию») were added on 2026-12-08 after reading this set's misses"
)
CEDR_NEGATIVE = frozenset({1, 3, 4})  # sadness, fear, anger (CEDR_LABELS ids)


def upset_flags(texts: list[str], lang: str) -> list[bool]:
    """``is_upset`` on the shipped sentiment and emotion scores of each customer message."""
    from scoring.pipeline.signals import is_upset
    from scoring.registry import get_scorer

    langs = [lang] * len(texts)
    sentiment = get_scorer("sentiment").score_texts(texts, langs)
    emotions = get_scorer("emotions").score_texts(texts, langs)
    return [
        is_upset({"sentiment": s, "emotions": e}) for s, e in zip(sentiment, emotions, strict=True)
    ]


def _counts(gold: list[bool], predicted: list[bool]) -> tuple[int, int, int, int]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    return tp, fp, fn, len(gold) - tp - fp - fn


def _support_rows(lang: str, datasets_dir: Path, limit: int | None) -> list[EvalResult]:
    dataset = f"customer turns {lang} (data/reference)"
    texts_file = texts_dir(datasets_dir) / f"texts-{lang}.csv"
    if not texts_file.is_file():
        note = f"texts not built: {texts_file} (recipe in data/reference/SOURCES.md)"
        return [EvalResult(f"customer upset ({lang})", dataset, "false-upset rate", NAN, "",
                           None, 0, note, higher_is_better=False)]  # fmt: skip
    with texts_file.open(encoding="utf-8", newline="") as fh:
        context = {r["id"]: r["context"] for r in csv.DictReader(fh)}
    with (LABELS_DIR / f"customers-{lang}.csv").open(encoding="utf-8", newline="") as fh:
        labels = [(r["id"], r["upset"] == "yes") for r in csv.DictReader(fh)]
    ids, gold = first_rows([i for i, _ in labels], [g for _, g in labels], limit)
    tp, fp, fn, tn = _counts(list(gold), upset_flags([context[i] for i in ids], lang))
    note = f"{tp + fn} of {len(ids)} turns upset by hand, {tp + fp} called upset"
    task, n = f"customer upset ({lang})", len(ids)
    return [
        EvalResult(task, dataset, "precision (upset)", ratio(tp, tp + fp), "", None, n, note),
        EvalResult(task, dataset, "recall (upset)", ratio(tp, tp + fn), "", None, n,
                   note + "; the distress turns were chosen by distress words: recall is "
                   "flattered by any rule that reads those words"
                   + (IN_SAMPLE_RU if lang == "ru" else "")),
        EvalResult(task, dataset, "false-upset rate", ratio(fp, fp + tn), "", None, n,
                   "calm turns called upset", higher_is_better=False),
    ]  # fmt: skip


def _emotion_set_row(lang: str, datasets_dir: Path, limit: int | None) -> EvalResult:
    from sklearn.metrics import f1_score

    from scoring.training.datasets import load_cedr, load_goemotions

    if lang == "ru":
        data, dataset = load_cedr(datasets_dir, "test"), "emotions-ru-cedr test"
        negative = [bool(set(s) & CEDR_NEGATIVE) for s in data.label_sets]
    else:
        data = load_goemotions(datasets_dir, "test", "group")
        dataset = "emotions-en-goemotions test (group)"
        negative = [data.label_names.index("negative") in s for s in data.label_sets]
    texts, gold = first_rows(data.texts, negative, limit)
    predicted = upset_flags(list(texts), lang)
    return EvalResult(f"customer upset ({lang})", dataset, "F1 against negative emotions",
                      float(f1_score(list(gold), predicted, zero_division=0)), "", None,
                      len(texts), f"{sum(gold)} of {len(texts)} with a negative emotion; "
                      "not chosen for this check")  # fmt: skip


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    out = []
    for lang in ("en", "ru"):
        out += _support_rows(lang, datasets_dir, limit)
        out.append(_emotion_set_row(lang, datasets_dir, limit))
    return out
