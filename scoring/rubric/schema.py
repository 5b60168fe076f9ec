"""The rubric schema: checks a parsed YAML document and names every problem precisely.

Admins edit rubrics by hand and in the app, so a bad rubric must come back as a list of
problems, each with the YAML path (``categories[2].criteria[0].weight``) and a short
message (``must be > 0``), rather than the first exception Python happens to raise.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scoring.rubric.conditions import check_condition
from scoring.rubric.model import (
    AUTO_SIGNALS,
    BUILTIN_SCALES,
    CRITICAL_SCOPES,
    LANGUAGES,
    SCALE_TYPES,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
SLUG_HINT = "must be a slug: lowercase latin letters, digits, '-' or '_' (e.g. 'first-contact')"

ROOT_KEYS = {
    "id": True,
    "version": True,
    "name": True,
    "description": True,
    "settings": False,
    "categories": True,
}
SETTINGS_KEYS = {"critical_default": False, "passing_score": False}
CATEGORY_KEYS = {
    "id": True,
    "name": True,
    "description": False,
    "weight": False,
    "applies_when": False,
    "criteria": True,
}
CRITERION_KEYS = {
    "id": True,
    "name": True,
    "description": True,
    "scale": True,
    "weight": False,
    "na_allowed": False,
    "critical": False,
    "fail_below": False,
    "coaching_topic": True,
    "auto_signal": False,
    "applies_when": False,
}
SCALE_KEYS = {"type": True, "levels": True}
LEVEL_KEYS = {"value": True, "label": False, "descriptor": True}


@dataclass(frozen=True, slots=True)
class RubricProblem:
    """One thing wrong with a rubric: where (YAML path, '' for the whole file) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(file)'}: {self.message}"


def join_path(base: str, key: str | int) -> str:
    """Extend a YAML path: ``join_path('categories[0]', 'weight')``."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


def is_number(value: Any) -> bool:
    """YAML booleans are ints in Python; a rubric weight of ``yes`` is a typo, not 1."""
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Checker:
    """Collects problems while walking the document."""

    def __init__(self) -> None:
        self.problems: list[RubricProblem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(RubricProblem(path, message))

    def mapping(self, value: Any, path: str, keys: Mapping[str, bool]) -> bool:
        """Require a mapping; report missing required keys and unknown (mistyped) keys."""
        if not isinstance(value, Mapping):
            self.add(path, f"must be a mapping, got {_type_name(value)}")
            return False
        for key, required in keys.items():
            if required and key not in value:
                self.add(join_path(path, key), "is required")
        for key in value:
            if key not in keys:
                hint = difflib.get_close_matches(str(key), list(keys), n=1)
                extra = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.add(join_path(path, str(key)), f"unknown key{extra}")
        return True

    def text(self, value: Any, path: str) -> None:
        """Bilingual text: both ``en`` and ``ru`` must be non-empty strings."""
        if not self.mapping(value, path, dict.fromkeys(LANGUAGES, True)):
            return
        for lang in LANGUAGES:
            if lang in value and (not isinstance(value[lang], str) or not value[lang].strip()):
                self.add(join_path(path, lang), f"must be non-empty text ({lang})")

    def slug(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or not SLUG_RE.match(value):
            self.add(path, SLUG_HINT)

    def weight(self, value: Any, path: str) -> None:
        if not is_number(value):
            self.add(path, f"must be a number, got {_type_name(value)}")
        elif not value > 0:
            self.add(path, "must be > 0")


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    names = {
        bool: "true/false",
        str: "text",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
    }
    return names.get(type(value), type(value).__name__)


def validate_rubric(data: Any) -> list[RubricProblem]:
    """Every problem of a parsed rubric document; an empty list means it is valid."""
    check = _Checker()
    if not check.mapping(data, "", ROOT_KEYS):
        return check.problems
    if "id" in data:
        check.slug(data["id"], "id")
    if "version" in data:
        version = data["version"]
        if not isinstance(version, int) or isinstance(version, bool):
            check.add("version", f"must be a whole number, got {_type_name(version)}")
        elif version < 1:
            check.add("version", "must be >= 1")
    for key in ("name", "description"):
        if key in data:
            check.text(data[key], key)
    default_scope = _check_settings(check, data.get("settings"))
    if "categories" in data:
        _check_categories(check, data["categories"], default_scope)
    return check.problems


def _check_settings(check: _Checker, settings: Any) -> str:
    """Validate ``settings``; returns the scope a bare ``critical: true`` resolves to."""
    if settings is None or not check.mapping(settings, "settings", SETTINGS_KEYS):
        return "conversation"
    scope = settings.get("critical_default", "conversation")
    if scope not in CRITICAL_SCOPES:
        check.add("settings.critical_default", "must be 'category' or 'conversation'")
    if "passing_score" in settings:
        mark = settings["passing_score"]
        if not is_number(mark) or not 0 <= mark <= 100:
            check.add("settings.passing_score", "must be a number from 0 to 100")
    return scope


def _check_categories(check: _Checker, categories: Any, default_scope: str) -> None:
    if not isinstance(categories, list) or not categories:
        check.add("categories", "must be a non-empty list of categories")
        return
    seen_categories: dict[str, str] = {}
    seen_criteria: dict[str, str] = {}
    for c_index, category in enumerate(categories):
        path = join_path("categories", c_index)
        if check.mapping(category, path, CATEGORY_KEYS):
            _check_unique(check, category.get("id"), path, seen_categories, "category")
            _check_category(check, category, path)
            for k_index, criterion in enumerate(_criteria_list(check, category, path)):
                k_path = join_path(join_path(path, "criteria"), k_index)
                if check.mapping(criterion, k_path, CRITERION_KEYS):
                    _check_unique(check, criterion.get("id"), k_path, seen_criteria, "criterion")
                    _check_criterion(check, criterion, k_path, default_scope)


def _check_category(check: _Checker, category: Mapping, path: str) -> None:
    if "id" in category:
        check.slug(category["id"], join_path(path, "id"))
    for key in ("name", "description"):
        if key in category:
            check.text(category[key], join_path(path, key))
    if "weight" in category:
        check.weight(category["weight"], join_path(path, "weight"))
    if "applies_when" in category:
        check_condition(category["applies_when"], join_path(path, "applies_when"), check.add)


def _criteria_list(check: _Checker, category: Mapping, path: str) -> list:
    criteria = category.get("criteria")
    if "criteria" in category and (not isinstance(criteria, list) or not criteria):
        check.add(join_path(path, "criteria"), "must be a non-empty list of criteria")
        return []
    return criteria or []


def _check_unique(check: _Checker, item_id: Any, path: str, seen: dict, kind: str) -> None:
    if not isinstance(item_id, str):
        return
    if item_id in seen:
        check.add(
            join_path(path, "id"), f"duplicate {kind} id '{item_id}' (first at {seen[item_id]})"
        )
    else:
        seen[item_id] = path


def _check_criterion(check: _Checker, criterion: Mapping, path: str, default_scope: str) -> None:
    for key in ("id", "coaching_topic"):
        if key in criterion:
            check.slug(criterion[key], join_path(path, key))
    for key in ("name", "description"):
        if key in criterion:
            check.text(criterion[key], join_path(path, key))
    if "weight" in criterion:
        check.weight(criterion["weight"], join_path(path, "weight"))
    if "na_allowed" in criterion and not isinstance(criterion["na_allowed"], bool):
        check.add(join_path(path, "na_allowed"), "must be true or false")
    if "auto_signal" in criterion and criterion["auto_signal"] is not None:
        _check_signal(check, criterion["auto_signal"], join_path(path, "auto_signal"))
    if "applies_when" in criterion:
        check_condition(criterion["applies_when"], join_path(path, "applies_when"), check.add)
    scope = resolve_critical(criterion.get("critical", False), default_scope)
    if scope == "invalid":
        check.add(join_path(path, "critical"), "must be false, true, 'category' or 'conversation'")
    values = (
        _check_scale(check, criterion["scale"], join_path(path, "scale"))
        if "scale" in criterion
        else None
    )
    _check_fail_rule(check, criterion, path, values, scope not in (None, "invalid"))


def resolve_critical(value: Any, default_scope: str) -> str | None:
    """``false`` -> None, ``true`` -> the rubric default, a scope name -> itself."""
    if value is False or value is None:
        return None
    if value is True:
        return default_scope if default_scope in CRITICAL_SCOPES else "conversation"
    return value if value in CRITICAL_SCOPES else "invalid"


def _check_signal(check: _Checker, signal: Any, path: str) -> None:
    if signal in AUTO_SIGNALS:
        return
    hint = difflib.get_close_matches(str(signal), AUTO_SIGNALS, n=1)
    extra = f" (did you mean '{hint[0]}'?)" if hint else ""
    check.add(path, f"unknown auto_signal '{signal}'{extra}; known: {', '.join(AUTO_SIGNALS)}")


def _check_scale(check: _Checker, scale: Any, path: str) -> list[float] | None:
    """Validate a scale; returns its level values when they are usable for later checks."""
    if isinstance(scale, str):
        check.add(
            path,
            f"must be a mapping with 'type' and 'levels' (got '{scale}'): "
            "every level needs a descriptor in en and ru",
        )
        return None
    if not check.mapping(scale, path, SCALE_KEYS):
        return None
    kind = scale.get("type")
    if "type" in scale and kind not in SCALE_TYPES:
        check.add(
            join_path(path, "type"), f"unknown scale '{kind}'; use one of: {', '.join(SCALE_TYPES)}"
        )
        kind = None
    levels = scale.get("levels")
    if "levels" not in scale:
        return None
    if not isinstance(levels, list) or not levels:
        check.add(join_path(path, "levels"), "must be a non-empty list of levels")
        return None
    values = _check_levels(check, levels, join_path(path, "levels"), kind)
    if values is None or kind is None:
        return None
    if kind in BUILTIN_SCALES:
        expected = [v for v, _en, _ru in BUILTIN_SCALES[kind]]
        if values != expected:
            check.add(
                join_path(path, "levels"),
                f"scale {kind} needs exactly the levels "
                f"{', '.join(map(str, expected))}, got {', '.join(map(_fmt, values))}",
            )
            return None
    elif len(values) < 2:
        check.add(join_path(path, "levels"), "a custom scale needs at least 2 levels")
        return None
    return values


def _check_levels(check: _Checker, levels: list, path: str, kind: str | None) -> list | None:
    values: list[float] = []
    usable = True
    for index, level in enumerate(levels):
        l_path = join_path(path, index)
        if not check.mapping(level, l_path, LEVEL_KEYS):
            usable = False
            continue
        if kind == "custom" and "label" not in level:
            check.add(join_path(l_path, "label"), "is required on a custom scale")
        for key in ("label", "descriptor"):
            if key in level:
                check.text(level[key], join_path(l_path, key))
        value = level.get("value")
        if not is_number(value):
            if "value" in level:
                check.add(join_path(l_path, "value"), f"must be a number, got {_type_name(value)}")
            usable = False
            continue
        if values and value <= values[-1]:
            check.add(
                join_path(l_path, "value"),
                f"level values must increase: {_fmt(value)} after {_fmt(values[-1])}",
            )
            usable = False
        values.append(value)
    return values if usable else None


def _check_fail_rule(
    check: _Checker, criterion: Mapping, path: str, values: list | None, critical: bool
) -> None:
    """A critical criterion needs at least one fail level and one passing level."""
    fail_below = criterion.get("fail_below")
    f_path = join_path(path, "fail_below")
    if "fail_below" in criterion and not is_number(fail_below):
        check.add(f_path, f"must be a number, got {_type_name(fail_below)}")
        return
    if values is None:
        return
    if fail_below is None:
        return
    if fail_below <= values[0]:
        reason = "critical criterion has no fail level: " if critical else ""
        check.add(
            f_path,
            f"{reason}no level is below {_fmt(fail_below)} (lowest level is {_fmt(values[0])})",
        )
    elif fail_below > values[-1]:
        check.add(
            f_path,
            f"every level would fail: {_fmt(fail_below)} is above the "
            f"highest level {_fmt(values[-1])}",
        )


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
