"""Message sentiment in Russian and English: negative / neutral / positive, score -1..1.

Two views are combined: lexicon + rules (``scoring.lexicons.polarity``: explainable, knows
negation, ")))", sarcastic openers and "but" clauses) and a linear model over hashed n-grams
trained on "train: yes" data. A small stacker fitted on held-out train:yes data mixes
them. Without a shipped model file the scorer falls back to the rules alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.lexicons.polarity import Polarity, PolarityRules, Token, scan
from scoring.models import MODELS_DIR, load_model
from scoring.scorers.linear_model import LinearTextModel
from scoring.text import detect_languages

LABELS = ("negative", "neutral", "positive")
_LETTER = re.compile(r"[^\W\d_]")
RULES_SLOPE = 5.0


def rules_logits(polarities: Sequence[Polarity], margin: float) -> np.ndarray:
    """Logits for (negative, neutral, positive) from rules compounds alone.

    Positive and neutral are equally likely at ``compound == margin`` (likewise negative).
    """
    c = np.array([p.compound for p in polarities], dtype=np.float64)
    z = np.zeros((len(c), 3))
    z[:, 0] = RULES_SLOPE * (-c - margin)
    z[:, 2] = RULES_SLOPE * (c - margin)
    return z


COMPLAINT_RULES = frozenset({"duration", "repeat_contact", "phrase"})


def stack_features(
    model_proba: np.ndarray, polarities: Sequence[Polarity], texts: Sequence[str]
) -> np.ndarray:
    """Inputs of the stacker: model log-probabilities, rules summaries and message shape.

    Rules summaries: compound, positive and negative mass, mixed mass (both present),
    no hit at all, and the mass of complaint facts (phrases, "3 hours", "third time").
    Shape: a question mark and the log length. Each extra column was kept because it
    raised macro-F1 on the public dev part, the synthetic support dev part and the
    hand-written check set together (docs/models.md).

    Where the rules found sarcastic praise and the model reads the text as praise, the
    model's positive and negative probabilities are swapped: n-gram models read
    "отлично"/"great" literally. A model that already calls it negative (it learned the
    pattern from the synthetic support corpus) is left alone.
    """
    sarcastic = np.array([any(h.rule == "sarcasm" for h in p.hits) for p in polarities])
    sarcastic &= model_proba[:, 2] > model_proba[:, 0]
    if sarcastic.any():
        model_proba = model_proba.copy()
        model_proba[sarcastic] = model_proba[sarcastic][:, ::-1]
    pos = np.array([p.positive for p in polarities])
    neg = np.array([p.negative for p in polarities])
    comp = np.array([p.compound for p in polarities])
    mixed = np.minimum(pos, neg)
    complaint = np.array(
        [sum(-h.weight for h in p.hits if h.weight < 0 and h.rule in COMPLAINT_RULES)
         for p in polarities]
    )  # fmt: skip
    return np.column_stack(
        [
            np.log(np.clip(model_proba, 1e-6, 1.0)),
            comp,
            pos / (1 + pos),
            neg / (1 + neg),
            np.array(["?" in t for t in texts], dtype=float),
            mixed / (1 + mixed),
            np.array([not p.hits for p in polarities], dtype=float),
            complaint,
            np.log1p(np.array([len(t) for t in texts], dtype=float)),
        ]
    )


def _harm_not_above_rules(
    proba: np.ndarray, polarities: Sequence[Polarity], margin: float
) -> np.ndarray:
    """Where the customer reports harm done to them ("I was robbed", «меня ограбили»), the
    rules' reading wins when it is the more negative: the n-gram model has seen such words
    in news and calls a calm report neutral or even positive (+0.53 for «Меня ограбили,
    мне нужна помощь!»), which would start a conversation's sentiment on the wrong foot."""
    harmed = [i for i, p in enumerate(polarities)
              if any(h.rule == "harm" and h.weight < 0 for h in p.hits)]  # fmt: skip
    if not harmed:
        return proba
    rules = softmax(rules_logits([polarities[i] for i in harmed], margin))
    current = proba[harmed]
    worse = (rules[:, 2] - rules[:, 0]) < (current[:, 2] - current[:, 0])
    proba = proba.copy()
    proba[harmed] = np.where(worse[:, None], rules, current)
    return proba


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class SentimentScorer:
    """Sentiment of each message; ``score_texts`` explains, ``predict_scores`` is the fast path."""

    task = "sentiment"
    version = "1.0"
    labels = LABELS

    def __init__(
        self,
        lang: str = "auto",
        use_model: bool = True,
        margin: float = 0.2,
        model_dir: Path | None = None,
    ) -> None:
        self.lang = lang
        self.use_model = use_model
        self.margin = margin
        self.model_dir = model_dir

    def _ensure_loaded(self) -> None:
        if hasattr(self, "rules_"):
            return
        self.rules_ = {lang: PolarityRules(lang) for lang in ("ru", "en")}
        self.models_: dict[str, tuple[LinearTextModel, np.ndarray, np.ndarray]] = {}
        if not self.use_model:
            return
        directory = self.model_dir or MODELS_DIR
        for lang in ("ru", "en"):
            if (directory / f"sentiment_{lang}.npz").exists():
                arrays, meta = load_model(f"sentiment_{lang}", directory)
                model = LinearTextModel.from_arrays(arrays, meta)
                stack = (arrays["stack_coef"].astype(float), arrays["stack_intercept"])
                self.models_[lang] = (model, *stack)

    def _langs(self, texts: Sequence[str], langs) -> list[str]:
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        return detect_languages(texts, langs)

    def _polarities(self, texts: Sequence[str], langs: list[str]) -> list[Polarity]:
        self._ensure_loaded()
        return [self.rules_[lang].score(text) for text, lang in zip(texts, langs, strict=True)]

    def _proba(self, texts, langs, polarities) -> tuple[np.ndarray, np.ndarray]:
        """Combined probabilities and the model's own (NaN where no model)."""
        proba = softmax(rules_logits(polarities, self.margin))
        model_proba = np.full((len(texts), 3), np.nan)
        for lang, (model, coef, intercept) in self.models_.items():
            idx = [i for i, lg in enumerate(langs) if lg == lang]
            if not idx:
                continue
            mp = model.predict_proba([texts[i] for i in idx])
            feats = stack_features(mp, [polarities[i] for i in idx], [texts[i] for i in idx])
            stacked = softmax(feats @ coef.T + intercept)
            # Emoji/emoticon-only messages ("😡😡", ")))"): no words for the model to read.
            wordless = np.array([_LETTER.search(texts[i]) is None for i in idx])
            proba[idx] = np.where(wordless[:, None], proba[idx], stacked)
            model_proba[idx] = mp
        return _harm_not_above_rules(proba, polarities, self.margin), model_proba

    def predict_proba(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Probabilities of (negative, neutral, positive) per text."""
        texts = list(texts)
        langs = self._langs(texts, langs)
        return self._proba(texts, langs, self._polarities(texts, langs))[0]

    def predict_scores(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Just the numbers, fast: P(positive) - P(negative) in -1..1."""
        proba = self.predict_proba(texts, langs)
        return proba[:, 2] - proba[:, 0]

    def predict(self, texts: Sequence[str], langs=None) -> list[str]:
        return [LABELS[i] for i in self.predict_proba(texts, langs).argmax(axis=1)]

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Label, score and evidence (rules hits and the model's strongest words)."""
        texts = list(texts)
        langs = self._langs(texts, langs)
        polarities = self._polarities(texts, langs)
        proba, model_proba = self._proba(texts, langs, polarities)
        words = self._model_words(texts, langs, model_proba)
        results = []
        for i in range(len(texts)):
            evidence = [
                Evidence(h.start, h.end, h.rule, h.weight, h.text) for h in polarities[i].hits
            ]
            if not np.isnan(model_proba[i, 0]):
                evidence += self._model_evidence(words[i], model_proba[i])
            results.append(
                ScoreResult(
                    LABELS[int(proba[i].argmax())],
                    float(proba[i, 2] - proba[i, 0]),
                    langs[i],
                    tuple(evidence),
                )
            )
        return results

    def _model_words(self, texts, langs, model_proba) -> list[list[tuple[float, Token]]]:
        """(positive minus negative weight, token) of each word the model has a column for.

        All words of one language are looked up in one call (``word_features`` memoises
        them), so explaining costs a dictionary look-up per word, not a vectoriser run.
        """
        out: list[list[tuple[float, Token]]] = [[] for _ in texts]
        for lang, (model, _, _) in self.models_.items():
            rows = [
                i for i, lg in enumerate(langs) if lg == lang and not np.isnan(model_proba[i, 0])
            ]
            tokens = {i: [t for t in scan(texts[i]) if t.kind == "word"] for i in rows}
            columns = model.features_.word_features([t.text for i in rows for t in tokens[i]])
            polarity = self._polarity_weights(lang, model)
            position = 0
            for i in rows:
                for tok in tokens[i]:
                    col = columns[position]
                    position += 1
                    if col >= 0:
                        out[i].append((float(polarity[col]), tok))
        return out

    def _polarity_weights(self, lang: str, model: LinearTextModel) -> np.ndarray:
        """Per column, the positive weight minus the negative one (computed once)."""
        cache = self.__dict__.setdefault("polarity_weights_", {})
        if lang not in cache:
            cache[lang] = model.coef_[2] - model.coef_[0]
        return cache[lang]

    @staticmethod
    def _model_evidence(
        scored: list[tuple[float, Token]], model_proba: np.ndarray
    ) -> list[Evidence]:
        """The model's verdict plus the three words whose weights pushed it most."""
        out = [Evidence(0, 0, "model", float(model_proba[2] - model_proba[0]), "")]
        scored = sorted(scored, key=lambda pair: -abs(pair[0]))
        for weight, tok in scored[:3]:
            if abs(weight) > 0.05:
                out.append(Evidence(tok.start, tok.end, "model_word", weight, tok.text))
        return out
