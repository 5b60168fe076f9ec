"""Rubric validation: every kind of bad rubric gets its own precise path and message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scoring.rubric.files import (
    AUTO_SIGNALS,
    RubricError,
    check_rubric_text,
    load_rubric,
    parse_rubric,
    validate_rubric,
)


def _levels(values: list[int]) -> list[dict]:
    return [{"value": v, "descriptor": {"en": f"level {v}", "ru": f"уровень {v}"}} for v in values]


def minimal_rubric() -> dict[str, Any]:
    """A small valid rubric: two categories, three criteria, each scale kind once."""
    return {
        "id": "mini",
        "version": 1,
        "name": {"en": "Mini", "ru": "Мини"},
        "description": {"en": "Test rubric", "ru": "Тестовая форма"},
        "categories": [
            {
                "id": "tone",
                "name": {"en": "Tone", "ru": "Тон"},
                "weight": 2,
                "criteria": [
                    {
                        "id": "polite",
                        "name": {"en": "Polite", "ru": "Вежливость"},
                        "description": {"en": "Is polite", "ru": "Вежлив"},
                        "scale": {"type": "pass_fail", "levels": _levels([0, 1])},
                        "critical": "conversation",
                        "coaching_topic": "tone",
                        "auto_signal": "rudeness",
                    },
                    {
                        "id": "warmth",
                        "name": {"en": "Warmth", "ru": "Теплота"},
                        "description": {"en": "Is warm", "ru": "Тепло"},
                        "scale": {"type": "1-5", "levels": _levels([1, 2, 3, 4, 5])},
                        "weight": 2,
                        "coaching_topic": "tone",
                    },
                ],
            },
            {
                "id": "result",
                "name": {"en": "Result", "ru": "Результат"},
                "weight": 1,
                "criteria": [
                    {
                        "id": "solved",
                        "name": {"en": "Solved", "ru": "Решено"},
                        "description": {"en": "Solved", "ru": "Решено"},
                        "scale": {
                            "type": "custom",
                            "levels": [
                                {
                                    "value": 0,
                                    "label": {"en": "No", "ru": "Нет"},
                                    "descriptor": {"en": "not solved", "ru": "не решено"},
                                },
                                {
                                    "value": 2,
                                    "label": {"en": "Yes", "ru": "Да"},
                                    "descriptor": {"en": "solved", "ru": "решено"},
                                },
                            ],
                        },
                        "na_allowed": True,
                        "coaching_topic": "ownership",
                    }
                ],
            },
        ],
    }


def problems_of(data: Any) -> dict[str, str]:
    return {p.path: p.message for p in validate_rubric(data)}


def edited(**paths: Any) -> dict:
    """A minimal rubric with values set at dotted paths (``categories.0.weight=0``)."""
    data = copy.deepcopy(minimal_rubric())
    for dotted, value in paths.items():
        *parents, last = dotted.split("__")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return data


_DELETE = object()
K0 = "categories__0__criteria__0"
K1 = "categories__0__criteria__1"


def test_minimal_rubric_is_valid_and_parses() -> None:
    assert validate_rubric(minimal_rubric()) == []
    rubric = parse_rubric(minimal_rubric())
    assert rubric.criterion_ids() == ("polite", "warmth", "solved")
    assert rubric.criterion("warmth").weight == 2
    assert rubric.criterion("warmth").critical is None
    assert rubric.category_of("solved").id == "result"
    assert rubric.criterion("polite").scale.level(1).label.ru == "Выполнено"


@pytest.mark.parametrize(
    ("edits", "path", "message"),
    [
        ({"categories__0__weight": 0}, "categories[0].weight", "must be > 0"),
        ({f"{K1}__weight": -1.5}, "categories[0].criteria[1].weight", "must be > 0"),
        ({f"{K1}__weight": "heavy"}, "categories[0].criteria[1].weight", "must be a number"),
        ({f"{K1}__weight": True}, "categories[0].criteria[1].weight", "must be a number"),
        ({"version": "1"}, "version", "must be a whole number"),
        ({"version": 0}, "version", "must be >= 1"),
        ({"id": "Support Default"}, "id", "must be a slug"),
        ({"name": "Mini"}, "name", "must be a mapping"),
        ({"name__ru": ""}, "name.ru", "must be non-empty text (ru)"),
        ({"description__en": _DELETE}, "description.en", "is required"),
        ({"categories": []}, "categories", "must be a non-empty list"),
        (
            {f"{K0}__coaching_topic": _DELETE},
            "categories[0].criteria[0].coaching_topic",
            "is required",
        ),
        (
            {f"{K0}__na_allowed": "yes"},
            "categories[0].criteria[0].na_allowed",
            "must be true or false",
        ),
        ({f"{K0}__critical": "team"}, "categories[0].criteria[0].critical", "must be false"),
        (
            {f"{K1}__scale__type": "1-10"},
            "categories[0].criteria[1].scale.type",
            "unknown scale '1-10'",
        ),
        ({f"{K1}__scale": "1-5"}, "categories[0].criteria[1].scale", "must be a mapping"),
        (
            {f"{K1}__scale__levels__4": _DELETE},
            "categories[0].criteria[1].scale.levels",
            "scale 1-5 needs exactly the levels 1, 2, 3, 4, 5, got 1, 2, 3, 4",
        ),
        (
            {f"{K1}__scale__levels__2__descriptor__ru": _DELETE},
            "categories[0].criteria[1].scale.levels[2].descriptor.ru",
            "is required",
        ),
        (
            {f"{K1}__scale__levels__1__value": 1},
            "categories[0].criteria[1].scale.levels[1].value",
            "level values must increase: 1 after 1",
        ),
        (
            {"categories__1__criteria__0__scale__levels__0__label": _DELETE},
            "categories[1].criteria[0].scale.levels[0].label",
            "is required on a custom scale",
        ),
        (
            {f"{K0}__auto_signal": "empaty"},
            "categories[0].criteria[0].auto_signal",
            "unknown auto_signal 'empaty' (did you mean 'empathy'?)",
        ),
        (
            {f"{K1}__wieght": 2},
            "categories[0].criteria[1].wieght",
            "unknown key (did you mean 'weight'?)",
        ),
        (
            {"settings": {"critical_default": "team"}},
            "settings.critical_default",
            "must be 'category' or 'conversation'",
        ),
        ({"settings": {"passing_score": 120}}, "settings.passing_score", "from 0 to 100"),
        (
            {f"{K1}__critical": True, f"{K1}__fail_below": 1},
            "categories[0].criteria[1].fail_below",
            "critical criterion has no fail level",
        ),
        (
            {f"{K1}__fail_below": 9},
            "categories[0].criteria[1].fail_below",
            "every level would fail",
        ),
    ],
)
def test_each_problem_has_a_precise_path_and_message(edits: dict, path: str, message: str) -> None:
    found = problems_of(edited(**edits))
    assert path in found, found
    assert message in found[path]


def test_duplicate_ids_name_the_first_use() -> None:
    data = edited(**{f"{K1}__id": "polite", "categories__1__id": "tone"})
    found = problems_of(data)
    assert found["categories[0].criteria[1].id"] == (
        "duplicate criterion id 'polite' (first at categories[0].criteria[0])"
    )
    assert found["categories[1].id"].startswith("duplicate category id 'tone'")


def test_all_problems_are_reported_at_once() -> None:
    data = edited(**{"version": -1, "categories__0__weight": 0, f"{K1}__weight": 0})
    assert len(validate_rubric(data)) == 3


def test_not_a_mapping_at_all() -> None:
    assert [str(p) for p in validate_rubric(["a", "b"])] == [
        "(file): must be a mapping, got a list"
    ]


def test_parse_raises_with_every_problem() -> None:
    with pytest.raises(RubricError) as info:
        parse_rubric(edited(version=0, id="BAD ID"))
    assert {p.path for p in info.value.problems} == {"version", "id"}


def test_yaml_syntax_error_reports_line_and_column() -> None:
    rubric, problems = check_rubric_text("id: x\nversion: 1\nname: {en: a, ru: b\n")
    assert rubric is None
    assert len(problems) == 1
    assert "YAML syntax error at line" in problems[0].message
    assert "column" in problems[0].message


def test_duplicate_yaml_key_is_an_error_not_silently_overwritten() -> None:
    _rubric, problems = check_rubric_text("id: x\nversion: 1\nversion: 2\n")
    assert "duplicate key 'version'" in problems[0].message
    assert "line 3" in problems[0].message


def test_load_rubric_raises_on_syntax_error() -> None:
    with pytest.raises(RubricError, match="YAML syntax error"):
        load_rubric("id: [unclosed\n")


def test_critical_true_resolves_to_the_rubric_default() -> None:
    data = edited(**{f"{K1}__critical": True, "settings": {"critical_default": "category"}})
    assert parse_rubric(data).criterion("warmth").critical == "category"


def test_auto_signals_are_documented_slugs() -> None:
    assert len(set(AUTO_SIGNALS)) == len(AUTO_SIGNALS)
    assert {"sentiment_end", "rudeness", "empathy", "first_response_sla"} <= set(AUTO_SIGNALS)
