"""Politeness and rudeness of agent messages, in Russian and English, with evidence.

The probability of "polite" is a logistic model over politeness strategies (Danescu-
Niculescu-Mizil et al., ACL 2013) plus, for English, hashed word n-grams, fitted on the
Stanford Politeness Corpus (Wikipedia). Strategy names are language-independent, so the
strategy-only model scores Russian, for which no labelled corpus exists. Support formulas
and the rude side (blame, dismissal, sarcasm, "as I already said") are rare in Wikipedia
requests; their weights are hand-set priors, documented in the model card. Rudeness is
also reported on its own, joined with the toxicity scorer's profanity and insults and, for
Russian, a learned rudeness model (``rudeness_ru``, trained on RuParaDetox pairs): its
probability lowers the politeness logit, and at or above its threshold it counts as an
impoliteness marker whose evidence is the message's top-weighted words ("learned:<word>").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scoring.base import ScoreResult
from scoring.scorers.politeness_evidence import (
    PolitenessBatch,
    politeness_evidence,
    rudeness_evidence,
    word_evidence,
)
from scoring.scorers.politeness_features import (
    MessageAnalysis,
    analyse_message,
    count_matrix,
    strategy_matrix,
)
from scoring.scorers.politeness_rules import (
    CURT_WEIGHT,
    IMPOLITE_MARKERS,
    LEARNED_EVIDENCE_MIN,
    LEARNED_LOGIT,
    NON_MARKERS,
    PRIOR_WEIGHTS,
    SEVERE_RUDENESS,
    TOXICITY_LOGIT,
    UNFLAGGED_SHRINK,
    UNMARKED_SHRINK,
    curt_replies,
    lexicon_hit,
    rude_noisy_or,
    strong_toxic,
)
from scoring.scorers.politeness_strategies import RUDE_STRATEGIES, STRATEGIES
from scoring.text import detect_languages

MODEL_NAME = "politeness_v2"


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
        use_learned: bool = True,
    ) -> None:
        self.lang = lang
        self.model = model
        self.polite_threshold = polite_threshold
        self.impolite_threshold = impolite_threshold
        self.rude_threshold = rude_threshold
        self.use_toxicity = use_toxicity
        self.C = C
        self.use_learned = use_learned

    # -- learned state ----------------------------------------------------------------
    def fit(self, texts: Sequence[str], y: Sequence[int], min_support: int = 15):
        """Fit on English requests labelled 1 polite / 0 impolite (Wikipedia quartiles)."""
        from scoring.scorers.politeness_fit import fit_politeness_arrays

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
        self.word_nb_ = np.asarray(arrays.get("word_nb", np.zeros(1)), np.float32)
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
            from scoring.scorers.toxicity import ToxicityScorer
        except ImportError:  # toxicity scorer not installed: politeness still works
            return None
        return ToxicityScorer().score_texts(texts)

    def _learned(self, texts: list[str], langs: list[str]) -> np.ndarray:
        """P(rude) from the Russian rudeness model on Russian rows; 0 elsewhere."""
        out = np.zeros(len(texts))
        rows = [i for i, lang in enumerate(langs) if lang == "ru" and texts[i].strip()]
        if not self.use_learned or not rows:
            return out
        if not hasattr(self, "rudeness_model_"):
            from scoring.scorers.rudeness_ru import RudenessModelRu

            self.rudeness_model_ = RudenessModelRu.load()
        if self.rudeness_model_ is not None:
            out[rows] = self.rudeness_model_.predict_proba([texts[i] for i in rows])
        return out

    def _learned_threshold(self) -> float:
        model = getattr(self, "rudeness_model_", None)
        return model.threshold if model is not None else 1.0

    def raw_logits(self, analyses: list[MessageAnalysis], langs: list[str]) -> np.ndarray:
        """Uncalibrated logits: full model for English rows, strategies only otherwise."""
        return self._raw(analyses, langs)[0]

    def _raw(self, analyses: list[MessageAnalysis], langs: list[str]):
        """Raw logits, English row indices and their per-word-column contributions."""
        x = strategy_matrix(analyses)
        z = x @ self.strategy_coef_ + self.strategy_intercept_
        rows = [i for i, lang in enumerate(langs) if lang == "en"]
        if not rows or self.word_coef_.size <= 1:
            return z, [], None
        sub = [analyses[i] for i in rows]
        words = count_matrix(sub, "word")
        row_of = np.repeat(np.arange(len(rows)), np.diff(words.indptr))
        contribution = _tfidf_values(words, self.word_idf_, row_of) * self.word_coef_[words.indices]
        if self.word_nb_.size > 1:  # NB-SVM member: binary presence of the same columns
            contribution += self.word_nb_[words.indices]
        lexical = np.bincount(row_of, contribution, minlength=len(rows))
        chars = count_matrix(sub, "char")
        char_rows = np.repeat(np.arange(len(rows)), np.diff(chars.indptr))
        values = _tfidf_values(chars, self.char_idf_, char_rows) * self.char_coef_[chars.indices]
        lexical += np.bincount(char_rows, values, minlength=len(rows))
        z[rows] = x[rows] @ self.full_strategy_coef_ + self.full_intercept_ + lexical
        return z, rows, (words.indptr, words.indices, contribution)

    def _calibrate(self, z: np.ndarray, english_rows: list[int]) -> np.ndarray:
        """Platt-calibrated logits (scale and shift fitted on out-of-fold predictions)."""
        strat_a, strat_b = self.strategy_calibration_
        out = strat_a * z + strat_b
        if english_rows:
            full_a, full_b = self.full_calibration_
            out[english_rows] = full_a * z[english_rows] + full_b
        return out

    def _logits(self, analyses: list[MessageAnalysis], langs: list[str]) -> np.ndarray:
        z, rows, _ = self._raw(analyses, langs)
        return self._calibrate(z, rows)

    def decision_function(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Calibrated politeness logit per text, before the toxicity adjustment."""
        self._ensure_model()
        texts = [t or "" for t in texts]
        return self._logits([analyse_message(t) for t in texts], self._resolve(texts, langs))

    def _compute(
        self, texts: Sequence[str], langs, toxicity=None, explain=True, upset=None
    ) -> PolitenessBatch:
        self._ensure_model()
        texts = [t or "" for t in texts]
        resolved = self._resolve(texts, langs)
        analyses = [analyse_message(t) for t in texts]
        toxic = list(toxicity) if toxicity is not None else self._toxicity(texts)
        # Only messages with lexicon hits count: the scorer's floor is not evidence, and the
        # toxicity model's words alone are left to this scorer's own rudeness_ru.
        tox = np.array(
            [r.score if lexicon_hit(r) else 0.0 for r in toxic] if toxic else [0.0] * len(texts)
        )
        kinds = [{d.strategy for d in a.detections} for a in analyses]
        curt = curt_replies(texts, kinds, upset)
        learned = self._learned(texts, resolved)
        learned_rude = learned >= self._learned_threshold()
        flagged = [
            bool(k & IMPOLITE_MARKERS) or c or strong_toxic(r) or bool(m)
            for k, c, r, m in zip(
                kinds, curt, toxic or [None] * len(texts), learned_rude, strict=True
            )
        ]
        marked = [not k <= NON_MARKERS for k in kinds]
        z, rows, words = self._raw(analyses, resolved)
        z = self._calibrate(z, rows)
        z = np.where(marked, z, UNMARKED_SHRINK * z)
        z = np.where(np.asarray(flagged, dtype=bool) | (z >= 0), z, UNFLAGGED_SHRINK * z)
        polite = _sigmoid(z - TOXICITY_LOGIT * tox - LEARNED_LOGIT * learned)
        # Courteous wrapping does not redeem blame or dismissal: "Thank you for your
        # patience, unfortunately that's not our problem" must not come out polite.
        severe = [k & SEVERE_RUDENESS for k in kinds]
        if any(severe):
            polite *= 1.0 - rude_noisy_or(severe, np.zeros(len(texts)))
        rude = rude_noisy_or([k & RUDE_STRATEGIES for k in kinds], tox)
        rude = 1.0 - (1.0 - rude) * (1.0 - np.where(learned_rude, learned, 0.0))
        if any(curt):
            rude = 1.0 - (1.0 - rude) * np.where(curt, 1.0 - CURT_WEIGHT, 1.0)
            polite = polite * np.where(curt, 1.0 - CURT_WEIGHT, 1.0)
        scale = float(self.full_calibration_[0])
        spans = word_evidence(analyses, rows, words, scale) if explain else {}
        learned_words = self._learned_words(texts, learned) if explain else {}
        return PolitenessBatch(
            texts, resolved, analyses, toxic, polite, rude, flagged, spans, curt,
            learned_words, learned_rude.tolist(),
        )  # fmt: skip

    def _learned_words(self, texts: list[str], learned: np.ndarray) -> dict:
        """Per Russian row the model leaned on, the words that raised its P(rude) most."""
        model = getattr(self, "rudeness_model_", None)
        if model is None:
            return {}
        return {
            i: model.top_words(texts[i])
            for i in np.flatnonzero(learned >= LEARNED_EVIDENCE_MIN).tolist()
        }

    def predict_scores(self, texts: Sequence[str], langs=None, toxicity=None) -> np.ndarray:
        """Probability of polite per text (fast path: no evidence objects)."""
        return self._compute(texts, langs, toxicity, explain=False).polite

    def predict_rudeness(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Probability that a reply is rude (blame, dismissal, sarcasm, shouting, insults)."""
        return self._compute(texts, langs, explain=False).rude

    def label_for(self, polite: float, rude: float, flagged: bool = True) -> str:
        """Impolite when rude, or unlikely polite with an impoliteness marker to show for it
        (``IMPOLITE_MARKERS``, insults, a curt reply); polite only when not rude at all."""
        if rude >= self.rude_threshold or (flagged and polite < self.impolite_threshold):
            return "impolite"
        if polite >= self.polite_threshold and rude < self.rude_threshold / 2:
            return "polite"
        return "neutral"

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Label, probability of polite and evidence (strategies, words, insults) per text."""
        return self._politeness_results(self._compute(texts, langs))

    def _politeness_results(self, batch: PolitenessBatch) -> list[ScoreResult]:
        polite, rude = batch.polite.tolist(), batch.rude.tolist()
        return [
            ScoreResult(
                self.label_for(polite[i], rude[i], batch.flagged[i]),
                polite[i],
                lang,
                politeness_evidence(
                    batch, i, self.full_strategy_coef_ if lang == "en" else self.strategy_coef_
                ),
            )
            for i, lang in enumerate(batch.langs)
        ]

    def score_with_rudeness(
        self,
        texts: Sequence[str],
        langs=None,
        toxicity: Sequence[ScoreResult] | None = None,
        upset: Sequence[bool] | None = None,
    ) -> tuple[list[ScoreResult], list[ScoreResult]]:
        """Politeness and rudeness in one pass; pass ``toxicity`` results already computed
        by ``ToxicityScorer.score_texts`` on the same texts to skip a second toxicity pass,
        and ``upset`` (was the customer upset before each reply?) to catch curt replies."""
        batch = self._compute(texts, langs, toxicity, upset=upset)
        return self._politeness_results(batch), self._rudeness_results(batch)

    def score_rudeness(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Rudeness as its own signal: label rude/ok, score 0..1, only the rude evidence."""
        return self._rudeness_results(self._compute(texts, langs))

    def _rudeness_results(self, batch: PolitenessBatch) -> list[ScoreResult]:
        rude = batch.rude.tolist()
        return [
            ScoreResult(
                "rude" if rude[i] >= self.rude_threshold else "ok",
                rude[i],
                batch.langs[i],
                rudeness_evidence(batch, i),
            )
            for i in range(len(batch.texts))
        ]


def _tfidf_values(counts, idf: np.ndarray, row_of: np.ndarray) -> np.ndarray:
    """L2-normalised TF-IDF values of a sublinear count matrix's stored entries."""
    values = counts.data.astype(np.float64) * idf[counts.indices]
    norms = np.sqrt(np.bincount(row_of, values * values, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    return values / norms[row_of]
