"""Politeness and rudeness of agent messages, in Russian and English, with evidence.

The probability of "polite" is a logistic model over politeness strategies (Danescu-
Niculescu-Mizil et al., ACL 2013) plus, for English, hashed word n-grams, fitted on the
Stanford Politeness Corpus (Wikipedia). Strategy names are language-independent, so the
strategy-only model scores Russian, for which no labelled corpus exists. Support formulas
and the rude side (blame, dismissal, sarcasm, "as I already said") are rare in Wikipedia
requests; their weights are hand-set priors, documented in the model card. Rudeness is
also reported on its own, joined with the toxicity scorer's profanity and insults.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.politeness_features import (
    STRATEGY_INDEX,
    MessageAnalysis,
    analyse_message,
    count_matrix,
    strategy_matrix,
    tfidf_matrix,
    unique_counts,
)
from scoring.politeness_strategies import RUDE_STRATEGIES, STRATEGIES
from scoring.text import detect_languages

MODEL_NAME = "politeness_v1"
# Logit weights used where training data is silent (and by the rules-only fallback).
PRIOR_WEIGHTS: dict[str, float] = {
    "gratitude": 1.0, "deference": 1.0, "greeting": 0.6, "apologizing": 0.6,
    "please": 0.5, "please_start": -0.3, "indirect_btw": 0.3, "direct_question": -0.6,
    "direct_start": -0.4, "counterfactual_modal": 0.8, "indicative_modal": 0.2,
    "first_person_start": 0.2, "first_person_plural": 0.3, "first_person": 0.1,
    "second_person": 0.0, "second_person_start": -0.4, "hedges": 0.4, "factuality": -0.5,
    "positive_lexicon": 0.5, "negative_lexicon": -0.5, "thanks_for_contacting": 1.2,
    "apology_inconvenience": 1.0, "thanks_for_waiting": 1.2, "glad_to_help": 1.0,
    "customer_name": 0.5, "formal_address": 0.3, "informal_address": -1.0, "command": -0.8,
    "blame": -1.8, "repetition": -1.5, "dismissive": -1.8, "sarcasm": -1.5,
    "shouting": -1.5, "exclamation": -0.5,
}  # fmt: skip
# Chance that one occurrence alone makes a reply rude (noisy-OR), hand-set for support QA.
RUDENESS_WEIGHTS: dict[str, float] = {
    "blame": 0.6, "dismissive": 0.6, "sarcasm": 0.5, "repetition": 0.5, "shouting": 0.5,
    "command": 0.25, "informal_address": 0.3, "exclamation": 0.15,
}  # fmt: skip
TOXICITY_LOGIT = 3.0
SEVERE_RUDENESS = frozenset({"blame", "dismissive", "sarcasm", "repetition", "shouting"})
# Pronoun, position and sentiment-word features alone are not politeness markers. The model
# learned from Wikipedia *requests*; a support message with no marker at all ("Your order
# has shipped") is pulled halfway to neutral and never labelled impolite on those alone.
NON_MARKERS = frozenset(
    {"first_person", "first_person_start", "first_person_plural", "second_person"}
    | {"second_person_start", "positive_lexicon", "negative_lexicon", "formal_address"}
)
UNMARKED_SHRINK = 0.5
_TOXIC_RULES = ("profanity", "insult", "threat")


def _has_marker(analysis: MessageAnalysis) -> bool:
    return any(d.strategy not in NON_MARKERS for d in analysis.detections)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


class PolitenessScorer:
    """Probability that an agent message is polite; rudeness reported alongside."""

    task = "politeness"
    version = "1.0"
    labels = ("impolite", "neutral", "polite")

    def __init__(
        self,
        lang: str = "auto",
        model: str | None = MODEL_NAME,
        polite_threshold: float = 0.65,
        impolite_threshold: float = 0.35,
        rude_threshold: float = 0.5,
        use_toxicity: bool = True,
        C: float = 10.0,
    ) -> None:
        self.lang = lang
        self.model = model
        self.polite_threshold = polite_threshold
        self.impolite_threshold = impolite_threshold
        self.rude_threshold = rude_threshold
        self.use_toxicity = use_toxicity
        self.C = C

    # -- learned state ----------------------------------------------------------------
    def fit(self, texts: Sequence[str], y: Sequence[int], min_support: int = 15):
        """Fit on English requests labelled 1 polite / 0 impolite (Wikipedia quartiles)."""
        from scoring.training.politeness import fit_politeness_arrays

        arrays, _ = fit_politeness_arrays(list(texts), np.asarray(y), self.C, min_support)
        return self._set_arrays(arrays)

    def _set_arrays(self, arrays: dict[str, np.ndarray]) -> PolitenessScorer:
        self.strategy_coef_ = np.asarray(arrays["strategy_coef"], dtype=np.float64)
        self.strategy_intercept_ = float(arrays["strategy_intercept"])
        self.full_strategy_coef_ = np.asarray(arrays["full_strategy_coef"], dtype=np.float64)
        self.full_intercept_ = float(arrays["full_intercept"])
        identity = np.array([1.0, 0.0])
        self.full_calibration_ = np.asarray(arrays.get("full_calibration", identity), float)
        self.strategy_calibration_ = np.asarray(arrays.get("strategy_calibration", identity), float)
        for block in ("word", "char"):
            setattr(self, f"{block}_coef_", np.asarray(arrays[f"{block}_coef"], np.float32))
            setattr(self, f"{block}_idf_", np.asarray(arrays[f"{block}_idf"], np.float32))
        return self

    def _ensure_model(self) -> None:
        if hasattr(self, "strategy_coef_"):
            return
        if self.model:
            from scoring.models import load_model

            try:
                arrays, meta = load_model(self.model)
            except FileNotFoundError:
                arrays = None
            if arrays is not None:
                self.model_card_ = meta
                self._set_arrays(arrays)
                return
        priors = np.array([PRIOR_WEIGHTS[s] for s in STRATEGIES])
        self._set_arrays(
            {
                "strategy_coef": priors, "strategy_intercept": 0.0,
                "full_strategy_coef": priors, "full_intercept": 0.0,
                "word_coef": np.zeros(1), "word_idf": np.ones(1),
                "char_coef": np.zeros(1), "char_idf": np.ones(1),
            }
        )  # fmt: skip

    # -- numbers ----------------------------------------------------------------------
    def _resolve(self, texts: Sequence[str], langs) -> list[str]:
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        return detect_languages(list(texts), langs)

    def _toxicity(self, texts: list[str]) -> list[ScoreResult] | None:
        if not self.use_toxicity:
            return None
        try:
            from scoring.toxicity import ToxicityScorer
        except ImportError:  # toxicity scorer not installed: politeness still works
            return None
        return ToxicityScorer().score_texts(texts)

    def raw_logits(self, analyses: list[MessageAnalysis], langs: list[str]) -> np.ndarray:
        """Uncalibrated logits: full model for English rows, strategies only otherwise."""
        x = strategy_matrix(analyses)
        z = x @ self.strategy_coef_ + self.strategy_intercept_
        rows = np.flatnonzero(np.array([lang == "en" for lang in langs], dtype=bool))
        if rows.size and self.word_coef_.size > 1:
            sub = [analyses[i] for i in rows]
            lexical = tfidf_matrix(count_matrix(sub, "word"), self.word_idf_) @ self.word_coef_
            lexical += tfidf_matrix(count_matrix(sub, "char"), self.char_idf_) @ self.char_coef_
            z[rows] = x[rows] @ self.full_strategy_coef_ + self.full_intercept_ + lexical
        return z

    def _logits(self, analyses: list[MessageAnalysis], langs: list[str]) -> np.ndarray:
        """Platt-calibrated logits (scale and shift fitted on out-of-fold predictions)."""
        z = self.raw_logits(analyses, langs)
        english = np.array([lang == "en" for lang in langs], dtype=bool)
        if self.word_coef_.size <= 1:
            english[:] = False
        full_a, full_b = self.full_calibration_
        strat_a, strat_b = self.strategy_calibration_
        return np.where(english, full_a * z + full_b, strat_a * z + strat_b)

    def decision_function(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Calibrated politeness logit per text, before the toxicity adjustment."""
        self._ensure_model()
        texts = [t or "" for t in texts]
        return self._logits([analyse_message(t) for t in texts], self._resolve(texts, langs))

    def _rudeness(
        self, analyses: list[MessageAnalysis], tox: np.ndarray, kinds=RUDE_STRATEGIES
    ) -> np.ndarray:
        out = np.empty(len(analyses))
        for i, analysis in enumerate(analyses):
            keep = 1.0 - tox[i]
            for strategy in {d.strategy for d in analysis.detections} & kinds:
                keep *= 1.0 - RUDENESS_WEIGHTS[strategy]
            out[i] = 1.0 - keep
        return out

    def _compute(self, texts: Sequence[str], langs, toxicity=None):
        self._ensure_model()
        texts = [t or "" for t in texts]
        resolved = self._resolve(texts, langs)
        analyses = [analyse_message(t) for t in texts]
        toxic = list(toxicity) if toxicity is not None else self._toxicity(texts)
        # Only messages with toxic words count: the scorer's floor is not evidence.
        tox = np.array(
            [r.score if r.evidence else 0.0 for r in toxic] if toxic else [0.0] * len(texts)
        )
        marked = np.array([_has_marker(a) for a in analyses], dtype=bool)
        z = self._logits(analyses, resolved)
        polite = _sigmoid(np.where(marked, z, UNMARKED_SHRINK * z) - TOXICITY_LOGIT * tox)
        # Courteous wrapping does not redeem blame or dismissal: "Thank you for your
        # patience, unfortunately that's not our problem" must not come out polite.
        polite *= 1.0 - self._rudeness(analyses, np.zeros(len(texts)), SEVERE_RUDENESS)
        rude = self._rudeness(analyses, tox)
        return texts, resolved, analyses, toxic, polite, rude

    def predict_scores(self, texts: Sequence[str], langs=None, toxicity=None) -> np.ndarray:
        """Probability of polite per text (fast path: no evidence objects)."""
        return self._compute(texts, langs, toxicity)[4]

    def predict_rudeness(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Probability that a reply is rude (blame, dismissal, sarcasm, shouting, insults)."""
        return self._compute(texts, langs)[5]

    def label_for(self, polite: float, rude: float, marked: bool = True) -> str:
        """Impolite when rude, or unlikely polite with some marker to show for it; polite
        only when not rude at all."""
        if rude >= self.rude_threshold or (marked and polite < self.impolite_threshold):
            return "impolite"
        if polite >= self.polite_threshold and rude < self.rude_threshold / 2:
            return "polite"
        return "neutral"

    # -- explanations -----------------------------------------------------------------
    def _evidence(self, text: str, lang: str, analysis: MessageAnalysis, toxic) -> list:
        coef = self.full_strategy_coef_ if lang == "en" else self.strategy_coef_
        out = [
            Evidence(d.start, d.end, d.strategy, float(coef[STRATEGY_INDEX[d.strategy]]),
                     text[d.start : d.end])
            for d in analysis.detections
        ]  # fmt: skip
        out += [
            Evidence(d.start, d.end, f"negated_{d.strategy}", 0.0, text[d.start : d.end])
            for d in analysis.negated
        ]
        if lang == "en" and self.word_coef_.size > 1:
            out += self._word_evidence(text, analysis)
        if toxic is not None:
            out += [
                Evidence(
                    e.start, e.end, f"toxicity_{e.rule}", -TOXICITY_LOGIT * toxic.score, e.text
                )
                for e in toxic.evidence
                if e.rule.startswith(_TOXIC_RULES)
            ]
        return sorted(out, key=lambda e: (e.start, e.end, e.rule))

    def _word_evidence(self, text: str, analysis: MessageAnalysis, top: int = 3) -> list:
        """The few words or word pairs whose learned weights moved the score most."""
        columns, tf = unique_counts(analysis.word_raw)
        values = tf * self.word_idf_[columns]
        values /= float(np.sqrt((values**2).sum())) or 1.0
        lookup = dict(zip(columns.tolist(), values.tolist(), strict=True))
        scored = []
        for col, start, end, gram in analysis.spans:
            if not gram[0].isalnum():
                continue
            contribution = float(self.word_coef_[col]) * lookup[col]
            if abs(contribution) >= 0.15:
                scored.append((abs(contribution), start, end, gram, contribution))
        scored.sort(reverse=True)
        return [Evidence(s, e, f"word:{gram}", c, text[s:e]) for _, s, e, gram, c in scored[:top]]

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Label, probability of polite and evidence (strategies, words, insults) per text."""
        return self._politeness_results(*self._compute(texts, langs))

    def _politeness_results(self, texts, resolved, analyses, toxic, polite, rude) -> list:
        return [
            ScoreResult(
                self.label_for(float(polite[i]), float(rude[i]), _has_marker(analyses[i])),
                float(polite[i]),
                resolved[i],
                tuple(self._evidence(texts[i], resolved[i], analyses[i], toxic and toxic[i])),
            )
            for i in range(len(texts))
        ]

    def score_with_rudeness(
        self, texts: Sequence[str], langs=None, toxicity: Sequence[ScoreResult] | None = None
    ) -> tuple[list[ScoreResult], list[ScoreResult]]:
        """Politeness and rudeness in one pass; pass ``toxicity`` results already computed
        by ``ToxicityScorer.score_texts`` on the same texts to skip a second toxicity pass."""
        computed = self._compute(texts, langs, toxicity)
        return self._politeness_results(*computed), self._rudeness_results(*computed)

    def score_rudeness(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Rudeness as its own signal: label rude/ok, score 0..1, only the rude evidence."""
        return self._rudeness_results(*self._compute(texts, langs))

    def _rudeness_results(self, texts, resolved, analyses, toxic, polite, rude) -> list:
        results = []
        for i, text in enumerate(texts):
            evidence = tuple(
                Evidence(d.start, d.end, d.strategy, RUDENESS_WEIGHTS[d.strategy],
                         text[d.start : d.end])
                for d in analyses[i].detections
                if d.strategy in RUDE_STRATEGIES
            ) + tuple(e for e in (toxic[i].evidence if toxic else ()) if e.rule != "mild")  # fmt: skip
            label = "rude" if rude[i] >= self.rude_threshold else "ok"
            results.append(ScoreResult(label, float(rude[i]), resolved[i], evidence))
        return results
