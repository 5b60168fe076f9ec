"""Train the learned half of the Russian toxicity scorer (``toxicity_ru``), train: yes only.

Same features and learner as ``rudeness_ru`` (lemmas, lemma pairs and folded character
3-5-grams, hashed; logistic regression), but a different question: is this *comment*
toxic, not is this *reply* rude. So the data and the threshold differ:

- rows: RuParaDetox toxic sentences (toxic) and their neutral rewrites (not toxic), split
  by pair exactly as ``rudeness_ru`` (``held_out`` never read, ``dev`` for choices); not
  toxic at half weight: CEDR train sentences (angry or sad is not toxic), the machine-
  translated GoEmotions validation rows without anger, annoyance, disapproval or disgust
  (ordinary social-media talk, so informal style alone is not toxic) and the project's
  synthetic support messages; at full weight, the project's own list of clean rows
  (``toxicity_ru_clean.txt``): words that only look like mat roots («страховка»,
  «корабля», «сукно», every form pymorphy3 knows) and literal uses («телефон сдох»), since
  character n-grams alone would read «страхуй» like the root inside it;
- threshold: the model is combined with the lexicon by a noisy-OR (``ToxicityScorer``), so
  the model's offset is the one that maximises F1 of that combination on the dev pairs
  (toxic sentence vs rewrite), over a fixed grid. The evaluation-only toxic-comments set
  never chooses anything; only its val/test texts are read, to drop overlapping pairs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score

from scoring.models import save_model
from scoring.scorers.rudeness_ru import N_BITS
from scoring.scorers.toxicity import ToxicityScorer, combine
from scoring.scorers.toxicity_ru import MODEL_NAME
from scoring.training.datasets import TRAIN_ALLOWED, load_cedr, load_goemotions_ru
from scoring.training.rudeness_ru import FOLDER, decontaminate, fit, load_pairs
from scoring.training.sentiment_support import support_corpus

C_GRID = (3.0, 10.0)
EXTRA_WEIGHT = 0.5
# GoEmotions ids of anger, annoyance, disapproval, disgust: hostile enough to be neither
# a clean negative nor (machine-translated Reddit) a trustworthy positive, so left out.
HOSTILE_GOEMOTIONS = frozenset({2, 3, 10, 11})
OFFSET_GRID = tuple(np.round(np.arange(-3.0, 3.01, 0.05), 2))

CARD = {
    "training_data": "RuParaDetox train part (detox-ru-paradetox-train): toxic sentences = "
    "toxic, crowd-written neutral rewrites = not toxic, four fifths of the pairs (split by "
    "pair_id; the held-out fifth is only measured); pairs whose text occurs in the "
    "evaluation-only toxicity-ru-comments val/test comments removed. Not toxic at half "
    "weight: CEDR train sentences, machine-translated GoEmotions validation rows without "
    "anger/annoyance/disapproval/disgust, the project's synthetic Russian support messages; "
    "at full weight the project's hand-written clean rows (look-alikes of mat roots in all "
    "their forms, literal uses; scoring/training/toxicity_ru_clean.txt).",
    "licence": "RuParaDetox: OpenRAIL++; CEDR: Apache-2.0; ru-GoEmotions: MIT; synthetic "
    "messages: project's own",
    "citation": "Dementieva, D. et al. (2022). RUSSE-2022: Findings of the First Russian "
    "Detoxification Shared Task Based on Parallel Corpora. Dialogue. Sboev, A. et al. (2021). "
    "Data-driven model for emotion detection in Russian texts. Procedia Computer Science. "
    "Demszky, D. et al. (2020). GoEmotions. ACL.",
    "intended_use": "Russian messages, combined with the toxicity lexicon by a noisy-OR",
    "weak_spots": "Knows toxic words and insults (also obfuscated) from RuParaDetox, whose "
    "toxic sentences are the ones a rewrite could save; hostility, threats and political "
    "contempt in ordinary words are mostly missed; topic words frequent in toxic comments "
    "carry small weights; character n-grams read rare innocent words holding a mat root's "
    "letters («хлебать», «ебитда», «сук» on a tree) and animal words («свинья», «козёл») as "
    "toxic unless the clean list or a safe phrase of the lexicon covers them.",
}


CLEAN_FILE = Path(__file__).with_name("toxicity_ru_clean.txt")


def clean_rows(path: Path = CLEAN_FILE) -> list[str]:
    """The hand-written not-toxic rows: sentences as written, single words in all forms."""
    from scoring.text.tokens import _morph

    rows: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " " in line:
            rows.append(line)
            continue
        parse = _morph().parse(line)[0]
        rows += sorted({form.word for form in parse.lexeme} | {line})
    return rows


def corpus(rows: list, part: set[str], datasets_dir: Path):
    """(texts, y, weights): pairs of ``part``, the not-toxic extras at half weight and the
    hand-written clean rows at full weight."""
    toxic = list(dict.fromkeys(t for p, t, _ in rows if p in part))
    seen = set(toxic)
    neutral = list(dict.fromkeys(n for p, _, n in rows if p in part and n not in seen))
    extras = list(support_corpus("ru", "train")[0])
    if TRAIN_ALLOWED["emotions-ru-cedr"]:
        extras += load_cedr(datasets_dir, "train").texts
    if TRAIN_ALLOWED["emotions-ru-goemotions-translated"]:
        go = load_goemotions_ru(datasets_dir, "validation")
        extras += [
            t for t, ids in zip(go.texts, go.label_sets, strict=True)
            if not HOSTILE_GOEMOTIONS.intersection(ids)
        ]  # fmt: skip
    clean = clean_rows()
    texts = toxic + neutral + extras + clean
    y = np.r_[np.ones(len(toxic)), np.zeros(len(neutral) + len(extras) + len(clean))]
    weights = np.r_[
        np.ones(len(toxic) + len(neutral)), np.full(len(extras), EXTRA_WEIGHT), np.ones(len(clean))
    ]
    return texts, y.astype(int), weights


def dev_rows(rows: list) -> tuple[list[str], np.ndarray]:
    """Dev toxic sentences (1) and their rewrites (0), each text once."""
    toxic = list(dict.fromkeys(t for p, t, _ in rows if p == "dev"))
    seen = set(toxic)
    neutral = list(dict.fromkeys(n for p, _, n in rows if p == "dev" and n not in seen))
    return toxic + neutral, np.r_[np.ones(len(toxic)), np.zeros(len(neutral))].astype(int)


def choose_offset(logits: np.ndarray, rules: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(offset, dev F1): the logit offset whose noisy-OR with the rules is best on dev."""
    scores = [f1_score(y, combine(rules, logits, o) >= 0.5) for o in OFFSET_GRID]
    best = int(np.argmax(scores))
    return float(OFFSET_GRID[best]), float(scores[best])


def train_toxicity_ru(datasets_dir: Path, out_dir: Path, seed: int = 13) -> dict:
    """Choose C and the offset on dev pairs, refit on train + dev, save the model."""
    if not TRAIN_ALLOWED.get(FOLDER, False):
        raise ValueError(f"{FOLDER} is not marked trainable")
    rows, dropped = decontaminate(load_pairs(datasets_dir), datasets_dir)
    texts, y, w = corpus(rows, {"train"}, datasets_dir)
    dev_texts, dev_y = dev_rows(rows)
    rules = ToxicityScorer(use_model=False).predict_scores(dev_texts)
    choices = {}
    for c in C_GRID:
        logits = fit(texts, y, w, c, seed).decision_function(dev_texts)
        choices[c] = (*choose_offset(logits, rules, dev_y), logits)
    best_c = max(C_GRID, key=lambda c: choices[c][1])
    offset, _, logits = choices[best_c]
    pred = combine(rules, logits, offset) >= 0.5
    alone = logits >= offset
    metrics = {
        "dev_f1_rules_or_model": round(float(f1_score(dev_y, pred)), 4),
        "dev_precision": round(float(precision_score(dev_y, pred)), 4),
        "dev_recall": round(float(recall_score(dev_y, pred)), 4),
        "dev_f1_rules_alone": round(float(f1_score(dev_y, rules >= 0.5)), 4),
        "dev_f1_model_alone": round(float(f1_score(dev_y, alone)), 4),
        "dev_rows": float(len(dev_y)),
        "pairs_dropped_as_eval_overlap": float(dropped),
    }
    texts, y, w = corpus(rows, {"train", "dev"}, datasets_dir)
    model = fit(texts, y, w, best_c, seed)
    meta = {
        "name": MODEL_NAME, "task": "toxicity", "language": "ru", "seed": seed,
        "C": best_c, "offset": offset, "n_bits": N_BITS,
        "model_card": {**CARD, "metrics": {**metrics, "train_rows": float(len(texts))}},
    }  # fmt: skip
    save_model(MODEL_NAME, model.to_arrays(), meta, Path(out_dir))
    return {"C": best_c, "offset": offset, **metrics}
