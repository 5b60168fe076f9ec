"""Word-level facts behind clarity: syllables, reading ease, dictionaries for typos.

Reading ease is Flesch's (1948, "A new readability yardstick", J. Applied Psychology
32:221) for English, ``206.835 - 1.015*ASL - 84.6*ASW``, and Oborneva's Russian adaptation
(2006), ``206.835 - 1.3*ASL - 60.1*ASW`` (ASL: words per sentence, ASW: syllables per word).
Typos are words unknown to pymorphy3 (Russian) or to pyspellchecker's English frequency
list, plus our own support vocabulary (``lexicons/spelling_{ru,en}.txt``).
"""

from __future__ import annotations

import gzip
import json
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files

from scoring.lexicons import LEXICON_DIR
from scoring.text.tokens import _morph

FLESCH = {"en": (206.835, 1.015, 84.6), "ru": (206.835, 1.3, 60.1)}
_CYR = re.compile(r"[а-яё]")
_VOWELS = {"ru": re.compile(r"[аеёиоуыэюя]"), "en": re.compile(r"[aeiouy]+")}


def script(word: str) -> str:
    """``ru`` when a lower-case word has a Cyrillic letter, else ``en``."""
    return "ru" if _CYR.search(word) else "en"


@lru_cache(maxsize=50_000)
def word_shape(low: str) -> tuple[str, int]:
    """Script and syllable count of a lower-case word, cached: words repeat a lot."""
    word_script = script(low)
    return word_script, syllables(low, word_script)


def syllables(word: str, lang: str) -> int:
    """Vowel count (Russian) or vowel groups less a silent final e (English), at least 1."""
    if lang == "ru":
        return max(1, len(_VOWELS["ru"].findall(word)))
    count = len(_VOWELS["en"].findall(word))
    if count > 1 and word.endswith("e") and not word.endswith(("le", "ee")):
        count -= 1
    return max(1, count)


def flesch_reading_ease(words: int, sentences: int, syllable_count: int, lang: str) -> float:
    """Flesch (en) or Oborneva (ru) reading ease; higher is easier, roughly 0..100."""
    base, per_sentence, per_syllable = FLESCH.get(lang, FLESCH["en"])
    if words == 0:
        return 100.0
    return base - per_sentence * words / max(1, sentences) - per_syllable * syllable_count / words


def read_terms(name: str) -> tuple[set[str], set[str]]:
    """Terms and "!"-prefixed never-jargon entries of a glossary file."""
    terms, allowed = set(), set()
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip().lower().replace("ё", "е")
        if line and not line.startswith("#"):
            (allowed if line.startswith("!") else terms).add(line.lstrip("!"))
    return terms, allowed


class WordList:
    """A sorted word list kept as one string, membership by binary search.

    pyspellchecker's 160,000 English words take about 20 MB as a set of strings in every
    scoring worker, and about 2 MB this way. A look-up is some 17 slices (a few
    microseconds); ``is_known_word`` remembers its answers, so few reach this far."""

    def __init__(self, words: Iterable[str]) -> None:
        ordered = sorted({w for w in words if w and "\n" not in w})
        self._text = "\n".join(ordered) + "\n"
        starts, position = array("I"), 0
        for word in ordered:
            starts.append(position)
            position += len(word) + 1
        starts.append(position)
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, index: int) -> str:
        return self._text[self._starts[index] : self._starts[index + 1] - 1]

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        index = bisect_left(self, word)
        return index < len(self) and self[index] == word


@lru_cache(maxsize=1)
def english_vocabulary() -> WordList:
    """pyspellchecker's English frequency list plus our support vocabulary, loaded once."""
    resource = files("spellchecker").joinpath("resources/en.json.gz")
    with gzip.open(resource.open("rb"), "rt", encoding="utf-8") as handle:
        words = set(json.load(handle))
    words.update(read_terms("spelling_en.txt")[0])
    return WordList(words)


@lru_cache(maxsize=1)
def russian_allowlist() -> frozenset[str]:
    return frozenset(read_terms("spelling_ru.txt")[0])


@lru_cache(maxsize=50_000)
def is_known_word(word: str, lang: str) -> bool:
    """Dictionary check of one lower-case word; British -our/-ise spellings accepted."""
    if lang == "ru":
        return word in russian_allowlist() or _morph().word_is_known(word)
    vocab = english_vocabulary()
    if word in vocab or word.removesuffix("'s") in vocab:
        return True
    american = word.replace("our", "or").replace("ise", "ize").replace("yse", "yze")
    return american in vocab
