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
from scoring.politeness_lexicon import Detection, PhraseLexicon, is_negated, split_words
from scoring.politeness_strategies import detect_strategies
from scoring.text import detect_languages

# Chance that one mechanism alone makes a reply empathetic (noisy-OR), hand-set.
MECHANISM_WEIGHTS: dict[str, float] = {
    "acknowledgement": 0.45, "emotion_strong": 0.6, "emotion_weak": 0.3, "validation": 0.4,
    "reassurance": 0.35, "exploration": 0.25, "personalisation": 0.15, "customer_name": 0.1,
    "apology_ownership": 0.4,
}  # fmt: skip
NEGATABLE = frozenset({"acknowledgement", "validation", "emotion_weak", "emotion_strong"})
# EPITOME mechanisms (Sharma et al. 2020) -> (weak-level rules, strong-level rules).
EPITOME_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "emotional-reactions": (
        frozenset({"emotion_weak", "reassurance", "acknowledgement"}),
        frozenset({"emotion_strong"}),
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


@lru_cache(maxsize=20_000)
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
    """How much empathy an agent reply shows: none / weak / strong, score 0..1."""

    task = "empathy"
    version = "1.0"
    labels = ("none", "weak", "strong")

    def __init__(
        self, lang: str = "auto", weak_threshold: float = 0.2, strong_threshold: float = 0.55
    ) -> None:
        self.lang = lang
        self.weak_threshold = weak_threshold
        self.strong_threshold = strong_threshold

    def _resolve(self, texts: list[str], langs) -> list[str]:
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        return detect_languages(texts, langs)

    def predict_scores(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Empathy score per text (fast path: no evidence objects)."""
        return np.array([_noisy_or({d.strategy for d in detect_mechanisms(t)}) for t in texts])

    def label_for(self, score: float) -> str:
        if score >= self.strong_threshold:
            return "strong"
        return "weak" if score >= self.weak_threshold else "none"

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Label, score and the phrases that carry the empathy, per text."""
        texts = [t or "" for t in texts]
        resolved = self._resolve(texts, langs)
        results = []
        for text, lang in zip(texts, resolved, strict=True):
            found = detect_mechanisms(text)
            score = _noisy_or({d.strategy for d in found})
            evidence = tuple(
                Evidence(d.start, d.end, d.strategy, MECHANISM_WEIGHTS.get(d.strategy, 0.0),
                         text[d.start : d.end])
                for d in found
            )  # fmt: skip
            results.append(ScoreResult(self.label_for(score), score, lang, evidence))
        return results

    def mechanism_levels(self, texts: Sequence[str], mechanism: str) -> np.ndarray:
        """EPITOME-style level 0/1/2 of one mechanism per text, from the matched rules."""
        weak, strong = EPITOME_RULES[mechanism]
        out = np.zeros(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            found = {d.strategy for d in detect_mechanisms(text or "")}
            out[i] = 2 if found & strong else 1 if found & weak else 0
        return out


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
