"""Checks shared by the YAML catalogues in ``rubrics/`` (coaching topics, mystery scenarios).

Trainers and QA leads edit these files by hand, like rubrics, so they get the rubric
checker's treatment: every problem at once, each with its YAML path and the same wording
(``is required``, ``unknown key (did you mean 'x'?)``, ``must be non-empty text (ru)``), so
``qa-studio rubric check rubrics/*.yaml`` reads the same for every kind of file.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from scoring.rubric.files import read_yaml
from scoring.rubric.model import LANGUAGES, LocalText
from scoring.rubric.schema import SLUG_HINT, SLUG_RE, RubricProblem, join_path

#: One problem in any file under ``rubrics/``: YAML path ('' for the whole file) and message.
Problem = RubricProblem

RUBRICS_DIR = Path(__file__).resolve().parents[2] / "rubrics"

__all__ = [
    "RUBRICS_DIR",
    "CatalogueError",
    "DocumentChecker",
    "Problem",
    "did_you_mean",
    "join_path",
    "local_text",
    "read_document",
    "read_source",
    "type_name",
]


class CatalogueError(ValueError):
    """A catalogue that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (+{len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"invalid {what}: {shown}{more}")


def type_name(value: Any) -> str:
    """How a YAML value reads to the person who typed it ("a list", not "list")."""
    if value is None:
        return "nothing (null)"
    names = {bool: "true/false", str: "text", int: "a whole number", float: "a number"}
    names |= {list: "a list", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)


def did_you_mean(value: Any, options: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or '' when nothing is close."""
    hint = difflib.get_close_matches(str(value), list(options), n=1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def local_text(data: Mapping) -> LocalText:
    """A validated bilingual mapping as the rubric's ``LocalText``."""
    return LocalText(en=data["en"].strip(), ru=data["ru"].strip())


def read_source(source: str | Path, default: Path) -> str:
    """YAML text from a path, from text, or (``source`` empty) from the shipped file."""
    if not source:
        source = default
    if isinstance(source, Path) or (
        "\n" not in source and source.endswith((".yaml", ".yml")) and Path(source).is_file()
    ):
        return Path(source).read_text(encoding="utf-8-sig")
    return source


def read_document(text: str) -> tuple[Any, list[Problem]]:
    """Parse YAML (duplicate keys refused); a syntax error is one problem with line/column."""
    return read_yaml(text)


class DocumentChecker:
    """Collects problems while a validator walks a parsed document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def mapping(self, value: Any, path: str, keys: Mapping[str, bool]) -> bool:
        """Require a mapping; report missing required keys and unknown (mistyped) keys."""
        if not isinstance(value, Mapping):
            self.add(path, f"must be a mapping, got {type_name(value)}")
            return False
        for key, required in keys.items():
            if required and key not in value:
                self.add(join_path(path, key), "is required")
        for key in value:
            if key not in keys:
                self.add(join_path(path, str(key)), f"unknown key{did_you_mean(key, keys)}")
        return True

    def text(self, value: Any, path: str) -> bool:
        """Bilingual text: both ``en`` and ``ru`` non-empty; True when usable."""
        if not self.mapping(value, path, dict.fromkeys(LANGUAGES, True)):
            return False
        ok = all(lang in value for lang in LANGUAGES) and len(value) == len(LANGUAGES)
        for lang in LANGUAGES:
            if lang in value and (not isinstance(value[lang], str) or not value[lang].strip()):
                self.add(join_path(path, lang), f"must be non-empty text ({lang})")
                ok = False
        return ok

    def slug(self, value: Any, path: str) -> bool:
        if isinstance(value, str) and SLUG_RE.match(value):
            return True
        self.add(path, SLUG_HINT)
        return False

    def items(self, value: Any, path: str, what: str) -> list:
        """A non-empty list; returns it (or [] after reporting the problem)."""
        if isinstance(value, list) and value:
            return value
        self.add(path, f"must be a non-empty list of {what}")
        return []

    def choice(self, value: Any, path: str, allowed: Collection[str], what: str) -> bool:
        if isinstance(value, str) and value in allowed:
            return True
        self.add(
            path,
            f"unknown {what} '{value}'{did_you_mean(value, allowed)}; known: {', '.join(allowed)}",
        )
        return False

    def unique(self, value: Any, path: str, seen: dict[str, str], what: str) -> None:
        """Report a repeated id; ``seen`` maps each id to the path where it first appeared."""
        if not isinstance(value, str):
            return
        if value in seen:
            self.add(path, f"duplicate {what} '{value}' (first at {seen[value]})")
        else:
            seen[value] = path

    def whole_number(self, value: Any, path: str, minimum: int) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(path, f"must be a whole number, got {type_name(value)}")
            return False
        if value < minimum:
            self.add(path, f"must be >= {minimum}")
            return False
        return True

    def kind(self, data: Mapping, expected: str) -> None:
        """The ``kind`` marker that tells ``rubric check`` which schema a file follows."""
        if "kind" in data and data["kind"] != expected:
            self.add("kind", f"must be '{expected}', got '{data['kind']}'")
