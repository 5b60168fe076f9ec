"""Toxicity (profanity, insults, threats, rude dismissals) in Russian and English.

The rules (``scoring.scorers.toxicity_rules``) find the listed words and phrases, however
they are disguised; the evidence is exactly the matched words. The only Russian toxicity
data here is "train: no", so nothing in the rules was fitted on data.

Russian rows also get a learned opinion (``toxicity_ru``, trained on RuParaDetox, train:
yes; see ``scoring.scorers.toxicity_ru``), joined to the rules by a noisy-OR: the lexicon
alone reached F1 0.672 on the evaluation-only toxic comments because a third of them hold
no listed word. Its evidence is ``learned:<word>``; ``use_model=False`` is rules only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.scorers.toxicity_ru import load_toxicity_model
from scoring.scorers.toxicity_rules import KINDS, overlaps, toxicity_rules
from scoring.text import detect_languages
from scoring.text.folding import CYRILLIC, fold_text

__all__ = ["KINDS", "LEARNED_RULE", "ToxicityScorer", "combine", "fold_text"]

LEARNED_RULE = "learned"


class ToxicityScorer:
    """Probability that a message is toxic, with the offending spans as evidence.

    Evidence rules are ``"<kind>:<entry>"`` or ``"<kind>_addressed:<entry>"`` (kind one of
    threat, dismissal, profanity, insult, contempt, mild), so consumers can match on the
    kind prefix and reviewers see which lexicon entry fired.
    """

    task = "toxicity"
    version = "3.0"
    labels = ("ok", "toxic")

    def __init__(
        self,
        lang: str = "auto",
        threshold: float = 0.5,
        slope: float = 2.2,
        offset: float = 1.0,
        use_model: bool = True,
    ) -> None:
        self.lang = lang
        self.threshold = threshold
        self.slope = slope
        self.offset = offset
        self.use_model = use_model

    def _ensure_compiled(self) -> None:
        if not hasattr(self, "rules_"):
            self.rules_ = toxicity_rules()

    def _probability(self, total: float) -> float:
        return 1.0 / (1.0 + math.exp(-self.slope * (total - self.offset)))

    def _learned(self, texts: list[str], langs) -> np.ndarray:
        """The model's shifted P(toxic) on Russian rows (``langs``: one code, a code per
        row, or None to take rows with Cyrillic letters); 0 elsewhere or without a model.
        ``texts`` come with the rules' safe phrases already blanked out."""
        out = np.zeros(len(texts))
        model = load_toxicity_model() if self.use_model else None
        if model is None or not texts:
            return out
        if langs is None:
            rows = [i for i, t in enumerate(texts) if CYRILLIC.search(t.lower())]
        elif isinstance(langs, str):
            rows = list(range(len(texts))) if langs == "ru" else []
        else:
            rows = [i for i, lang in enumerate(langs) if lang == "ru"]
        rows = [i for i in rows if texts[i].strip()]
        if rows:
            out[rows] = model.probability([texts[i] for i in rows])
        return out

    # -- public API ----------------------------------------------------------------------
    def predict_scores(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Probability of toxic per text (fast path, no evidence objects, no language
        detection: without ``langs`` the model reads the rows with Cyrillic letters)."""
        self._ensure_compiled()
        texts = list(texts)
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        scans = [self.rules_.scan(t) for t in texts]
        rules = np.array([self._probability(sum(h[4] for h in hits)) for hits, _ in scans])
        masked = [_blank(t, safe) for t, (_, safe) in zip(texts, scans, strict=True)]
        return combine(rules, self._learned(masked, langs))

    def predict(self, texts: Sequence[str], langs=None) -> list[str]:
        return ["toxic" if p >= self.threshold else "ok" for p in self.predict_scores(texts, langs)]

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        self._ensure_compiled()
        texts = list(texts)
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        resolved = detect_languages(texts, langs)
        scans = [self.rules_.scan(t) for t in texts]
        masked = [_blank(t, safe) for t, (_, safe) in zip(texts, scans, strict=True)]
        learned = self._learned(masked, resolved)
        model = load_toxicity_model() if self.use_model else None
        results = []
        for text, lang, p_model, (hits, _), seen in zip(
            texts, resolved, learned, scans, masked, strict=True
        ):
            by_rules = self._probability(sum(h[4] for h in hits))
            prob = float(combine(by_rules, p_model))
            evidence = tuple(
                Evidence(s, e, f"{kind}:{entry}", w, text[s:e]) for s, e, kind, entry, w in hits
            )
            # The model's words are shown only where they, not the rules, made it toxic.
            if model is not None and prob >= self.threshold > by_rules:
                evidence += tuple(
                    Evidence(s, e, f"{LEARNED_RULE}:{word}", c, text[s:e])
                    for s, e, word, c in model.words(seen)
                    if not overlaps([(h[0], h[1]) for h in hits], s, e)
                )
            label = "toxic" if prob >= self.threshold else "ok"
            results.append(ScoreResult(label, prob, lang, evidence))
        return results


def combine(rules, learned, offset: float | None = None):
    """Noisy-OR of the rules' P(toxic) and the model's: either alone can make a message
    toxic, two weak signals together can too. ``learned`` is a probability, or a logit
    when ``offset`` is given (training chooses the offset with this same function)."""
    rules = np.asarray(rules, dtype=np.float64)
    learned = np.asarray(learned, dtype=np.float64)
    if offset is not None:
        learned = 1.0 / (1.0 + np.exp(-np.clip(learned - offset, -30, 30)))
    return 1.0 - (1.0 - rules) * (1.0 - learned)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by spaces (same length, so offsets hold)."""
    for start, stop in spans:
        text = text[:start] + " " * (stop - start) + text[stop:]
    return text
