"""The shipped default rubric: valid, bilingual, sensible, and it survives a round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from test_rubric_schema import minimal_rubric
from test_score_maths import rubric_data, rubric_of

from scoring.rubric.files import (
    AUTO_SIGNALS,
    Rubric,
    dump_rubric,
    load_rubric,
    parse_rubric,
    rubric_to_dict,
)

DEFAULT = Path(__file__).resolve().parent.parent / "rubrics" / "support-default.yaml"
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def default() -> Rubric:
    return load_rubric(DEFAULT)


def test_default_rubric_covers_the_support_basics(default: Rubric) -> None:
    assert default.id == "support-default"
    assert {c.id for c in default.categories} == {
        "empathy",
        "accuracy",
        "clarity",
        "resolution",
        "etiquette",
        "information_gathering",
    }
    assert default.criterion("professional_tone").critical == "conversation"
    assert default.criterion("correct_information").critical == "conversation"
    assert default.criterion("correct_information").is_fail(2)
    assert not default.criterion("correct_information").is_fail(3)
    assert default.criterion("apology_where_due").na_allowed
    assert default.criterion("bug_reproduction_steps").na_allowed
    assert not default.criterion("correct_information").na_allowed


def test_every_text_is_written_in_both_languages(default: Rubric) -> None:
    texts = [default.name, default.description]
    for category in default.categories:
        texts.append(category.name)
        for criterion in category.criteria:
            texts += [criterion.name, criterion.description]
            for level in criterion.scale.levels:
                texts += [level.label, level.descriptor]
    for text in texts:
        assert CYRILLIC.search(text.ru), text
        assert not CYRILLIC.search(text.en), text
        assert text.ru != text.en


def test_auto_signals_and_coaching_topics(default: Rubric) -> None:
    signals = [c.auto_signal for c in default.criteria() if c.auto_signal]
    assert set(signals) <= set(AUTO_SIGNALS)
    assert len(signals) >= 10
    assert "empathy-acknowledgement" in default.coaching_topics()


@pytest.mark.parametrize("source", ["path", "str-path", "text"])
def test_load_from_path_or_text(source: str) -> None:
    arg = {"path": DEFAULT, "str-path": str(DEFAULT), "text": DEFAULT.read_text("utf-8")}
    assert load_rubric(arg[source]).version == 2  # 2: bug-report criteria became conditional


def test_round_trip_through_yaml_text(default: Rubric) -> None:
    text = dump_rubric(default)
    assert "Эмпатия" in text  # Cyrillic stays readable, not \u-escaped
    assert load_rubric(text) == default
    assert dump_rubric(load_rubric(text)) == text


def test_round_trip_through_plain_data() -> None:
    rubric = parse_rubric(minimal_rubric())
    data = rubric_to_dict(rubric)
    assert parse_rubric(yaml.safe_load(yaml.safe_dump(data))) == rubric
    assert parse_rubric(data) == rubric


def test_an_admin_edit_becomes_a_new_valid_version(default: Rubric) -> None:
    data = rubric_to_dict(default)
    data["version"] += 1
    data["categories"][0]["weight"] = 30
    edited = parse_rubric(data)
    assert edited.version == default.version + 1
    assert edited.category("empathy").weight == 30
    assert edited.criterion_ids() == default.criterion_ids()


@settings(max_examples=40, deadline=None)
@given(rubric_data())
def test_any_valid_rubric_survives_dump_and_load(categories: list) -> None:
    rubric = rubric_of(categories)
    assert load_rubric(dump_rubric(rubric)) == rubric


def test_custom_labels_on_a_builtin_scale_survive_the_round_trip() -> None:
    data = minimal_rubric()
    level = data["categories"][0]["criteria"][1]["scale"]["levels"][0]
    level["label"] = {"en": "Awful", "ru": "Ужасно"}
    data["categories"][0]["criteria"][1]["fail_below"] = 2.5
    rubric = parse_rubric(data)
    assert rubric.criterion("warmth").scale.level(1).label.en == "Awful"
    assert rubric.criterion("warmth").scale.level(2).label.en == "Weak"
    assert "Awful" in dump_rubric(rubric)
    assert load_rubric(dump_rubric(rubric)) == rubric
