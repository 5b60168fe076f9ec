"""The impolite flag on the hand-labelled reference replies (``data/reference``, 339 EN and
340 RU agent replies from public dialogue data; the Russian ones are machine translations).

What a team lead feels is the false flag: a polite agent called impolite. So beside
precision and recall this reports the share of replies a person judged not impolite that
the scorer still labels impolite (target at most 1%). Nothing was fitted on these replies.

The texts are not in the repository (``data/reference/SOURCES.md`` has the recipe): they
are read from ``$QA_STUDIO_REFERENCE_TEXTS`` or ``<datasets>/reference-replies``
(``texts-en.csv``, ``texts-ru.csv``); without them the rows say so instead of a figure.
"""

from __future__ import annotations

import os
from pathlib import Path

from scoring.evaluation import EvalResult
from scoring.evaluation.reference_set import (
    flag_scores,
    impolite_false_flag_rate,
    load_reference,
)

LABELS_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
TARGET_PRECISION = 0.8
TARGET_FALSE_RATE = 0.01
NAN = float("nan")


def texts_dir(datasets_dir: Path) -> Path:
    """Where the rebuilt reply texts are: ``$QA_STUDIO_REFERENCE_TEXTS`` or beside the sets."""
    env = os.environ.get("QA_STUDIO_REFERENCE_TEXTS")
    return Path(env) if env else Path(datasets_dir) / "reference-replies"


def predicted_flags(texts: list[str], lang: str) -> list[dict[str, str]]:
    """The shipped scorer's impolite/rude flags per reply, in the reference vocabulary."""
    from scoring.scorers.politeness import PolitenessScorer

    polite, rude = PolitenessScorer().score_with_rudeness(texts, [lang] * len(texts))
    return [
        {
            "impolite": "yes" if p.label == "impolite" else "no",
            "rude": "yes" if r.label == "rude" else "no",
        }
        for p, r in zip(polite, rude, strict=True)
    ]


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    out = []
    where = texts_dir(datasets_dir)
    for lang in ("en", "ru"):
        dataset = f"reference replies {lang} (data/reference)"
        texts = where / f"texts-{lang}.csv"
        task = f"impolite flag ({lang})"
        if not texts.is_file():
            note = f"texts not built: {texts} (recipe in data/reference/SOURCES.md)"
            out += [
                EvalResult(task, dataset, "precision (impolite)", NAN, "", TARGET_PRECISION,
                           0, note),
                EvalResult(task, dataset, "false-impolite rate", NAN, "", TARGET_FALSE_RATE,
                           0, note, higher_is_better=False),
            ]  # fmt: skip
            continue
        replies = load_reference(LABELS_DIR / f"replies-{lang}.csv", texts=texts)
        if limit is not None:
            replies = replies[:limit]
        flags = predicted_flags([r.text for r in replies], lang)
        predictions = {
            r.id: {"impolite": f["impolite"]} for r, f in zip(replies, flags, strict=True)
        }
        score = flag_scores(replies, predictions)["impolite"]
        false_rate = impolite_false_flag_rate(replies, predictions)
        flagged = score.true_positive + score.false_positive
        gold = score.true_positive + score.false_negative
        mt = "; Russian replies are machine translations" if lang == "ru" else ""
        note = f"{flagged} flagged, {gold} impolite by hand{mt}"
        n = len(replies)
        out += [
            EvalResult(task, dataset, "precision (impolite)", score.precision,
                       "before issue 18: 0.000 EN / 0.189 RU", TARGET_PRECISION, n,
                       note + ("; no reply flagged: precision undefined" if not flagged else "")),
            EvalResult(task, dataset, "recall (impolite)", score.recall, "", None, n, note),
            EvalResult(task, dataset, "false-impolite rate", false_rate,
                       "before issue 18: 0.071 EN / 0.092 RU", TARGET_FALSE_RATE, n,
                       "share of replies judged not impolite that are flagged",
                       higher_is_better=False),
        ]  # fmt: skip
    return out
