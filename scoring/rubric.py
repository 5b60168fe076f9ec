"""Rubrics: versioned YAML documents parsed into frozen dataclasses.

A rubric is data an admin edits (in YAML or in the app); every edit is stored elsewhere as a
new version. This module only parses, validates (see :mod:`scoring.rubric_schema`) and
serialises back, so ``load_rubric(dump_rubric(r)) == r``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scoring.rubric_schema import (
    AUTO_SIGNALS,
    BUILTIN_SCALES,
    CRITICAL_SCOPES,
    LANGUAGES,
    RubricProblem,
    resolve_critical,
    validate_rubric,
)

__all__ = [
    "AUTO_SIGNALS",
    "CRITICAL_SCOPES",
    "Category",
    "Criterion",
    "Level",
    "LocalText",
    "Rubric",
    "RubricError",
    "RubricProblem",
    "RubricSettings",
    "Scale",
    "check_rubric_text",
    "dump_rubric",
    "load_rubric",
    "parse_rubric",
    "rubric_to_dict",
    "validate_rubric",
]


class RubricError(ValueError):
    """A rubric that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[RubricProblem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (+{len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"invalid rubric: {shown}{more}")


@dataclass(frozen=True, slots=True)
class LocalText:
    """The same text in English and Russian: both languages are first-class."""

    en: str
    ru: str

    def get(self, lang: str) -> str:
        """Text in ``lang``; unknown languages fall back to English."""
        return self.ru if lang == "ru" else self.en


@dataclass(frozen=True, slots=True)
class Level:
    """One point of a scale with its label and what a reviewer should see to give it."""

    value: int | float
    label: LocalText
    descriptor: LocalText


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordered set of levels; scores are a level's position between min and max."""

    kind: str
    levels: tuple[Level, ...]

    @property
    def values(self) -> tuple[int | float, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def min_value(self) -> int | float:
        return self.levels[0].value

    @property
    def max_value(self) -> int | float:
        return self.levels[-1].value

    def level(self, value: float) -> Level:
        """The level with this value; KeyError when the value is not on the scale."""
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    def position(self, value: float) -> float:
        """0-100: where ``value`` sits between the lowest and the highest level."""
        return (value - self.min_value) / (self.max_value - self.min_value) * 100.0


@dataclass(frozen=True, slots=True)
class Criterion:
    """One thing a reviewer grades; ``critical`` is None, 'category' or 'conversation'."""

    id: str
    name: LocalText
    description: LocalText
    scale: Scale
    weight: float
    na_allowed: bool
    critical: str | None
    fail_below: float | None
    coaching_topic: str
    auto_signal: str | None = None

    def is_fail(self, value: float) -> bool:
        """A fail is a value below ``fail_below``, or else the lowest level of the scale."""
        if self.fail_below is not None:
            return value < self.fail_below
        return value == self.scale.min_value


@dataclass(frozen=True, slots=True)
class Category:
    """A weighted group of criteria (empathy, accuracy...)."""

    id: str
    name: LocalText
    description: LocalText | None
    weight: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class RubricSettings:
    """Rubric-wide options: the default critical scope and an optional passing score."""

    critical_default: str = "conversation"
    passing_score: float | None = None


@dataclass(frozen=True, slots=True)
class Rubric:
    """A complete, valid rubric version."""

    id: str
    version: int
    name: LocalText
    description: LocalText
    categories: tuple[Category, ...]
    settings: RubricSettings = RubricSettings()

    def criteria(self) -> Iterator[Criterion]:
        """Every criterion in rubric order."""
        for category in self.categories:
            yield from category.criteria

    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria())

    def criterion(self, criterion_id: str) -> Criterion:
        """Look a criterion up by id; KeyError names the rubric when it is unknown."""
        for criterion in self.criteria():
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(f"rubric {self.id} v{self.version} has no criterion '{criterion_id}'")

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(f"rubric {self.id} v{self.version} has no category '{category_id}'")

    def category_of(self, criterion_id: str) -> Category:
        """The category holding a criterion."""
        for category in self.categories:
            if any(c.id == criterion_id for c in category.criteria):
                return category
        raise KeyError(f"rubric {self.id} v{self.version} has no criterion '{criterion_id}'")

    def coaching_topics(self) -> tuple[str, ...]:
        """Distinct coaching topics in rubric order."""
        return tuple(dict.fromkeys(c.coaching_topic for c in self.criteria()))


# --- parsing -------------------------------------------------------------------------------


def _text(data: Mapping) -> LocalText:
    return LocalText(en=data["en"].strip(), ru=data["ru"].strip())


def _scale(data: Mapping) -> Scale:
    kind = data["type"]
    defaults = {v: LocalText(en, ru) for v, en, ru in BUILTIN_SCALES.get(kind, ())}
    levels = tuple(
        Level(
            value=level["value"],
            label=_text(level["label"]) if "label" in level else defaults[level["value"]],
            descriptor=_text(level["descriptor"]),
        )
        for level in data["levels"]
    )
    return Scale(kind=kind, levels=levels)


def _criterion(data: Mapping, default_scope: str) -> Criterion:
    return Criterion(
        id=data["id"],
        name=_text(data["name"]),
        description=_text(data["description"]),
        scale=_scale(data["scale"]),
        weight=data.get("weight", 1),
        na_allowed=data.get("na_allowed", False),
        critical=resolve_critical(data.get("critical", False), default_scope),
        fail_below=data.get("fail_below"),
        coaching_topic=data["coaching_topic"],
        auto_signal=data.get("auto_signal"),
    )


def parse_rubric(data: Any) -> Rubric:
    """Build a Rubric from a parsed document; RubricError lists every problem."""
    problems = validate_rubric(data)
    if problems:
        raise RubricError(problems)
    raw_settings = data.get("settings") or {}
    settings = RubricSettings(
        critical_default=raw_settings.get("critical_default", "conversation"),
        passing_score=raw_settings.get("passing_score"),
    )
    categories = tuple(
        Category(
            id=c["id"],
            name=_text(c["name"]),
            description=_text(c["description"]) if "description" in c else None,
            weight=c.get("weight", 1),
            criteria=tuple(_criterion(k, settings.critical_default) for k in c["criteria"]),
        )
        for c in data["categories"]
    )
    return Rubric(
        id=data["id"],
        version=data["version"],
        name=_text(data["name"]),
        description=_text(data["description"]),
        categories=categories,
        settings=settings,
    )


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, which PyYAML would silently overwrite."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def read_yaml(text: str) -> tuple[Any, list[RubricProblem]]:
    """Parse YAML text; a syntax error becomes one problem with its line and column."""
    try:
        return yaml.load(text, Loader=_StrictLoader), []  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [RubricProblem("", f"YAML syntax error at {where}{reason}")]


def check_rubric_text(text: str) -> tuple[Rubric | None, list[RubricProblem]]:
    """Parse and validate YAML text without raising: for editors and ``rubric check``."""
    data, problems = read_yaml(text)
    if problems:
        return None, problems
    problems = validate_rubric(data)
    if problems:
        return None, problems
    return parse_rubric(data), []


def load_rubric(source: str | Path) -> Rubric:
    """Load a rubric from a file path or from YAML text; RubricError on any problem."""
    if isinstance(source, Path) or (
        "\n" not in source and source.endswith((".yaml", ".yml")) and Path(source).is_file()
    ):
        source = Path(source).read_text(encoding="utf-8-sig")
    rubric, problems = check_rubric_text(source)
    if rubric is None:
        raise RubricError(problems)
    return rubric


# --- serialising ---------------------------------------------------------------------------


def _text_dict(text: LocalText) -> dict[str, str]:
    return {lang: text.get(lang) for lang in LANGUAGES}


def _scale_dict(scale: Scale) -> dict:
    defaults = {v: LocalText(en, ru) for v, en, ru in BUILTIN_SCALES.get(scale.kind, ())}
    levels = []
    for level in scale.levels:
        item: dict[str, Any] = {"value": level.value}
        if defaults.get(level.value) != level.label:
            item["label"] = _text_dict(level.label)
        item["descriptor"] = _text_dict(level.descriptor)
        levels.append(item)
    return {"type": scale.kind, "levels": levels}


def _criterion_dict(criterion: Criterion) -> dict:
    out: dict[str, Any] = {
        "id": criterion.id,
        "name": _text_dict(criterion.name),
        "description": _text_dict(criterion.description),
        "scale": _scale_dict(criterion.scale),
        "weight": criterion.weight,
        "na_allowed": criterion.na_allowed,
        "critical": criterion.critical or False,
    }
    if criterion.fail_below is not None:
        out["fail_below"] = criterion.fail_below
    out["coaching_topic"] = criterion.coaching_topic
    if criterion.auto_signal is not None:
        out["auto_signal"] = criterion.auto_signal
    return out


def rubric_to_dict(rubric: Rubric) -> dict:
    """Plain data in the YAML schema's shape: ``parse_rubric(rubric_to_dict(r)) == r``."""
    settings: dict[str, Any] = {"critical_default": rubric.settings.critical_default}
    if rubric.settings.passing_score is not None:
        settings["passing_score"] = rubric.settings.passing_score
    categories = []
    for category in rubric.categories:
        item: dict[str, Any] = {"id": category.id, "name": _text_dict(category.name)}
        if category.description is not None:
            item["description"] = _text_dict(category.description)
        item["weight"] = category.weight
        item["criteria"] = [_criterion_dict(c) for c in category.criteria]
        categories.append(item)
    return {
        "id": rubric.id,
        "version": rubric.version,
        "name": _text_dict(rubric.name),
        "description": _text_dict(rubric.description),
        "settings": settings,
        "categories": categories,
    }


def dump_rubric(rubric: Rubric) -> str:
    """YAML text of a rubric (UTF-8, Cyrillic kept readable, key order preserved)."""
    return yaml.safe_dump(rubric_to_dict(rubric), allow_unicode=True, sort_keys=False, width=96)
