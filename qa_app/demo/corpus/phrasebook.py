"""Phrase banks (YAML per language) and the slot filling that turns them into text.

Templates use three kinds of markup so Russian agrees in gender and case:
``{slot}`` is replaced by a conversation fact, ``[masc|fem]`` agrees with the speaker and
``<masc|fem>`` with the person addressed.
"""

from __future__ import annotations

import random
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

SPEAKER_FORM = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")
ADDRESSEE_FORM = re.compile(r"<([^<>|]*)\|([^<>|]*)>")
SLOT = re.compile(r"\{(\w+)\}")
LETTER = re.compile(r"[^\W\d_]")
CAPITAL = re.compile(r"[A-ZА-ЯЁ]")

RU_MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@lru_cache(maxsize=2)
def load_bank(language: str) -> dict[str, Any]:
    """The parsed phrase bank for ``ru`` or ``en`` (cached: read once per process)."""
    folder = resources.files("qa_app.demo.corpus").joinpath("phrases")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
    bank = yaml.load(folder.joinpath(f"{language}.yaml").read_text("utf-8"), Loader=loader)
    topics = folder.joinpath(f"{language}_topics.yaml").read_text("utf-8")
    bank["topics"] = yaml.load(topics, Loader=loader)
    return bank


class PhraseBook:
    """Random access to one language's phrase bank, driven by the caller's RNG."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.bank = load_bank(language)

    def options(self, *path: str) -> list[str]:
        node: Any = self.bank
        for key in path:
            node = node[key]
        return node

    def pick(self, rng: random.Random, *path: str) -> str:
        return rng.choice(self.options(*path))

    def sample(self, rng: random.Random, count: int, *path: str) -> list[str]:
        """Up to ``count`` different phrases, so one reply never repeats itself."""
        pool = self.options(*path)
        return rng.sample(pool, min(count, len(pool)))

    def cases(self, topic: str) -> list[str]:
        return list(self.bank["topics"][topic]["cases"])

    def topic_options(self, topic: str, case: str, kind: str, mood: str = "") -> list[str]:
        """Lines of one case of a topic, falling back to the topic's shared lines."""
        node = self.bank["topics"][topic]
        found = node["cases"][case].get(kind, node.get(kind))
        if isinstance(found, dict):
            found = found.get(mood) or found["calm"]
        return found


def render(template: str, slots: dict[str, str], speaker: str, addressee: str = "m") -> str:
    """Fill slots and pick gendered forms; unknown slots stay visible to catch bank typos."""
    text = SPEAKER_FORM.sub(lambda m: m.group(1) if speaker == "m" else m.group(2), template)
    text = ADDRESSEE_FORM.sub(lambda m: m.group(1) if addressee == "m" else m.group(2), text)
    return SLOT.sub(lambda m: str(slots.get(m.group(1), m.group(0))), text)


def spoken_date(day: date, language: str) -> str:
    """A date as people write it in messages: "12 марта" or "March 12"."""
    if language == "ru":
        return f"{day.day} {RU_MONTHS_GENITIVE[day.month - 1]}"
    return f"{EN_MONTHS[day.month - 1]} {day.day}"


def join_sentences(parts: list[str]) -> str:
    """Join reply parts with single spaces, dropping empty ones."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (SLA, API...)."""
    if text.startswith(("I ", "I'")):
        return text
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def calm_down_caps(text: str) -> str:
    """Phone transcripts carry no shouting in capitals: keep the words, drop the caps."""
    letters = len(LETTER.findall(text))
    if not letters or len(CAPITAL.findall(text)) / letters < 0.5:
        return text
    lowered = text.lower()
    return lowered[0].upper() + lowered[1:]


def misspell(text: str, rng: random.Random, rate: float) -> str:
    """Typos a hurried new hire makes: swapped, dropped or doubled letters in long words."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 5 or not word.isalpha() or rng.random() >= rate:
            continue
        k = rng.randrange(1, len(word) - 2)
        kind = rng.randrange(3)
        if kind == 0:
            word = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        elif kind == 1:
            word = word[:k] + word[k + 1 :]
        else:
            word = word[:k] + word[k] + word[k:]
        words[i] = word
    return " ".join(words)
