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
from operator import is_

import numpy as np
import scipy.sparse as sp

from scoring.scorers.politeness_lexicon import WHOLE_TEXT_CACHE, Detection, dict_cache
from scoring.scorers.politeness_strategies import STRATEGIES, detect_strategies
from scoring.text.gender import EN_MASCULINE, fold_tokens
from scoring.text.names import PLACEHOLDER as NAME
from scoring.text.names import name_words

STRATEGY_INDEX = {name: i for i, name in enumerate(STRATEGIES)}
NGRAM_BITS = 18
_MASK = (1 << NGRAM_BITS) - 1
_TOKEN_RE = re.compile(r"\w+(?:['-]\w+)*|[^\w\s]")
_CHAR_RANGE = (2, 5)
_HAS_CYRILLIC = re.compile("[а-яА-ЯёЁ]").search


@dict_cache(500_000)
def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) & _MASK


def _char_columns(token: str) -> tuple[int, ...]:
    padded = f" {token} "
    low, high = _CHAR_RANGE
    return tuple(
        _hash(padded[i : i + n]) for n in range(low, high + 1) for i in range(len(padded) - n + 1)
    )


@dict_cache(200_000)
def _token_columns(token: str) -> tuple[int, tuple[int, ...]]:
    """A token's word column and its char n-gram columns (cached: words repeat)."""
    return _hash(token), _char_columns(token)


def _pair_column(first: str, second: str) -> int:
    return _hash(f"{first} {second}")


def unique_counts(columns: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct columns of one message and their sublinear counts (1 + log n)."""
    cols, counts = np.unique(np.asarray(columns, dtype=np.int32), return_counts=True)
    return cols, (1.0 + np.log(counts)).astype(np.float32)


def _lowered(text: str) -> str:
    lowered = text.lower().replace("ё", "е").replace("’", "'")
    if len(lowered) != len(text):  # rare characters whose lower case is longer
        lowered = "".join(c.lower()[:1] for c in text).replace("ё", "е").replace("’", "'")
    return lowered


def _tokens(text: str) -> list[tuple[str, int, int]]:
    lowered = _lowered(text)
    out, pos = [], 0
    for piece in _TOKEN_RE.findall(lowered):
        start = lowered.find(piece, pos)
        pos = start + len(piece)
        out.append((piece, start, pos))
    return out


_TOKEN_COLUMNS, _HASHED = _token_columns.cache, _hash.cache


def _identity_free(text: str, tokens: list[str]) -> list[str]:
    """Tokens as the models read them: given names as one placeholder, Russian feminine
    past/short forms as masculine (who is talking must not move a score)."""
    names = name_words(text)
    tokens = [NAME if t in names else t for t in tokens] if names else tokens
    if _HAS_CYRILLIC(text) is None:  # only the English titles can change (``fold_tokens``)
        return [EN_MASCULINE.get(t, t) for t in tokens]
    return fold_tokens(tokens)


class LexicalCounts:
    """Hashed n-gram counts of one message, shared by the politeness and empathy models.

    ``word_raw`` (word uni/bigram columns, one per occurrence) and ``char_raw`` (char
    2-5-gram columns) are computed at once from cached per-word columns; ``spans`` (word
    column, start, end, gram) only when an explanation asks for them.
    """

    __slots__ = ("text", "tokens", "word_raw", "char_raw", "_spans")

    def __init__(self, text: str) -> None:
        tokens = _TOKEN_RE.findall(_lowered(text))
        known, hashed = _TOKEN_COLUMNS.get, _HASHED.get
        # Features read the speaker-gender-folded word ("рада" -> "рад"); spans keep the text.
        folded = _identity_free(text, tokens)
        columns = [known(t) or _token_columns(t) for t in folded]
        pairs = [f"{a} {b}" for a, b in zip(folded, folded[1:], strict=False)]
        self.text = text
        self.tokens = tokens
        self.word_raw = (
            *[c[0] for c in columns], *[hashed(p) or _hash(p) for p in pairs]
        )  # fmt: skip
        self.char_raw = tuple(chain.from_iterable([c[1] for c in columns]))
        self._spans: tuple[tuple[int, int, int, str], ...] | None = None

    @property
    def spans(self) -> tuple[tuple[int, int, int, str], ...]:
        """(word column, start, end, gram) of every word and word pair, in text order."""
        if self._spans is None:
            tokens = _tokens(self.text)
            keys = _identity_free(self.text, [t for t, _, _ in tokens])
            spans = [(_hash(k), s, e, t) for k, (t, s, e) in zip(keys, tokens, strict=True)]
            spans += [
                (_pair_column(ka, kb), s, e, f"{a} {b}")
                for (ka, kb), ((a, s, _), (b, _, e)) in zip(
                    zip(keys, keys[1:], strict=False),
                    zip(tokens, tokens[1:], strict=False),
                    strict=True,
                )
            ]
            self._spans = tuple(spans)
        return self._spans

    def spans_of(self, columns) -> list[tuple[int, int, int, str]]:
        """Only the spans whose word column is in ``columns`` (cheaper than ``spans``)."""
        if self._spans is not None:
            return [span for span in self._spans if span[0] in columns]
        hits = [k for k, col in enumerate(self.word_raw) if col in columns]
        if not hits:
            return []
        tokens = self.tokens
        n = len(tokens)
        last = max(k if k < n else k - n + 1 for k in hits)  # pair k - n ends at k - n + 1
        lowered = _lowered(self.text)
        starts, pos, find = [], 0, lowered.find
        for token in tokens[: last + 1]:
            pos = find(token, pos)
            starts.append(pos)
            pos += len(token)
        out = []
        for k in hits:
            if k < n:
                out.append((self.word_raw[k], starts[k], starts[k] + len(tokens[k]), tokens[k]))
            else:
                j = k - n
                end = starts[j + 1] + len(tokens[j + 1])
                out.append((self.word_raw[k], starts[j], end, f"{tokens[j]} {tokens[j + 1]}"))
        return out

    def __iter__(self):  # unpacks like the former named tuple
        return iter((self.word_raw, self.char_raw, self.spans))


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def lexical_counts(text: str) -> LexicalCounts:
    """Word uni/bigram and char 2-5-gram counts with word spans (memoised per text)."""
    return LexicalCounts(text)


class MessageAnalysis:
    """Strategies kept, courtesy cancelled by negation, and (on first use) the hashed
    n-gram counts: messages scored on strategies alone never pay for the n-grams."""

    __slots__ = ("text", "detections", "negated", "_lexical")

    def __init__(self, text: str, detections, negated) -> None:
        self.text = text
        self.detections: tuple[Detection, ...] = detections
        self.negated: tuple[Detection, ...] = negated
        self._lexical: LexicalCounts | None = None

    @property
    def lexical(self) -> LexicalCounts:
        if self._lexical is None:
            self._lexical = lexical_counts(self.text)
        return self._lexical

    @property
    def word_raw(self) -> tuple[int, ...]:
        return self.lexical.word_raw

    @property
    def char_raw(self) -> tuple[int, ...]:
        return self.lexical.char_raw

    @property
    def spans(self) -> tuple[tuple[int, int, int, str], ...]:
        return self.lexical.spans


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def analyse_message(text: str) -> MessageAnalysis:
    """Strategies (and lazily n-grams) of one message (memoised: templates repeat)."""
    kept, negated = detect_strategies(text)
    return MessageAnalysis(text, kept, negated)


def strategy_matrix(analyses: Sequence[MessageAnalysis]) -> np.ndarray:
    """Binary presence of each strategy (rows: messages, columns: ``STRATEGIES``)."""
    out = np.zeros((len(analyses), len(STRATEGIES)), dtype=np.float32)
    for row, analysis in enumerate(analyses):
        for det in analysis.detections:
            out[row, STRATEGY_INDEX[det.strategy]] = 1.0
    return out


# The last matrix of each block and the rows it was built from: politeness and then empathy
# ask for the same English rows of a batch (the same memoised ``LexicalCounts``).
_LAST: dict[str, tuple[list, sp.csr_matrix]] = {}


def count_matrix(analyses: Sequence[MessageAnalysis | LexicalCounts], block: str) -> sp.csr_matrix:
    """Sublinear term counts of one block ("word" or "char") as a CSR matrix (read-only:
    the same object is returned when the same rows are asked for again).

    Duplicates are merged once for the whole batch (SciPy's per-row sort and sum in
    compiled code, a third faster than one ``np.unique`` over row-tagged columns), which is
    far cheaper than counting message by message.
    """
    raws = [getattr(a, f"{block}_raw") for a in analyses]
    last = _LAST.get(block)
    if last is not None and len(last[0]) == len(raws) and all(map(is_, last[0], raws)):
        return last[1]
    lengths = np.fromiter((len(r) for r in raws), dtype=np.int64, count=len(raws))
    width = 1 << NGRAM_BITS
    total = int(lengths.sum())
    if not total:
        return sp.csr_matrix((len(raws), width), dtype=np.float32)
    cols = np.fromiter(chain.from_iterable(raws), dtype=np.int32, count=total)
    indptr = np.zeros(len(raws) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    counts = sp.csr_matrix((np.ones(total), cols, indptr), shape=(len(raws), width))
    counts.sum_duplicates()  # sorted columns per row, their occurrences summed
    counts.data = (1.0 + np.log(counts.data)).astype(np.float32)
    _LAST[block] = (raws, counts)
    return counts


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
