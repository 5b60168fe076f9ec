"""One catalogue of UI strings in Russian and English.

The catalogue is kept in one file per area (``strings/<area>.yaml``) so pages stay easy to
edit, and merged at load; a key defined twice, or missing one language, is an error that
tests catch.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "ru")
STRINGS_DIR = Path(__file__).resolve().parent / "strings"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All strings: ``{key: {"en": ..., "ru": ...}}``, merged from every area file."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS_DIR.glob("*.yaml")):
        # libyaml's safe loader when present: the pure-Python one takes seconds for the
        # whole catalogue, which every fresh process (a CLI export, a worker) would pay
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        for key, texts in entries.items():
            if key in merged:
                raise ValueError(f"{path.name}: key {key!r} is already defined in another file")
            merged[key] = texts
    return merged


def t(key: str, lang: str = "en", /, **params: Any) -> str:
    """The text for ``key`` in ``lang`` with ``{params}`` filled; the key itself if unknown."""
    texts = catalogue().get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts.get("en") or key
    return text.format(**params) if params else text


def t_or(key: str, lang: str, fallback: str) -> str:
    """The text for ``key``, or ``fallback`` (often a code such as a signal name) when the
    catalogue has no such key: data can name things the catalogue does not know yet."""
    return t(key, lang) if key in catalogue() else fallback


def problems() -> list[str]:
    """Keys lacking a language or with placeholders that differ between languages."""
    import string

    found = []
    for key, texts in catalogue().items():
        for lang in LANGUAGES:
            if not isinstance(texts, dict) or not texts.get(lang):
                found.append(f"{key}: missing {lang}")
        if isinstance(texts, dict) and all(texts.get(lang) for lang in LANGUAGES):
            fields = [
                {f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f}
                for lang in LANGUAGES
            ]
            if fields[0] != fields[1]:
                found.append(
                    f"{key}: placeholders differ {sorted(fields[0])} / {sorted(fields[1])}"
                )
    return found


_CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def _is_russian(text: str) -> bool:
    return any(ch in _CYRILLIC for ch in text.lower())


def in_language(text: str, lang: str) -> str:
    """The side of a bilingual name or title ("Olga Lead / Ольга Лидова") in ``lang``.

    The demo and admins may write a name once per language, separated by " / "; each
    screen shows only its own. Text that is not such a pair (one side Russian, the other
    not) comes back unchanged, so a real "A / B" title stays whole.
    """
    parts = [p.strip() for p in (text or "").split(" / ")]
    if len(parts) != 2 or not all(parts):
        return text
    russian = [_is_russian(p) for p in parts]
    if russian[0] == russian[1]:
        return text
    return parts[russian.index(lang == "ru")]
