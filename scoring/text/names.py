"""Given names of people, found in a message so the learned models and clarity can read any
of them as the same placeholder word.

A name is identity, not quality: "Priya, apologies!" and "Chris, apologies!" must score the
same, yet hashed n-gram models see different strings and the spell checker calls the rarer
name a typo. Russian names are recognised by pymorphy3's ``Name`` tag (any likely reading:
"Вера" is a name and a noun), English ones from ``lexicons/first_names_en.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

PLACEHOLDER = "name"
_CAPITALISED = re.compile(r"(?<![\w'])[A-ZА-ЯЁ][a-zа-яё]+(?![\w'])")
#: Lowest pymorphy3 probability of a reading that makes a capitalised word a name.
MIN_NAME_SCORE = 0.05


@lru_cache(maxsize=1)
def english_names() -> frozenset[str]:
    text = resources.files("scoring.lexicons").joinpath("first_names_en.txt").read_text("utf-8")
    return frozenset(
        w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


@lru_cache(maxsize=50_000)
def is_person_name(word: str) -> bool:
    """``word`` as written (capitalised) is a given name."""
    if not word[:1].isupper() or (len(word) > 1 and word.isupper()):
        return False
    if word.isascii():
        return word.lower() in english_names()
    from scoring.text.tokens import _morph

    return any("Name" in p.tag and p.score >= MIN_NAME_SCORE for p in _morph().parse(word)[:4])


def name_words(text: str) -> frozenset[str]:
    """Lower-case forms of the given names written in ``text``."""
    if not text:
        return frozenset()
    return frozenset(w.lower() for w in _CAPITALISED.findall(text) if is_person_name(w))


def replace_names(text: str) -> str:
    """``text`` with every given name replaced by ``PLACEHOLDER`` (for model features)."""
    return _CAPITALISED.sub(
        lambda m: PLACEHOLDER if is_person_name(m.group()) else m.group(), text or ""
    )
