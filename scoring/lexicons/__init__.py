"""Hand-written lexicons (sentiment, modifiers, toxicity, emotions) and their loaders.

The files are plain text/JSON so reviewers can read and correct them. Russian entries are
matched by lemma (pymorphy3), English ones by lower-cased word; multi-word entries become
tuples of keys so phrases such as "не работает" or "thanks for nothing" win over words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring.text import lemma
from scoring.text.tokens import stem

LEXICON_DIR = Path(__file__).resolve().parent


def word_key(word: str, lang: str) -> str:
    """The key a word is looked up by: a lemma in Russian, the lower-cased word in English."""
    low = word.lower().replace("ё", "е").replace("’", "'")
    return lemma(low, "ru") if lang == "ru" else low


def _read_tsv(name: str) -> list[tuple[str, float]]:
    rows = []
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entry, weight = line.rsplit("\t", 1)
        rows.append((entry.strip(), float(weight)))
    return rows


@dataclass(frozen=True)
class PolarityLexicon:
    """Word and phrase weights for one language, plus stem fallbacks for unseen forms."""

    lang: str
    words: dict[str, float]
    phrases: dict[tuple[str, ...], float]
    stems: dict[str, float]
    max_phrase: int
    phrase_starts: frozenset[str] = frozenset()


def _vader_words() -> dict[str, float]:
    import vaderSentiment

    path = Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            words[parts[0].lower()] = float(parts[1])
    return words


@lru_cache(maxsize=2)
def polarity_lexicon(lang: str) -> PolarityLexicon:
    """Load the sentiment lexicon of ``lang`` (cached; English starts from VADER's)."""
    words: dict[str, float] = _vader_words() if lang == "en" else {}
    phrases: dict[tuple[str, ...], float] = {}
    own_entries: set[str] = set()  # keys written as themselves ("хороший", not "лучший")
    for entry, weight in _read_tsv(f"sentiment_{lang}.tsv"):
        keys = tuple(word_key(w, lang) for w in entry.split())
        if len(keys) > 1:
            phrases[keys] = weight
            continue
        # Several forms can share a lemma ("лучший" -> "хороший"): the entry written as the
        # lemma itself keeps its weight; otherwise the first form listed sets it.
        key, surface = keys[0], entry.lower().replace("ё", "е")
        if key in own_entries:
            continue
        if surface == key:
            own_entries.add(key)
            words[key] = weight
        elif key not in words or lang == "en":
            words[key] = weight
    stems = {}
    if lang == "ru":
        for key, weight in words.items():
            s = stem(key, "ru")
            if len(s) >= 4:
                stems.setdefault(s, weight)
    max_phrase = max((len(k) for k in phrases), default=1)
    starts = frozenset(k[0] for k in phrases)
    return PolarityLexicon(lang, words, phrases, stems, max_phrase, starts)


@lru_cache(maxsize=1)
def symbol_weights() -> dict[str, float]:
    """Emoji and emoticon weights shared by both languages."""
    return dict(_read_tsv("sentiment_symbols.tsv"))


@lru_cache(maxsize=1)
def modifiers() -> dict:
    """Negators, boosters, contrast words, repeat markers and sarcastic openers per language."""
    return json.loads((LEXICON_DIR / "modifiers.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def toxicity_lexicon() -> dict:
    """Profanity roots (regular expressions), insults and threats per language."""
    return json.loads((LEXICON_DIR / "toxicity.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def emotion_lexicon() -> dict:
    """Cue words and phrases per emotion and language."""
    return json.loads((LEXICON_DIR / "emotions.json").read_text(encoding="utf-8"))
