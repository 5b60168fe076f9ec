"""Empathy in agent replies (``EmpathyScorer``); the rules that find each mechanism are in
``scoring.empathy_mechanisms``, missed empathy in ``scoring.missed_empathy``.

Empathy in support is observable wording: acknowledging the feeling ("I understand how
frustrating this is", "понимаю, как это неприятно"), validating it, reassuring, asking to
hear more, personalising and apologising with ownership. Each mechanism is matched from
lemma-based phrase lexicons (``lexicons/empathy_*.tsv``) and combined by a noisy-OR, so a
reviewer sees exactly which words earned the score. The EPITOME data set (Sharma et al.,
EMNLP 2020) is evaluation only: nothing here is fitted on it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.scorers.empathy_mechanisms import CANCELLING, detect_mechanisms
from scoring.scorers.politeness_features import (
    count_matrix,
    lexical_counts,
    tfidf_matrix,
    unique_counts,
)
from scoring.text import detect_languages

MODEL_NAME = "empathy_v1"
# Chance that one mechanism alone makes a support reply empathetic (noisy-OR), hand-set
# from support-desk practice. Zero-weight mechanisms only place a reply on the EPITOME
# levels: a troubleshooting question or "I checked your order" is not empathy in support.
MECHANISM_WEIGHTS: dict[str, float] = {
    "acknowledgement": 0.45, "inferred_feeling": 0.5, "validation": 0.4,
    "emotion_strong": 0.6, "emotion_intense": 0.35, "emotion_weak": 0.3, "warmth": 0.1, "reassurance": 0.35,
    "exploration": 0.25, "feeling_question": 0.35, "checkin": 0.1,
    "question_specific": 0.0, "question_generic": 0.0,
    "self_disclosure": 0.15, "own_experience": 0.0,
    "personalisation": 0.15, "customer_name": 0.1, "apology_ownership": 0.4,
    "caring_language": 0.2, "caring_language_strong": 0.15,
    "apology_plain": 0.0, "courtesy": 0.0,
}  # fmt: skip
# What a bare apology or a stock closing may carry along: the caring-language model reads
# "Sorry, there are no rooms" and "Have a nice day" as caring (GoEmotions rewards both), but
# in support they are an apology and courtesy, not empathy (data/reference/GUIDELINES.md).
# With one of them and none of these sympathy mechanisms, the model's vote is not counted.
FORMULAIC = frozenset({"apology_plain", "courtesy"})
SYMPATHY = frozenset(
    {"acknowledgement", "inferred_feeling", "validation", "emotion_strong", "emotion_intense",
     "emotion_weak", "reassurance", "exploration", "feeling_question", "apology_ownership"}
)  # fmt: skip
# Wording that takes the empathy back (``CANCELLING``): the score is multiplied by this.
CANCEL_FACTOR = 0.2
# EPITOME mechanisms (Sharma et al. 2020) -> (weak-level, strong-level) mechanisms, from the
# paper's definitions: emotional reactions weak = alluding to a feeling ("everything will be
# fine", "sorry to hear"), strong = naming one's own feeling ("I feel really sad for you");
# interpretations weak = "I understand how you feel", strong = the inferred feeling named
# ("this must be terrifying") or a similar experience shared; explorations weak = generic
# ("what happened?"), strong = specific ("are you feeling alone right now?").
EPITOME_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "emotional-reactions": (
        frozenset({"emotion_weak", "emotion_intense", "reassurance", "warmth", "apology_plain"}),
        frozenset({"emotion_strong"}),
    ),
    "interpretations": (
        frozenset({"acknowledgement", "validation"}),
        frozenset({"inferred_feeling", "self_disclosure", "own_experience"}),
    ),
    "explorations": (
        frozenset({"exploration", "checkin", "question_generic"}),
        frozenset({"feeling_question", "question_specific"}),
    ),
}


def _evidence_weight(strategy: str) -> float:
    """What a mechanism does to the support score: its weight, or minus the share a
    cancelling phrase takes away; 0 for level-only mechanisms (no evidence shown)."""
    if strategy in CANCELLING:
        return CANCEL_FACTOR - 1.0
    return MECHANISM_WEIGHTS.get(strategy, 0.0)


def _noisy_or(strategies: set[str]) -> float:
    keep = 1.0
    for strategy in strategies:
        keep *= 1.0 - MECHANISM_WEIGHTS.get(strategy, 0.0)
    score = 1.0 - keep
    return score * CANCEL_FACTOR if strategies & CANCELLING else score


class EmpathyScorer:
    """How much empathy an agent reply shows: none / weak / strong, score 0..1.

    Phrase rules give the mechanisms; where the shipped ``empathy_v1`` model exists, a
    caring-language probability (GoEmotions) adds "caring_language" for free wording.
    """

    task = "empathy"
    version = "2.0"
    labels = ("none", "weak", "strong")

    def __init__(
        self,
        lang: str = "auto",
        weak_threshold: float = 0.2,
        strong_threshold: float = 0.55,
        model: str | None = MODEL_NAME,
        caring_floor: float = 0.5,
    ) -> None:
        self.lang = lang
        self.weak_threshold = weak_threshold
        self.strong_threshold = strong_threshold
        self.model = model
        self.caring_floor = caring_floor

    def _ensure_model(self) -> None:
        if hasattr(self, "models_"):
            return
        self.models_: dict[str, dict] = {}
        if not self.model:
            return
        from scoring.models import load_model

        try:
            arrays, meta = load_model(self.model)
        except FileNotFoundError:
            return
        self.model_card_ = meta
        for lang in ("en", "ru"):
            part = {k[3:]: v.astype(np.float32) for k, v in arrays.items() if k[:3] == f"{lang}_"}
            # best-F1 thresholds on noisy data can be low; never fire below the floor
            metrics = meta["metrics"][lang]
            part["threshold"] = max(metrics["threshold"], self.caring_floor)
            part["strong_threshold"] = max(metrics["strong_threshold"], part["threshold"])
            self.models_[lang] = part

    def _resolve(self, texts: list[str], langs) -> list[str]:
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        return detect_languages(texts, langs)

    def caring_probability(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """P(caring language) from the GoEmotions model; zeros when no model is shipped."""
        self._ensure_model()
        texts = [t or "" for t in texts]
        resolved = self._resolve(texts, langs)
        out = np.zeros(len(texts))
        for lang, part in self.models_.items():
            rows = [i for i, r in enumerate(resolved) if r == lang]
            if rows:
                counts = [lexical_counts(texts[i]) for i in rows]
                z = float(part["intercept"]) + sum(
                    tfidf_matrix(count_matrix(counts, b), part[f"{b}_idf"]) @ part[f"{b}_coef"]
                    for b in ("word", "char")
                )
                out[rows] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return out

    def _mechanisms(self, texts: list[str], langs) -> list[set[str]]:
        resolved = self._resolve(texts, langs)
        proba = self.caring_probability(texts, resolved)
        out = []
        for text, lang, p in zip(texts, resolved, proba, strict=True):
            found = {d.strategy for d in detect_mechanisms(text)}
            out.append(found | self._caring_levels(p, lang, found))
        return out

    def _caring_levels(self, p: float, lang: str, found: set[str]) -> set[str]:
        """Caring language from the model, unless the rules saw it negated or taken back
        ("I don't feel sorry for you": the n-grams read "sorry for you") or explained by a
        formula alone (``FORMULAIC``)."""
        part = self.models_.get(lang)
        if part is None or "negated" in found or found & CANCELLING:
            return set()
        if found & FORMULAIC and not found & SYMPATHY:
            return set()
        if p >= part["strong_threshold"]:
            return {"caring_language", "caring_language_strong"}
        return {"caring_language"} if p >= part["threshold"] else set()

    def predict_scores(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Empathy score per text (fast path: no evidence objects)."""
        texts = [t or "" for t in texts]
        return np.array([_noisy_or(found) for found in self._mechanisms(texts, langs)])

    def label_for(self, score: float) -> str:
        if score >= self.strong_threshold:
            return "strong"
        return "weak" if score >= self.weak_threshold else "none"

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Label, score and the phrases that carry the empathy, per text."""
        texts = [t or "" for t in texts]
        resolved = self._resolve(texts, langs)
        proba = self.caring_probability(texts, resolved)
        results = []
        for text, lang, p in zip(texts, resolved, proba, strict=True):
            found = detect_mechanisms(text)
            caring = self._caring_levels(p, lang, {d.strategy for d in found})
            score = _noisy_or({d.strategy for d in found} | caring)
            evidence = [
                Evidence(d.start, d.end, d.strategy, _evidence_weight(d.strategy),
                         text[d.start : d.end])
                for d in found if _evidence_weight(d.strategy)
            ]  # fmt: skip
            if caring:
                evidence += self._caring_evidence(text, lang, float(p))
            results.append(ScoreResult(self.label_for(score), score, lang, tuple(evidence)))
        return results

    def _caring_evidence(self, text: str, lang: str, p: float, top: int = 2) -> list[Evidence]:
        """The words that made the caring-language model fire, else the whole message."""
        part = self.models_[lang]
        counts = lexical_counts(text)
        columns, tf = unique_counts(counts.word_raw)
        weights = part["word_coef"][columns] * tf
        best = {col for col, w in zip(columns.tolist(), weights, strict=True) if w > 0.5}
        spans = sorted(
            ((float(part["word_coef"][col]), s, e) for col, s, e, g in counts.spans
             if col in best and g.replace(" ", "").replace("'", "").isalnum()),
            reverse=True,
        )[:top]  # fmt: skip
        if not spans:
            return [Evidence(0, len(text), "caring_language", p, text[:80])]
        return [Evidence(s, e, "caring_language", p, text[s:e]) for _, s, e in spans]

    def mechanism_levels(self, texts: Sequence[str], mechanism: str, langs=None) -> np.ndarray:
        """EPITOME-style level 0/1/2 of one mechanism per text, from rules and the model."""
        weak, strong = EPITOME_RULES[mechanism]
        found = self._mechanisms([t or "" for t in texts], langs)
        if mechanism != "explorations":  # mock or dismissed feelings are no reaction
            found = [set() if f & CANCELLING else f for f in found]
        return np.array([2 if f & strong else 1 if f & weak else 0 for f in found], dtype=np.int64)
