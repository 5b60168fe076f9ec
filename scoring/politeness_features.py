"""Message analysis shared by training and scoring of the politeness model.

One pass per message yields the strategy detections (language-independent features) and
hashed word uni/bigrams (English lexical features). Support agents reuse macros, so the
analysis is memoised per text: a repeated template costs one dictionary lookup.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from scoring.politeness_lexicon import Detection, split_words
from scoring.politeness_strategies import STRATEGIES, detect_strategies

STRATEGY_INDEX = {name: i for i, name in enumerate(STRATEGIES)}
NGRAM_BITS = 18


class MessageAnalysis(NamedTuple):
    """Strategies kept, courtesy cancelled by negation, and hashed n-grams with spans."""

    detections: tuple[Detection, ...]
    negated: tuple[Detection, ...]
    ngram_columns: np.ndarray  # int32, unique hashed columns
    ngram_values: np.ndarray  # float32, 1 + log(count), l2-normalised
    ngram_spans: tuple[tuple[int, int, int, str], ...]  # (column, start, end, gram)


def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) & ((1 << NGRAM_BITS) - 1)


@lru_cache(maxsize=20_000)
def analyse_message(text: str) -> MessageAnalysis:
    """Strategies and n-grams of one message (memoised: templates repeat in support)."""
    kept, negated = detect_strategies(text)
    words, _ = split_words(text)
    spans = [(_hash(w.lower), w.start, w.end, w.lower) for w in words]
    spans += [
        (_hash(f"{a.lower} {b.lower}"), a.start, b.end, f"{a.lower} {b.lower}")
        for a, b in zip(words, words[1:], strict=False)
    ]
    counts: dict[int, int] = {}
    for col, *_ in spans:
        counts[col] = counts.get(col, 0) + 1
    columns = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
    values = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    norm = float(np.sqrt((values**2).sum())) or 1.0
    return MessageAnalysis(tuple(kept), tuple(negated), columns, values / norm, tuple(spans))


def strategy_matrix(analyses: Sequence[MessageAnalysis]) -> np.ndarray:
    """Binary presence of each strategy (rows: messages, columns: ``STRATEGIES``)."""
    out = np.zeros((len(analyses), len(STRATEGIES)), dtype=np.float32)
    for row, analysis in enumerate(analyses):
        for det in analysis.detections:
            out[row, STRATEGY_INDEX[det.strategy]] = 1.0
    return out


def ngram_matrix(analyses: Sequence[MessageAnalysis]) -> sp.csr_matrix:
    """Hashed, l2-normalised word uni/bigram matrix, for training."""
    indptr = np.zeros(len(analyses) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(a.ngram_columns) for a in analyses])
    if not analyses:
        return sp.csr_matrix((0, 1 << NGRAM_BITS), dtype=np.float32)
    indices = np.concatenate([a.ngram_columns for a in analyses])
    data = np.concatenate([a.ngram_values for a in analyses]).astype(np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(analyses), 1 << NGRAM_BITS))
