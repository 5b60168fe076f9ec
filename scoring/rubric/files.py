"""Rubrics: versioned YAML documents parsed into frozen dataclasses.

A rubric is data an admin edits (in YAML or in the app); every edit is stored elsewhere as a
new version. This module only parses, validates (see :mod:`scoring.rubric_schema`) and
serialises back, so ``load_rubric(dump_rubric(r)) == r``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from scoring.rubric.conditions import condition_to_yaml, parse_condition
from scoring.rubric.model import (
    AUTO_SIGNALS,
    BUILTIN_SCALES,
    CRITICAL_SCOPES,
    LANGUAGES,
    Category,
    Criterion,
    Level,
    LocalText,
    Rubric,
    RubricSettings,
    Scale,
)
from scoring.rubric.schema import RubricProblem, resolve_critical, validate_rubric

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
        applies_when=_condition(data),
    )


def _condition(data: Mapping):
    found = data.get("applies_when")
    return None if found is None else parse_condition(found)


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
            applies_when=_condition(c),
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


class _FastStrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same rules on libyaml's parser when PyYAML has it: a rubric parses in a tenth of
    the time, which every page's first load pays. Its error texts differ from the pure
    parser's, so text it refuses is parsed again by ``_StrictLoader`` for the message."""


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


for _loader in (_StrictLoader, _FastStrictLoader):
    _loader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
    )


def read_yaml(text: str) -> tuple[Any, list[RubricProblem]]:
    """Parse YAML text; a syntax error becomes one problem with its line and column."""
    try:
        return yaml.load(text, Loader=_FastStrictLoader), []  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        pass
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
    if criterion.applies_when is not None:
        out["applies_when"] = condition_to_yaml(criterion.applies_when)
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
        if category.applies_when is not None:
            item["applies_when"] = condition_to_yaml(category.applies_when)
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
