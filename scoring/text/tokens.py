"""Tokens with character offsets, so every piece of evidence can point into the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Order matters: URLs and emails first, then emoticons, words (with inner hyphen or
# apostrophe), numbers, emoji, runs of punctuation.
_TOKEN_RE = re.compile(
    r"""
    (?P<url>https?://\S+|www\.\S+)
  | (?P<email>[\w.+-]+@[\w-]+\.[\w.-]+)
  | (?P<emoticon>[:;=]-?[()DPp/\\|]+|\)\)+|\(\(+)
  | (?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)
  | (?P<number>\d+(?:[.,:]\d+)*)
  | (?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF])
  | (?P<punct>[!?.]+|[^\w\s])
    """,
    re.VERBOSE | re.UNICODE,
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # url, email, emoticon, word, number, emoji, punct

    @property
    def lower(self) -> str:
        return self.text.lower().replace("ё", "е").replace("’", "'")


def tokenize(text: str) -> list[Token]:
    """Split text into tokens that keep their character offsets."""
    return [
        Token(m.group(), m.start(), m.end(), m.lastgroup or "punct")
        for m in _TOKEN_RE.finditer(text or "")
    ]


@lru_cache(maxsize=2)
def _snowball(lang: str):
    """Snowball stemmer, imported on first use: importing nltk costs ~1 s and ~150 MB, which
    every process that only tokenises or detects language should not pay."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("russian" if lang == "ru" else "english")


# Word forms remembered by ``lemma`` and ``stem`` (each): about 250 bytes an entry, so the
# two hold at most ~25 MB per process; 200,000 each could grow to ~100 MB per scoring
# worker on a real corpus's vocabulary. Support text is Zipfian: the 50,000 most recent
# forms are nearly all of the look-ups.
WORD_CACHE_SIZE = 50_000


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=WORD_CACHE_SIZE)
def lemma(word: str, lang: str) -> str:
    """Dictionary form for Russian (pymorphy3), Snowball stem for English; cached."""
    word = word.lower().replace("ё", "е")
    if lang == "ru":
        parses = _morph().parse(word)
        return parses[0].normal_form.replace("ё", "е") if parses else word
    return _snowball("en").stem(word)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def stem(word: str, lang: str) -> str:
    """Snowball stem in either language: cheaper than a lemma, for features."""
    word = word.lower().replace("ё", "е")
    return _snowball(lang).stem(word)
