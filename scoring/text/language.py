"""Russian/English detection by script, good enough for support text and very fast.

Support messages are short and often mix scripts (product names, URLs), so we count
letters rather than trusting a model trained on long documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_CYRILLIC = re.compile(r"[А-Яа-яЁё]+")  # runs of letters: fewer, longer matches to count
_LATIN = re.compile(r"[A-Za-z]+")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")

SUPPORTED_LANGUAGES = ("ru", "en")


def _letters(pattern: re.Pattern, text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def detect_language(text: str, default: str = "en") -> str:
    """Return ``"ru"`` or ``"en"`` for one text by which script dominates its letters."""
    cleaned = text or ""
    if "@" in cleaned or "://" in cleaned or "www." in cleaned:  # else _URL cannot match
        cleaned = _URL.sub(" ", cleaned)
    cyr = _letters(_CYRILLIC, cleaned)
    lat = _letters(_LATIN, cleaned)
    if cyr == 0 and lat == 0:
        return default
    return "ru" if cyr >= lat * 0.5 else "en"


def detect_languages(texts: Sequence[str], langs: Sequence[str] | None = None) -> list[str]:
    """Resolve a per-text language list: explicit ``ru``/``en`` kept, ``auto``/None detected."""
    if langs is None:
        return [detect_language(t) for t in texts]
    if isinstance(langs, str):
        langs = [langs] * len(texts)
    out = []
    for text, lang in zip(texts, langs, strict=True):
        out.append(lang if lang in SUPPORTED_LANGUAGES else detect_language(text))
    return out


def dominant_language(texts: Iterable[str], default: str = "en") -> str:
    """Language of a whole conversation: letters counted over all its messages."""
    joined = " ".join(t for t in texts if t)
    return detect_language(joined, default=default)
