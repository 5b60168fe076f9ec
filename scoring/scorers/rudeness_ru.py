"""Learned Russian rudeness: a logistic model over lemma and character n-grams.

The rules (``politeness_strategies``, the toxicity lexicon) explain themselves but miss
rudeness nobody wrote a rule for: «да ты просто бездарь», «кто вообще таких берёт на
работу». This model was fitted (``scoring/training/rudeness_ru.py``) on RuParaDetox pairs
(a toxic sentence and its neutral rewrite, so the model learns the words that make the
difference, not the topic) plus polite and neutral Russian text, and it reads a message as:

- pymorphy3 lemmas and lemma pairs, so «идиотом», «идиоты», «идиотка» are one feature;
- character 3-5-grams of each word after folding obfuscation the way the toxicity scorer
  does (lower case, ё -> е, Latin/digit look-alikes -> Cyrillic, stretched letters -> one),
  so «д0лб0ёб», «xyйня», «тупооой» land near their plain spellings; masks (*, @) stay in
  the grams so «п**дец» shares grams with its masked kin.

Features are hashed (no vocabulary shipped), TF-IDF weighted like the other linear models,
and each word's share of the score is the sum of its own columns' contributions, which is
what the rudeness evidence shows ("learned:<word>"). Runtime needs only numpy, scikit-learn's
hasher and pymorphy3; the training code is never imported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher

from scoring.text.folding import WORD, fold_word, squeeze
from scoring.text.gender import fold_gender_ru
from scoring.text.names import replace_names
from scoring.text.tokens import lemma

MODEL_NAME = "rudeness_ru"
N_BITS = 18
_CYRILLIC = re.compile(r"[а-я]")
_LETTERS = re.compile(r"[^\W\d_]+")
CHAR_RANGE = (3, 5)
MAX_WORD_CHARS = 24  # longer "words" (URLs, keyboard mashing) add only their first grams
WORD_CACHE_SIZE = 50_000


@lru_cache(maxsize=WORD_CACHE_SIZE)
def word_features(word: str) -> tuple[str, tuple[str, ...]]:
    """(lemma, features) of one word as written: its lemma and its folded char n-grams."""
    key = squeeze(fold_word(word))
    russian = bool(_CYRILLIC.search(key)) and _LETTERS.fullmatch(key) is not None
    base = lemma(key, "ru") if russian else key
    padded = f"<{key[:MAX_WORD_CHARS]}>"
    low, high = CHAR_RANGE
    grams = [
        "c:" + padded[i : i + n]
        for n in range(low, high + 1)
        for i in range(max(len(padded) - n + 1, 0))
    ]
    return base, ("w:" + base, *grams)


def message_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word, masks and stress marks included."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text or "")]


def message_features(text: str) -> list[str]:
    """Every feature of a message: each word's features plus lemma bigrams."""
    out: list[str] = []
    previous = None
    for _, _, word in message_words(text):
        base, features = word_features(word)
        out.extend(features)
        if previous is not None:
            out.append(f"b:{previous} {base}")
        previous = base
    return out


@lru_cache(maxsize=1)
def _hasher() -> FeatureHasher:
    return FeatureHasher(n_features=2**N_BITS, input_type="string", alternate_sign=False)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _word_columns(word: str) -> tuple[str, np.ndarray, np.ndarray]:
    """(lemma, columns, counts) of one word's features, hashed once per distinct word."""
    base, features = word_features(word)
    row = _hasher().transform([list(features)])
    return base, row.indices, row.data


def identity_neutral(text: str) -> str:
    """Given names as one placeholder and the speaker's gendered forms folded, as the other
    learned models read text (``scoring.text.names``/``gender``): who is talking must not
    move the score. Only the features see this; explanations point into the original."""
    return fold_gender_ru(replace_names(text or "").lower())


_LAST_BATCH: dict[tuple[str, ...], sp.csr_matrix] = {}


def count_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """Hashed feature counts, one row per message (``message_features`` of the identity-
    neutral text; each word's columns come from a per-word memo, so only lemma pairs are
    hashed per message). The last batch is kept: ``toxicity_ru`` and ``rudeness_ru`` read
    the same Russian replies one after the other in the pipeline, and share these counts
    (callers never modify the matrix)."""
    key = tuple(texts)
    found = _LAST_BATCH.get(key)
    if found is None:
        found = _count_matrix(texts)
        _LAST_BATCH.clear()
        _LAST_BATCH[key] = found
    return found


def _count_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    shape = (len(texts), 2**N_BITS)
    if not len(texts):
        return sp.csr_matrix(shape, dtype=np.float64)
    columns: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    rows: list[int] = []
    pairs: list[list[str]] = []
    for n, text in enumerate(texts):
        previous, bigrams = None, []
        for word in WORD.findall(identity_neutral(text)):  # words only: no match objects
            base, cols, data = _word_columns(word)
            columns.append(cols)
            counts.append(data)
            rows.append(n)
            if previous is not None:
                bigrams.append(f"b:{previous} {base}")
            previous = base
        pairs.append(bigrams)
    if columns:
        sizes = [len(c) for c in columns]
        words = sp.csr_matrix(
            (np.concatenate(counts), (np.repeat(rows, sizes), np.concatenate(columns))), shape
        )
    else:
        words = sp.csr_matrix(shape, dtype=np.float64)
    matrix = (words + _hasher().transform(pairs)).tocsr()
    matrix.sum_duplicates()
    return matrix


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF-IDF, rows l2-normalised (training and scoring share this)."""
    x = counts.astype(np.float32)
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms).astype(np.float32) @ x


class RudenessModelRu:
    """P(rude) for Russian messages, with the words that raised it."""

    def __init__(self, coef: np.ndarray, intercept: float, idf: np.ndarray, threshold: float):
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.threshold = float(threshold)

    @classmethod
    def load(cls, name: str = MODEL_NAME) -> RudenessModelRu | None:
        """The shipped model ``name`` (``toxicity_ru`` shares these features), or None when
        its files are absent (rules still work)."""
        from scoring.models import load_model

        try:
            arrays, meta = load_model(name)
        except FileNotFoundError:
            return None
        threshold = meta.get("threshold", 0.5)
        return cls(arrays["coef"], float(arrays["intercept"]), arrays["idf"], threshold)

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            "coef": self.coef.astype(np.float16),
            "intercept": np.float32(self.intercept),
            "idf": self.idf.astype(np.float16),
        }

    def _matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        return tfidf(count_matrix(texts), self.idf)

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Logit of rude per message."""
        if not len(texts):
            return np.zeros(0)
        return np.asarray(self._matrix(texts) @ self.coef, dtype=np.float64) + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.decision_function(texts), -30, 30)))

    def top_words(
        self, text: str, top: int = 3, minimum: float = 0.5, share: float = 0.25
    ) -> list[tuple[int, int, str, float]]:
        """(start, end, word, contribution) of the words that raised the logit most: each
        word's contribution is its own features' TF-IDF values times their weights (a name
        or a gendered form, which the model never sees as written, adds nothing). Only
        words adding at least ``minimum`` and ``share`` of the strongest word are shown, so
        «ты» beside «дебил» is not offered as the reason."""
        row = self._matrix([text])
        weighted = row.data * self.coef[row.indices]
        values = dict(zip(row.indices.tolist(), weighted.tolist(), strict=True))
        scored = []
        for start, end, word in message_words(text):
            columns = set(_word_columns(word)[1].tolist())
            weight = sum(values.get(c, 0.0) for c in columns)
            if weight >= minimum:
                scored.append((weight, start, end, word))
        scored.sort(reverse=True)
        strongest = scored[0][0] if scored else 0.0
        return [(s, e, w, c) for c, s, e, w in scored[:top] if c >= share * strongest]
