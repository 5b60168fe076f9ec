"""Phrase lexicons matched on word keys: lower-case forms for English, lemmas for Russian.

Politeness and empathy are carried by short formulas ("thank you for your patience",
"извините за доставленные неудобства"). Russian inflects them freely, so both the lexicon
and the message are reduced to lemmas before matching; English is matched on lower-case
forms (stemming would merge "please" and "pleased"). One index holds both languages: keys
of the two scripts never collide, so mixed-language messages are handled in one pass.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from scoring.lexicons import LEXICON_DIR
from scoring.text.tokens import lemma

# Whole-message memo size: a batch's agent texts (about 900 at the pipeline's default 256
# conversations) are analysed by politeness, then empathy reuses them; far more would only
# hold hundreds of megabytes of n-gram tuples per worker for texts seen long ago.
WHOLE_TEXT_CACHE = 2048


_PIECE_RE = re.compile(r"\w+(?:['-]\w+)*|[.!?\n]+|[^\w\s]")
_CYRILLIC_RE = re.compile(r"[а-яё]")
_SENTENCE_END = frozenset(".!?\n")
_GAP = "*"
_MAX_GAP = 3
NEGATORS = frozenset({"not", "no", "never", "without", "не", "нет", "ни", "без", "нисколько"})


class Word(NamedTuple):
    """A word of a message: surface text, offsets, match key and position flags."""

    text: str
    start: int
    end: int
    key: str
    lower: str
    sentence_start: bool
    clause: int
    sentence: int


class Detection(NamedTuple):
    """One strategy found in a message, with the character span that shows it."""

    strategy: str
    start: int
    end: int


_MISSING = object()


def dict_cache(limit: int):
    """Memoise a one-argument function in a plain dict, emptied when it reaches ``limit``.

    Unlike ``lru_cache(maxsize=...)``, which keeps a linked list node per entry, a dict of
    strings and numbers adds nothing for the garbage collector to traverse: with hundreds
    of thousands of cached words, full collections were half of the scoring time.
    ``.cache`` is the dict itself, for ``cache.get`` in hot loops.
    """

    def wrap(function):
        cache: dict = {}
        get = cache.get

        def cached(arg):
            value = get(arg, _MISSING)
            if value is _MISSING:
                if len(cache) >= limit:
                    cache.clear()
                value = cache[arg] = function(arg)
            return value

        cached.cache = cache
        cached.cache_clear = cache.clear
        cached.__wrapped__ = function
        cached.__doc__ = function.__doc__
        cached.__name__ = function.__name__
        return cached

    return wrap


@dict_cache(200_000)
def word_key(lower: str) -> str:
    """Matching key of one lower-cased word: its lemma if Cyrillic, else the word itself."""
    if _CYRILLIC_RE.search(lower):
        return lemma(lower, "ru")
    return lower


_KEY_OF = word_key.cache.get


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def split_words(text: str) -> tuple[tuple[Word, ...], frozenset[int]]:
    """Words with offsets, and the indices of sentences that end with a question mark.

    Punctuation is not kept as words: it only marks sentence starts and clause boundaries.
    Memoised: politeness, empathy and the upset-customer check all read the same words.
    """
    lowered = text.lower().replace("ё", "е").replace("’", "'")
    if len(lowered) != len(text):  # rare characters whose lower case is longer
        lowered = "".join(c.lower()[:1] for c in text).replace("ё", "е").replace("’", "'")
    words: list[Word] = []
    append, find, new = words.append, lowered.find, tuple.__new__
    questions: set[int] = set()
    sentence_start = True
    clause = sentence = pos = 0
    # findall + str.find is several times faster than building a Match object per piece;
    # tuple.__new__ skips the named tuple's Python-level constructor.
    for piece in _PIECE_RE.findall(lowered):
        start = find(piece, pos)
        pos = start + len(piece)
        first = piece[0]
        if first.isalnum() or first == "_":
            key = _KEY_OF(piece) or word_key(piece)
            fields = (text[start:pos], start, pos, key, piece, sentence_start, clause, sentence)
            append(new(Word, fields))
            sentence_start = False
            continue
        clause += 1
        if first in _SENTENCE_END:
            if "?" in piece:
                questions.add(sentence)
            if not sentence_start:
                sentence += 1
            sentence_start = True
    return tuple(words), frozenset(questions)


@dataclass(frozen=True, slots=True)
class _Entry:
    strategy: str
    keys: tuple[str, ...]
    at_sentence_start: bool


class PhraseLexicon:
    """An index of phrase entries by their first key; finds every (overlapping) match."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        index: dict[str, list[_Entry]] = defaultdict(list)
        for strategy, phrase in entries:
            at_start = phrase.startswith("^")
            tokens = phrase.lstrip("^").lower().replace("ё", "е").split()
            keys = tuple(t if t == _GAP else word_key(t) for t in tokens)
            if keys:
                index[keys[0]].append(_Entry(strategy, keys, at_start))
        self.index = dict(index)

    @classmethod
    def from_files(cls, *names: str) -> PhraseLexicon:
        """Read ``strategy<TAB>phrase`` lines from lexicon files (``#`` starts a comment)."""
        entries: list[tuple[str, str]] = []
        for name in names:
            for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    strategy, phrase = line.split("\t", 1)
                    entries.append((strategy.strip(), phrase.strip()))
        return cls(entries)

    def find(self, words: Sequence[Word]) -> list[Detection]:
        """All entries matching at any word; spans run from first to last matched word."""
        found: list[Detection] = []
        index, n = self.index, len(words)
        # Only about a third of the words begin an entry: pick them out in one comprehension.
        for i in [i for i, word in enumerate(words) if word[3] in index]:  # Word.key
            word = words[i]
            for entry in index[word[3]]:
                if entry.at_sentence_start and not word[5]:  # Word.sentence_start
                    continue
                keys = entry.keys
                if len(keys) == 1:
                    last = i
                elif i + 1 < n and keys[1] in (words[i + 1][3], _GAP):
                    last = _match_from(words, i, keys)
                    if last < 0:
                        continue
                else:
                    continue
                found.append(Detection(entry.strategy, word[1], words[last][2]))
        if len(found) > 1:
            found = _drop_nested(list(dict.fromkeys(found)))
        return found


def _drop_nested(found: list[Detection]) -> list[Detection]:
    """Keep the longest phrase of a strategy: "as I already said", not also "I already said"."""
    by_strategy: dict[str, list[Detection]] = {}
    for d in found:
        by_strategy.setdefault(d.strategy, []).append(d)
    if len(by_strategy) == len(found):
        return found
    return [
        d
        for d in found
        if len(same := by_strategy[d.strategy]) == 1
        or not any(o.start <= d.start and d.end <= o.end and o != d for o in same)
    ]


def _match_from(words: Sequence[Word], i: int, keys: tuple[str, ...]) -> int:
    """Index of the last word of a match of ``keys`` starting at word ``i``, or -1."""
    pos = i
    k = 0
    while k < len(keys):
        key = keys[k]
        if key == _GAP:
            nxt = keys[k + 1]
            for skip in range(_MAX_GAP + 1):
                j = pos + skip
                if j < len(words) and words[j].key == nxt:
                    pos = j
                    break
            else:
                return -1
            k += 1
            continue
        if pos >= len(words) or words[pos].key != key:
            return -1
        pos += 1
        k += 1
    return pos - 1


def is_negated(words: Sequence[Word], index: int, window: int = 3) -> bool:
    """Whether one of the few words before ``index`` (same clause) negates it."""
    clause = words[index].clause
    for j in range(index - 1, max(-1, index - 1 - window), -1):
        if words[j].clause != clause:
            break
        if _answer_particle(words[j], index - j):
            continue  # "No I'm sorry, ..." answers the customer; it negates nothing after it
        if words[j].lower in NEGATORS or words[j].lower.endswith("n't"):
            return True
    return False


def _answer_particle(word: Word, distance: int) -> bool:
    """A sentence-initial "no"/«нет» with a word between it and the phrase is the answer
    to the customer's question ("No I'm sorry there are none"), not a negation."""
    return word.sentence_start and word.lower in ("no", "нет") and distance >= 2
