"""Message analysis shared by training and scoring of the politeness model.

One pass per message yields the strategy detections (language-independent features),
hashed word uni/bigrams and hashed character 2-5-grams inside word boundaries (English
lexical features; punctuation such as "?" and "!" counts as a token). Character n-grams
of a word never change, so they are cached per word, and support agents reuse macros, so
the whole analysis is memoised per text: a repeated template costs one lookup.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from scoring.politeness_lexicon import WHOLE_TEXT_CACHE, Detection
from scoring.politeness_strategies import STRATEGIES, detect_strategies

STRATEGY_INDEX = {name: i for i, name in enumerate(STRATEGIES)}
NGRAM_BITS = 18
_MASK = (1 << NGRAM_BITS) - 1
_TOKEN_RE = re.compile(r"\w+(?:['-]\w+)*|[^\w\s]")
_CHAR_RANGE = (2, 5)


class MessageAnalysis(NamedTuple):
    """Strategies kept, courtesy cancelled by negation, and hashed n-gram counts."""

    detections: tuple[Detection, ...]
    negated: tuple[Detection, ...]
    word_raw: tuple[int, ...]  # hashed word uni/bigram columns, one per occurrence
    char_raw: tuple[int, ...]  # hashed char n-gram columns, one per occurrence
    spans: tuple[tuple[int, int, int, str], ...]  # (word column, start, end, gram)


@lru_cache(maxsize=500_000)
def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) & _MASK


@lru_cache(maxsize=100_000)
def _char_columns(token: str) -> tuple[int, ...]:
    padded = f" {token} "
    low, high = _CHAR_RANGE
    return tuple(
        _hash(padded[i : i + n]) for n in range(low, high + 1) for i in range(len(padded) - n + 1)
    )


def unique_counts(columns: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct columns of one message and their sublinear counts (1 + log n)."""
    cols, counts = np.unique(np.asarray(columns, dtype=np.int32), return_counts=True)
    return cols, (1.0 + np.log(counts)).astype(np.float32)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    lowered = text.lower().replace("ё", "е").replace("’", "'")
    if len(lowered) != len(text):
        lowered = "".join(c.lower()[:1] for c in text).replace("ё", "е").replace("’", "'")
    out, pos = [], 0
    for piece in _TOKEN_RE.findall(lowered):
        start = lowered.find(piece, pos)
        pos = start + len(piece)
        out.append((piece, start, pos))
    return out


class LexicalCounts(NamedTuple):
    """Hashed n-gram counts of one message, shared by the politeness and empathy models."""

    word_raw: tuple[int, ...]
    char_raw: tuple[int, ...]
    spans: tuple[tuple[int, int, int, str], ...]


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def lexical_counts(text: str) -> LexicalCounts:
    """Word uni/bigram and char 2-5-gram counts with word spans (memoised per text)."""
    tokens = _tokens(text)
    spans = [(_hash(t), s, e, t) for t, s, e in tokens]
    spans += [
        (_hash(f"{a} {b}"), s, e, f"{a} {b}")
        for (a, s, _), (b, _, e) in zip(tokens, tokens[1:], strict=False)
    ]
    chars = tuple(chain.from_iterable(_char_columns(t) for t, _, _ in tokens))
    return LexicalCounts(tuple(col for col, *_ in spans), chars, tuple(spans))


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def analyse_message(text: str) -> MessageAnalysis:
    """Strategies and n-grams of one message (memoised: templates repeat in support)."""
    kept, negated = detect_strategies(text)
    return MessageAnalysis(tuple(kept), tuple(negated), *lexical_counts(text))


def strategy_matrix(analyses: Sequence[MessageAnalysis]) -> np.ndarray:
    """Binary presence of each strategy (rows: messages, columns: ``STRATEGIES``)."""
    out = np.zeros((len(analyses), len(STRATEGIES)), dtype=np.float32)
    for row, analysis in enumerate(analyses):
        for det in analysis.detections:
            out[row, STRATEGY_INDEX[det.strategy]] = 1.0
    return out


def count_matrix(analyses: Sequence[MessageAnalysis | LexicalCounts], block: str) -> sp.csr_matrix:
    """Sublinear term counts of one block ("word" or "char") as a CSR matrix.

    Duplicates are merged once for the whole batch (one ``np.unique`` over row-tagged
    columns), which is far cheaper than counting message by message.
    """
    raws = [getattr(a, f"{block}_raw") for a in analyses]
    lengths = np.fromiter((len(r) for r in raws), dtype=np.int64, count=len(raws))
    width = 1 << NGRAM_BITS
    if not raws or not lengths.sum():
        return sp.csr_matrix((len(raws), width), dtype=np.float32)
    cols = np.fromiter(chain.from_iterable(raws), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(raws), dtype=np.int64), lengths)
    keys, counts = np.unique((rows << NGRAM_BITS) | cols, return_counts=True)
    key_rows = keys >> NGRAM_BITS
    indptr = np.searchsorted(key_rows, np.arange(len(raws) + 1))
    data = (1.0 + np.log(counts)).astype(np.float32)
    return sp.csr_matrix(
        ((data), (keys & _MASK).astype(np.int32), indptr), shape=(len(raws), width)
    )


def tfidf_matrix(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """TF-IDF rows, l2-normalised, from sublinear counts and an idf vector."""
    x = counts.copy()
    x.data = x.data * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def fit_idf(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf of each hashed column over the training rows only."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1 + counts.shape[0]) / (1 + df)) + 1).astype(np.float32)
