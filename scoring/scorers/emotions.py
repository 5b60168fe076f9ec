"""Multi-label emotions that matter in support conversations, in Russian and English.

Gratitude, caring, remorse (apology), annoyance, disapproval, anger, joy, sadness, fear,
surprise and neutral. Linear models over hashed n-grams give the probabilities (English:
GoEmotions; Russian: CEDR + machine-translated GoEmotions); cue words from
``scoring/lexicons/emotions.json`` point at the spans and stand in when no model is shipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.lexicons import emotion_lexicon, word_key
from scoring.lexicons.polarity import scan
from scoring.models import MODELS_DIR, load_model
from scoring.scorers.linear_model import LinearTextModel
from scoring.text import detect_languages

EMOTIONS = (
    "gratitude",
    "caring",
    "remorse",
    "annoyance",
    "disapproval",
    "anger",
    "joy",
    "sadness",
    "fear",
    "surprise",
    "neutral",
)
CUE_WEIGHT = 0.35  # rules-only fallback: each cue adds this much probability mass
KEY_CACHE_SIZE = 50_000  # word forms whose look-up key (lemma) is remembered, per language


class EmotionScorer:
    """Per-text probabilities of ``EMOTIONS``; label = strongest emotion above its threshold."""

    task = "emotions"
    version = "1.0"
    labels = EMOTIONS

    def __init__(self, lang: str = "auto", use_model: bool = True, model_dir: Path | None = None):
        self.lang = lang
        self.use_model = use_model
        self.model_dir = model_dir

    def _ensure_loaded(self) -> None:
        if hasattr(self, "cues_"):
            return
        self.cues_: dict[str, dict[tuple[str, ...], list[str]]] = {"ru": {}, "en": {}}
        for emotion, by_lang in emotion_lexicon().items():
            if emotion.startswith("_"):
                continue
            for lang, entries in by_lang.items():
                for entry in entries:
                    key = tuple(word_key(w, lang) for w in entry.split())
                    self.cues_[lang].setdefault(key, []).append(emotion)
        # first words of the cues: a text position whose word starts no cue is skipped
        self.cue_starts_ = {
            lang: frozenset(k[0] for k in cues if k) for lang, cues in self.cues_.items()
        }
        self.keys_: dict[str, dict[str, str]] = {"ru": {}, "en": {}}
        self.models_: dict[str, tuple[LinearTextModel, np.ndarray, list[int]]] = {}
        directory = self.model_dir or MODELS_DIR
        for lang in ("ru", "en") if self.use_model else ():
            if (directory / f"emotions_{lang}.npz").exists():
                arrays, meta = load_model(f"emotions_{lang}", directory)
                model = LinearTextModel.from_arrays(arrays, meta)
                columns = [model.classes.index(e) for e in EMOTIONS]
                self.models_[lang] = (model, arrays["thresholds"].astype(float), columns)

    def _langs(self, texts: Sequence[str], langs) -> list[str]:
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        return detect_languages(texts, langs)

    def cue_hits(self, text: str, lang: str) -> list[tuple[int, int, str, str]]:
        """(start, end, emotion, cue text) for every cue word or phrase in the text.

        Words are the ``word`` tokens of ``scoring.text.tokenize`` as the sentiment rules
        have just built them (``polarity.scan``, memoised per text: the pipeline runs both
        on the same customer texts); their keys (lemmas) are remembered per word form."""
        self._ensure_loaded()
        words = [t for t in scan(text) if t[3] == "word"]  # Token: text, start, end, kind
        if not words:
            return []
        memo = self.keys_.setdefault(lang, {})
        keys = []
        for token in words:
            word = token[0]
            key = memo.get(word)
            if key is None:
                key = word_key(word, lang)
                if len(memo) < KEY_CACHE_SIZE:
                    memo[word] = key
            keys.append(key)
        cues, starts, hits, i = self.cues_[lang], self.cue_starts_.get(lang, ()), [], 0
        while i < len(words):
            if keys[i] not in starts:
                i += 1
                continue
            for size in (3, 2, 1):
                emotions = cues.get(tuple(keys[i : i + size]))
                if emotions and i + size <= len(words):
                    start, end = words[i][1], words[i + size - 1][2]
                    hits += [(start, end, e, text[start:end]) for e in emotions]
                    i += size - 1
                    break
            i += 1
        return hits

    def _proba_with_thresholds(self, texts, langs) -> tuple[np.ndarray, np.ndarray]:
        self._ensure_loaded()
        proba = np.zeros((len(texts), len(EMOTIONS)))
        thresholds = np.full((len(texts), len(EMOTIONS)), 0.5)
        for lang in ("ru", "en"):
            idx = [i for i, lg in enumerate(langs) if lg == lang]
            if not idx:
                continue
            if lang in self.models_:
                model, cut, columns = self.models_[lang]
                proba[idx] = model.predict_proba([texts[i] for i in idx])[:, columns]
                thresholds[idx] = cut[columns]
            else:
                proba[idx] = [self._cue_proba(texts[i], lang) for i in idx]
                thresholds[idx] = CUE_WEIGHT
        return proba, thresholds

    def _cue_proba(self, text: str, lang: str) -> np.ndarray:
        row = np.zeros(len(EMOTIONS))
        for _, _, emotion, _ in self.cue_hits(text, lang):
            k = EMOTIONS.index(emotion)
            row[k] = 1 - (1 - row[k]) * (1 - CUE_WEIGHT)
        row[-1] = max(0.0, 1.0 - row[:-1].max() * 1.5)
        return row

    def predict_proba(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """(n_texts, len(EMOTIONS)) independent probabilities (multi-label)."""
        texts = list(texts)
        return self._proba_with_thresholds(texts, self._langs(texts, langs))[0]

    def predict(self, texts: Sequence[str], langs=None) -> list[list[str]]:
        """Emotions above their thresholds per text (tuned on train:yes dev data)."""
        texts = list(texts)
        proba, cut = self._proba_with_thresholds(texts, self._langs(texts, langs))
        return [
            [EMOTIONS[k] for k in np.flatnonzero(row >= c)]
            for row, c in zip(proba, cut, strict=True)
        ]

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Label = strongest emotion relative to its threshold; score = its probability."""
        texts = list(texts)
        langs = self._langs(texts, langs)
        proba, cut = self._proba_with_thresholds(texts, langs)
        results = []
        for i, text in enumerate(texts):
            ratio = proba[i, :-1] / cut[i, :-1]
            k = int(ratio.argmax())
            if ratio[k] < 1.0:
                k = len(EMOTIONS) - 1
            evidence = tuple(
                Evidence(s, e, f"cue:{emotion}", float(proba[i, EMOTIONS.index(emotion)]), t)
                for s, e, emotion, t in self.cue_hits(text, langs[i])
            )
            results.append(ScoreResult(EMOTIONS[k], float(proba[i, k]), langs[i], evidence))
        return results
