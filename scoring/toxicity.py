"""Toxicity (profanity, insults, threats, rude dismissals) in Russian and English.

Russian mat is a handful of roots with very productive prefixes and endings, so patterns
over roots (``scoring/lexicons/toxicity.json``) cover thousands of forms that a word list
would miss. The only Russian toxicity data here is "train: no", so this scorer is rules
only: the evidence is exactly the matched words, and nothing was fitted on that data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.lexicons import toxicity_lexicon
from scoring.text import detect_languages

KINDS = ("threat", "dismissal", "profanity", "insult", "mild")  # stronger first
# Latin letters that look like Cyrillic ones; swapped only inside words with Cyrillic.
_LOOKALIKES = str.maketrans("aeopcxykmtbh", "аеорсхукмтвн")
_CYRILLIC_WORD = re.compile(r"\w*[а-яё]\w*", re.IGNORECASE)
_ADDRESS_WINDOW = 3


def fold_text(text: str) -> str:
    """Lower-case, ё -> е, Latin look-alikes -> Cyrillic in Cyrillic words; same length."""
    low = text.lower().replace("ё", "е")
    return _CYRILLIC_WORD.sub(lambda m: m.group().translate(_LOOKALIKES), low)


class ToxicityScorer:
    """Probability that a message is toxic, with the offending spans as evidence."""

    task = "toxicity"
    version = "1.0"
    labels = ("ok", "toxic")

    def __init__(
        self, lang: str = "auto", threshold: float = 0.5, slope: float = 2.2, offset: float = 1.0
    ) -> None:
        self.lang = lang
        self.threshold = threshold
        self.slope = slope
        self.offset = offset

    def _ensure_compiled(self) -> None:
        if hasattr(self, "patterns_"):
            return
        lex = toxicity_lexicon()
        self.weights_ = lex["weights"]
        self.bonus_ = float(lex["addressed_bonus"])
        # Matched against ``fold_text`` output, which is already lower case, and the
        # lexicon's patterns are lower case: IGNORECASE would only make them ~4x slower.
        self.patterns_ = {
            kind: re.compile(r"(?<!\w)(?:" + "|".join(lex[kind]) + r")(?!\w)") for kind in KINDS
        }
        self.address_ = re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, lex["address_words"])) + r")(?!\w)"
        )

    def _hits(self, text: str) -> list[tuple[int, int, str, float]]:
        """Non-overlapping matches, stronger kinds first; insults aimed at 'you' weigh more."""
        folded = fold_text(text)
        taken: list[tuple[int, int]] = []
        hits = []
        for kind in KINDS:
            for m in self.patterns_[kind].finditer(folded):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                weight = float(self.weights_[kind])
                rule = kind
                if kind in ("insult", "profanity") and self._addressed(folded, m.start()):
                    weight += self.bonus_
                    rule = f"{kind}_addressed"
                taken.append((m.start(), m.end()))
                hits.append((m.start(), m.end(), rule, weight))
        return sorted(hits)

    def _addressed(self, folded: str, start: int) -> bool:
        before = folded[max(0, start - 40) : start].split()[-_ADDRESS_WINDOW:]
        return any(self.address_.fullmatch(w.strip(",.!?")) for w in before)

    def _probability(self, total: float) -> float:
        if total <= 0:
            return 1.0 / (1.0 + math.exp(self.slope * self.offset))
        return 1.0 / (1.0 + math.exp(-self.slope * (total - self.offset)))

    def predict_scores(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Probability of toxic per text (fast path, no evidence objects)."""
        self._ensure_compiled()
        return np.array([self._probability(sum(h[3] for h in self._hits(t))) for t in texts])

    def predict(self, texts: Sequence[str], langs=None) -> list[str]:
        return ["toxic" if p >= self.threshold else "ok" for p in self.predict_scores(texts)]

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        self._ensure_compiled()
        texts = list(texts)
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        resolved = detect_languages(texts, langs)
        results = []
        for text, lang in zip(texts, resolved, strict=True):
            hits = self._hits(text)
            prob = self._probability(sum(h[3] for h in hits))
            evidence = tuple(Evidence(s, e, rule, w, text[s:e]) for s, e, rule, w in hits)
            label = "toxic" if prob >= self.threshold else "ok"
            results.append(ScoreResult(label, prob, lang, evidence))
        return results
