"""Empathy in agent replies, and empathy missing where the customer is upset.

Empathy in support is observable wording: acknowledging the feeling ("I understand how
frustrating this is", "понимаю, как это неприятно"), validating it, reassuring, asking to
hear more, personalising and apologising with ownership. Each mechanism is matched from
lemma-based phrase lexicons (``lexicons/empathy_*.tsv``) and combined by a noisy-OR, so a
reviewer sees exactly which words earned the score. The EPITOME data set (Sharma et al.,
EMNLP 2020) is evaluation only: nothing here is fitted on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.politeness_features import (
    count_matrix,
    lexical_counts,
    tfidf_matrix,
    unique_counts,
)
from scoring.politeness_lexicon import (
    WHOLE_TEXT_CACHE,
    Detection,
    PhraseLexicon,
    is_negated,
    split_words,
)
from scoring.politeness_strategies import detect_strategies
from scoring.text import detect_languages

MODEL_NAME = "empathy_v1"
# Chance that one mechanism alone makes a reply empathetic (noisy-OR), hand-set.
MECHANISM_WEIGHTS: dict[str, float] = {
    "acknowledgement": 0.45, "emotion_strong": 0.6, "emotion_weak": 0.3, "validation": 0.4,
    "reassurance": 0.35, "exploration": 0.25, "personalisation": 0.15, "customer_name": 0.1,
    "apology_ownership": 0.4, "caring_language": 0.2, "caring_language_strong": 0.15,
}  # fmt: skip
NEGATABLE = frozenset({"acknowledgement", "validation", "emotion_weak", "emotion_strong"})
# EPITOME mechanisms (Sharma et al. 2020) -> (weak-level rules, strong-level rules).
EPITOME_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "emotional-reactions": (
        frozenset({"emotion_weak", "reassurance", "acknowledgement", "caring_language"}),
        frozenset({"emotion_strong", "caring_language_strong"}),
    ),
    "interpretations": (
        frozenset({"acknowledgement", "validation"}),
        frozenset({"emotion_strong", "personalisation"}),
    ),
    "explorations": (frozenset({"exploration"}), frozenset({"exploration_specific"})),
}


@lru_cache(maxsize=1)
def empathy_lexicon() -> PhraseLexicon:
    """The shipped English + Russian empathy lexicon (built once per process)."""
    return PhraseLexicon.from_files("empathy_en.tsv", "empathy_ru.tsv")


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def detect_mechanisms(text: str) -> tuple[Detection, ...]:
    """Empathy mechanisms in one message (negated ones dropped), memoised per text."""
    words, questions = split_words(text or "")
    starts = [w.start for w in words]
    found = []
    for det in empathy_lexicon().find(words):
        if det.strategy == "upset":  # customer-side wording, not the agent's empathy
            continue
        idx = starts.index(det.start)
        if det.strategy in NEGATABLE and is_negated(words, idx):
            continue
        if det.strategy == "exploration" and words[idx].sentence in questions:
            sentence_words = [w for w in words if w.sentence == words[idx].sentence]
            if len(sentence_words) >= 8:  # a long question names the customer's situation
                found.append(Detection("exploration_specific", det.start, det.end))
        found.append(det)
    kept, _ = detect_strategies(text or "")
    found += [d for d in kept if d.strategy == "customer_name"]
    return tuple(found)


def _noisy_or(strategies: set[str]) -> float:
    keep = 1.0
    for strategy in strategies:
        keep *= 1.0 - MECHANISM_WEIGHTS.get(strategy, 0.0)
    return 1.0 - keep


class EmpathyScorer:
    """How much empathy an agent reply shows: none / weak / strong, score 0..1.

    Phrase rules give the mechanisms; where the shipped ``empathy_v1`` model exists, a
    caring-language probability (GoEmotions) adds "caring_language" for free wording.
    """

    task = "empathy"
    version = "1.1"
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
        return [
            {d.strategy for d in detect_mechanisms(text)} | self._caring_levels(p, lang)
            for text, lang, p in zip(texts, resolved, proba, strict=True)
        ]

    def _caring_levels(self, p: float, lang: str) -> set[str]:
        part = self.models_.get(lang)
        if part is None:
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
            caring = self._caring_levels(p, lang)
            score = _noisy_or({d.strategy for d in found} | caring)
            evidence = [
                Evidence(d.start, d.end, d.strategy, MECHANISM_WEIGHTS.get(d.strategy, 0.0),
                         text[d.start : d.end])
                for d in found
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
        return np.array([2 if f & strong else 1 if f & weak else 0 for f in found], dtype=np.int64)


@dataclass(frozen=True, slots=True)
class MissedEmpathy:
    """An upset customer message answered by an agent reply without empathy."""

    customer_index: int
    agent_index: int
    upset: float
    empathy: float
    evidence: tuple[tuple[int, Evidence], ...]


def customer_upset(texts: Sequence[str]) -> np.ndarray:
    """A lexicon estimate (0..1) of how upset each customer message reads."""
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        words, _ = split_words(text or "")
        hits = [d for d in empathy_lexicon().find(words) if d.strategy == "upset"]
        shouting = sum(1 for w in words if len(w.text) >= 4 and w.text.isupper())
        out[i] = 1.0 - 0.5 ** (len(hits) + shouting + (text or "").count("!!"))
    return out


def _upset_evidence(index: int, text: str, upset: float) -> list[tuple[int, Evidence]]:
    words, _ = split_words(text)
    hits = [d for d in empathy_lexicon().find(words) if d.strategy == "upset"]
    if not hits:
        return [(index, Evidence(0, len(text), "customer_upset", upset, text[:80]))]
    return [
        (index, Evidence(d.start, d.end, "customer_upset", upset, text[d.start : d.end]))
        for d in hits
    ]


def find_missed_empathy(
    roles: Sequence[str],
    texts: Sequence[str],
    customer_negativity: Sequence[float | None] | None = None,
    scorer: EmpathyScorer | None = None,
    upset_threshold: float = 0.5,
    empathy_threshold: float = 0.2,
) -> list[MissedEmpathy]:
    """Upset customer turns whose agent replies (until the customer speaks again) show none.

    ``customer_negativity`` is aligned with ``texts`` (e.g. P(negative) from the sentiment
    scorer, or anger/sadness from the emotion scorer); where it is missing, a lexicon of
    complaint wording and shouting stands in. Turns nobody answered are not counted here:
    that is a responsiveness problem, not an empathy one.
    """
    scorer = scorer or EmpathyScorer()
    texts = [t or "" for t in texts]
    customer = [i for i, r in enumerate(roles) if r == "customer"]
    lexical = dict(zip(customer, customer_upset([texts[i] for i in customer]), strict=True))
    agent = [i for i, r in enumerate(roles) if r == "agent"]
    empathy = dict(zip(agent, scorer.predict_scores([texts[i] for i in agent]), strict=True))
    events = []
    for pos, c in enumerate(customer):
        given = customer_negativity[c] if customer_negativity is not None else None
        upset = float(given) if given is not None else float(lexical[c])
        if upset < upset_threshold:
            continue
        end = customer[pos + 1] if pos + 1 < len(customer) else len(texts)
        replies = [i for i in agent if c < i < end]
        if not replies or max(empathy[i] for i in replies) >= empathy_threshold:
            continue
        evidence = _upset_evidence(c, texts[c], upset)
        evidence.append((replies[0], Evidence(0, len(texts[replies[0]]), "no_empathy", 0.0, "")))
        events.append(
            MissedEmpathy(
                c, replies[0], upset, float(max(empathy[i] for i in replies)), tuple(evidence)
            )
        )
    return events
