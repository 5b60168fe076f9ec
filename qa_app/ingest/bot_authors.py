"""Which message authors are bots: an explicit, configurable list, applied by every import.

A help desk or a spreadsheet often marks a chatbot's replies as the agent's. The list in
``bot_authors.yaml`` (or the file named by ``QA_STUDIO_BOT_AUTHORS``) names the bots: exact
names (case-insensitive) and regular expressions. ``finish_conversation`` turns every agent
message by a listed author into role ``bot``, so the JSONL, CSV, column-mapping, help-desk
and REST imports all apply the same list; see ``docs/import-format.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

BOT_AUTHORS_ENV = "QA_STUDIO_BOT_AUTHORS"
DEFAULT_FILE = Path(__file__).with_name("bot_authors.yaml")
#: The author stored for a bot message that names none.
DEFAULT_BOT = "bot"


class BotAuthorsError(ValueError):
    """The bot-author file cannot be used; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class BotAuthors:
    names: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    def is_bot(self, author: str | None) -> bool:
        """True when ``author`` is on the list (whole name) or matches one of the patterns
        (remembered per author: an import sees the same few agents on every line)."""
        return bool(author) and _matches(self, author)


@lru_cache(maxsize=8192)
def _matches(bots: BotAuthors, author: str) -> bool:
    name = author.strip()
    if not name:
        return False
    return name.casefold() in bots.names or any(p.search(name) for p in bots.patterns)


def _strings(value: object, key: str, path: Path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BotAuthorsError(f"{path}: bot_authors.{key} must be a list of strings")
    return value


def parse_bot_authors(text: str, path: Path) -> BotAuthors:
    """The list from the YAML text of ``path`` (named in every error)."""
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise BotAuthorsError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    section = document.get("bot_authors") if isinstance(document, dict) else None
    if not isinstance(section, dict):
        raise BotAuthorsError(f"{path}: expected a 'bot_authors' section with names, patterns")
    names = frozenset(n.strip().casefold() for n in _strings(section.get("names"), "names", path))
    compiled = []
    for pattern in _strings(section.get("patterns"), "patterns", path):
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise BotAuthorsError(f"{path}: bad pattern {pattern!r}: {exc}") from None
    return BotAuthors(names, tuple(compiled))


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> BotAuthors:
    file = Path(path)
    return parse_bot_authors(file.read_text(encoding="utf-8"), file)


def bot_authors() -> BotAuthors:
    """The configured list (``QA_STUDIO_BOT_AUTHORS`` or the shipped default), read again
    only when the file changes."""
    path = Path(os.environ.get(BOT_AUTHORS_ENV) or DEFAULT_FILE)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise BotAuthorsError(
            f"{path}: the bot-author file ({BOT_AUTHORS_ENV}) cannot be read"
        ) from None
    return _load(str(path), mtime)
