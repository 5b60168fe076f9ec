"""RUSSE-2022 detoxification pairs (RuParaDetox train, train: yes): a toxic Russian sentence
and a crowd-written polite rewrite of the same meaning. A scorer that reads rudeness rather
than topic must judge the rewrite more polite and the original more toxic.

Only the held-out fifth of the pairs is scored (``pair_id`` hashed, the split any training
on this set must respect: ``held_out``), so a model trained on the rest is measured on
sentences it never saw. A tie counts as a failure.
"""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import numpy as np

from scoring.evaluation import EvalResult

FOLDER = "detox-ru-paradetox-train"
DATASET = "detox-ru-paradetox-train, held-out fifth (pair_id)"
TARGET_REWRITE_MORE_POLITE = 0.95
NAN = float("nan")


def held_out(pair_id: str) -> bool:
    """The fifth of the pairs kept for measurement (never for training)."""
    return zlib.crc32(pair_id.encode("utf-8")) % 5 == 0


def load_pairs(datasets_dir: Path, part: str = "held_out") -> list[tuple[str, str]]:
    """(toxic, neutral) pairs of ``part`` (``held_out`` or ``train``)."""
    path = Path(datasets_dir) / FOLDER / "train.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    want = part == "held_out"
    return [(r["toxic"], r["neutral"]) for r in rows if held_out(r["pair_id"]) == want]


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    from scoring.scorers.politeness import PolitenessScorer
    from scoring.scorers.toxicity import ToxicityScorer

    task = "rudeness (ru)"
    if not (Path(datasets_dir) / FOLDER / "train.csv").is_file():
        note = f"{FOLDER} not found in {datasets_dir}"
        return [EvalResult(task, DATASET, "rewrite judged more polite", NAN, "",
                           TARGET_REWRITE_MORE_POLITE, 0, note)]  # fmt: skip
    pairs = load_pairs(datasets_dir)[:limit]
    toxic = [t for t, _ in pairs]
    neutral = [n for _, n in pairs]
    langs = ["ru"] * (2 * len(pairs))
    scorer = PolitenessScorer()
    polite = scorer.predict_scores(toxic + neutral, langs)
    rules = PolitenessScorer(use_learned=False)
    rules_polite = rules.predict_scores(toxic + neutral, langs)
    rules_rude = rules.predict_rudeness(toxic + neutral, langs) >= rules.rude_threshold
    rude = scorer.predict_rudeness(toxic + neutral, langs) >= scorer.rude_threshold
    tox = ToxicityScorer().predict_scores(toxic + neutral, "ru")
    n = len(pairs)
    more_polite = float(np.mean(polite[n:] > polite[:n]))
    rules_more_polite = float(np.mean(rules_polite[n:] > rules_polite[:n]))
    more_toxic = float(np.mean(tox[:n] > tox[n:]))
    flagged = int(rude.sum())
    precision = float(rude[:n].sum() / flagged) if flagged else NAN
    return [
        EvalResult(task, DATASET, "rewrite judged more polite", more_polite,
                   f"rules alone (this run): {rules_more_polite:.3f}; issue (other pairs): 0.885",
                   TARGET_REWRITE_MORE_POLITE, n,
                   "politeness probability, rewrite > original; ties fail; rules + learned "
                   "rudeness_ru (trained on the other four fifths)"),
        EvalResult(task, DATASET, "rewrite judged more polite, rules only", rules_more_polite,
                   "", None, n, "ablation: without the learned model"),
        EvalResult(task, DATASET, "precision (rude) over originals and rewrites", precision,
                   "", None, 2 * n,
                   f"{flagged} of {2 * n} sentences labelled rude; recall on originals "
                   f"{float(rude[:n].mean()):.3f}, rewrites labelled rude "
                   f"{float(rude[n:].mean()):.3f} (mostly informal «ты», a rule); rules "
                   f"alone: precision {float(rules_rude[:n].sum() / max(rules_rude.sum(), 1)):.3f}"
                   f", recall {float(rules_rude[:n].mean()):.3f}"),
        EvalResult(task, DATASET, "toxic judged more toxic", more_toxic,
                   "same pairs, rules only (before toxicity_ru): 0.898; issue (other pairs): "
                   "0.876", None, n,
                   "toxicity probability (lexicon + toxicity_ru, trained on the other four "
                   "fifths), original > rewrite; ties fail"),
    ]  # fmt: skip
