"""Hashed word + character n-gram TF-IDF features and a linear model stored as plain arrays.

Hashing keeps the shipped model free of a vocabulary (smaller, no pickles) and handles
unseen Russian word forms through character n-grams. The same code runs at training and at
scoring time, so the two can never drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import is_

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from scoring.text.gender import fold_gender_en, fold_gender_ru
from scoring.text.names import replace_names

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d+")
_WORD_PATTERN = (
    r"(?u)[^\W\d_]+(?:['’-][^\W\d_]+)*|[\U0001F000-\U0001FAFF\u2600-\u27BF]"
    r"|[:;=]-?[()DPp]|\)\)+|\(\(+|!+|\?+"
)
_TOKEN = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile("[а-я]")
WORD_CACHE_SIZE = 50_000  # distinct words remembered by ``HashedTfidf.word_features``
REMEMBERED_ROWS = 20_000
# Per sub-word analyser: the texts last hashed, at which bits, and their counts.
_LAST_COUNTS: dict[str, tuple[list[str], tuple[int, int], sp.csr_matrix]] = {}


def normalise_text(text: str) -> str:
    """Lower-case, fold ё, replace URLs, @mentions and digits by placeholders, and fold the
    speaker's grammatical gender in Russian ("проверила" -> "проверил") and read given names
    as one placeholder, so no model reads who is talking (``scoring.text.gender``/``names``)."""
    text = _URL.sub(" url ", text or "")
    text = replace_names(_MENTION.sub(" @user ", text))  # who is talking is not a feature
    lowered = _DIGITS.sub("0", text).lower().replace("ё", "е")
    return fold_gender_ru(lowered) if _CYRILLIC.search(lowered) else fold_gender_en(lowered)


def word_prefixes(doc: str) -> list[str]:
    """4- and 6-letter prefixes of longer words: a cheap stand-in for Russian stems."""
    words = [w for w in _TOKEN.findall(doc) if len(w) > 4]
    return [w[:4] + "~" for w in words] + [w[:6] + "~" for w in words if len(w) > 6]


class HashedTfidf:
    """Sublinear TF-IDF over hashed word 1-2-grams plus a sub-word block, l2-normalised.

    ``subwords`` is "prefix" (word prefixes: fast, the default) or "char_wb" (character
    3-5-grams: a little more accurate on unseen forms, but slower than VADER on its own).
    """

    def __init__(self, word_bits: int = 18, char_bits: int = 18, subwords: str = "prefix"):
        self.word_bits = word_bits
        self.char_bits = char_bits
        self.subwords = subwords

    def _vectorisers(self) -> tuple[HashingVectorizer, HashingVectorizer]:
        common = {"alternate_sign": False, "norm": None, "preprocessor": str}
        words = HashingVectorizer(
            n_features=2**self.word_bits,
            analyzer="word",
            ngram_range=(1, 2),
            token_pattern=_WORD_PATTERN,
            **common,
        )
        if self.subwords == "char_wb":
            sub = HashingVectorizer(
                n_features=2**self.char_bits, analyzer="char_wb", ngram_range=(3, 5), **common
            )
        else:
            sub = HashingVectorizer(n_features=2**self.char_bits, analyzer=word_prefixes, **common)
        return words, sub

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Raw hashed counts, word block then sub-word block.

        The sentiment and emotion models read the same customer texts with the same
        analysers at 18 and 17 bits: the last texts hashed are remembered, and a request
        for the same texts (the same string objects) at fewer bits folds those counts
        instead of hashing again (``fold_counts``)."""
        last = _LAST_COUNTS.get(self.subwords)
        if last is not None and self._fits(last[0], texts, last[1]):
            return fold_counts(last[2], last[1], (self.word_bits, self.char_bits))
        words, sub = self._vectorisers()
        normalised = [normalise_text(t) for t in texts]
        counts = sp.hstack([words.transform(normalised), sub.transform(normalised)], format="csr")
        if len(texts) <= REMEMBERED_ROWS:  # a scoring batch, not a training set
            _LAST_COUNTS[self.subwords] = (list(texts), (self.word_bits, self.char_bits), counts)
        return counts

    def _fits(self, hashed: list[str], texts: Sequence[str], bits: tuple[int, int]) -> bool:
        """Whether counts of ``hashed`` at ``bits`` give this one's counts of ``texts``."""
        return (
            self.word_bits <= bits[0]
            and self.char_bits <= bits[1]
            and len(hashed) == len(texts)
            and all(map(is_, hashed, texts))
        )

    def fit(self, texts: Sequence[str]) -> HashedTfidf:
        counts = self.counts(texts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        x = self.counts(texts).astype(np.float32)
        x.data = 1.0 + np.log(x.data)
        x = x.multiply(self.idf_).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.diags(1.0 / norms) @ x

    def word_feature(self, token: str) -> int:
        """Column of one word unigram, used to explain a model's decision."""
        return self.word_features([token])[0]

    def word_features(self, tokens: Sequence[str]) -> list[int]:
        """Columns of many words (-1 where a word has none), memoised per word.

        Explanations look up every word of every message; hashing the unseen ones in one
        vectoriser call and remembering them makes that a dictionary look-up. The cache is
        bounded (cleared when full) so a long run cannot grow it without limit.
        """
        cache = self.__dict__.setdefault("_word_columns", {})
        missing = list(dict.fromkeys(t for t in tokens if t not in cache))
        if missing:
            if len(cache) + len(missing) > WORD_CACHE_SIZE:
                cache.clear()
            rows = self._vectorisers()[0].transform([normalise_text(t) for t in missing])
            starts, indices = rows.indptr, rows.indices
            for i, token in enumerate(missing):
                cache[token] = int(indices[starts[i]]) if starts[i + 1] > starts[i] else -1
        return [cache[t] for t in tokens]


def fold_counts(
    counts: sp.csr_matrix, bits: tuple[int, int], fewer: tuple[int, int]
) -> sp.csr_matrix:
    """Hashed counts at ``bits`` (word, sub-word) re-laid at ``fewer`` bits.

    A column is the hash's absolute value modulo the width, and both widths are powers of
    two, so the narrower column is the wider one modulo the narrower width: folding and
    summing the counts gives exactly what hashing at ``fewer`` bits gives."""
    if tuple(bits) == tuple(fewer):
        return counts
    wide_words, words, subs = 1 << bits[0], 1 << fewer[0], 1 << fewer[1]
    sub = counts.indices >= wide_words
    columns = np.where(sub, (counts.indices - wide_words) % subs + words, counts.indices % words)
    folded = sp.csr_matrix(
        (counts.data.copy(), columns.astype(counts.indices.dtype), counts.indptr.copy()),
        shape=(counts.shape[0], words + subs),
    )
    folded.sum_duplicates()
    return folded


class LinearTextModel:
    """Linear classifier over ``HashedTfidf``: softmax (one label) or sigmoid (multi-label)."""

    def __init__(self, classes: Sequence[str], multilabel: bool = False) -> None:
        self.classes = tuple(classes)
        self.multilabel = multilabel

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        x = self.features_.transform(texts)
        return np.asarray(x @ self.coef_.T, dtype=np.float64) + self.intercept_

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        z = self.decision_function(texts)
        if self.multilabel:
            return 1.0 / (1.0 + np.exp(-z))
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        """Plain arrays for ``save_model``: float16 weights, small ones pruned to zero."""
        return {
            f"{prefix}coef": self.coef_.astype(np.float16),
            f"{prefix}intercept": self.intercept_.astype(np.float32),
            f"{prefix}idf": self.features_.idf_.astype(np.float16),
        }

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], meta: dict, prefix: str = ""
    ) -> LinearTextModel:
        model = cls(meta["classes"], bool(meta.get("multilabel", False)))
        model.features_ = HashedTfidf(
            meta["word_bits"], meta["char_bits"], meta.get("subwords", "char_wb")
        )
        model.features_.idf_ = arrays[f"{prefix}idf"].astype(np.float32)
        model.coef_ = arrays[f"{prefix}coef"].astype(np.float32)
        model.intercept_ = arrays[f"{prefix}intercept"].astype(np.float64)
        return model

    def meta(self) -> dict:
        return {
            "classes": list(self.classes),
            "multilabel": self.multilabel,
            "word_bits": self.features_.word_bits,
            "char_bits": self.features_.char_bits,
            "subwords": self.features_.subwords,
        }


def prune(coef: np.ndarray, keep: float = 0.25) -> np.ndarray:
    """Zero all but the largest ``keep`` share of weights per class (compresses well)."""
    out = np.array(coef, dtype=np.float32)
    for row in out:
        cutoff = np.quantile(np.abs(row), 1.0 - keep)
        row[np.abs(row) < cutoff] = 0.0
    return out
