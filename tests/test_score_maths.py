"""The score formula: the worked example of docs/score-formula.md plus property tests."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.rubric.files import Rubric, parse_rubric
from scoring.rubric.score_maths import GradeError, score_review

SCALES = {"pass_fail": [0, 1], "1-3": [1, 2, 3], "1-5": [1, 2, 3, 4, 5]}


def criterion(cid: str, kind: str, weight: float = 1, **extra: Any) -> dict:
    values = extra.pop("values", None) or SCALES[kind]
    levels = [{"value": v, "descriptor": {"en": f"d{v}", "ru": f"у{v}"}} for v in values]
    if kind == "custom":
        for level in levels:
            level["label"] = {"en": f"l{level['value']}", "ru": f"м{level['value']}"}
    return {
        "id": cid,
        "name": {"en": cid, "ru": cid},
        "description": {"en": cid, "ru": cid},
        "scale": {"type": kind, "levels": levels},
        "weight": weight,
        "coaching_topic": "topic",
        **extra,
    }


def rubric_of(categories: list[tuple[str, float, list[dict]]]) -> Rubric:
    return parse_rubric(
        {
            "id": "demo",
            "version": 3,
            "name": {"en": "Demo", "ru": "Демо"},
            "description": {"en": "Demo", "ru": "Демо"},
            "settings": {"passing_score": 70},
            "categories": [
                {"id": cid, "name": {"en": cid, "ru": cid}, "weight": w, "criteria": crit}
                for cid, w, crit in categories
            ],
        }
    )


# The rubric and grades of the worked example in docs/score-formula.md.
EXAMPLE = rubric_of(
    [
        ("empathy", 20, [criterion("acknowledges", "1-5", 2), criterion("patience", "1-3")]),
        (
            "accuracy",
            25,
            [
                criterion("correct_info", "1-5", 3, critical="conversation", fail_below=3),
                criterion("process", "1-3", critical="category"),
            ],
        ),
        (
            "etiquette",
            10,
            [
                criterion("greeting", "pass_fail"),
                criterion("apology", "pass_fail", na_allowed=True),
                criterion("customer_name", "pass_fail", na_allowed=True),
            ],
        ),
        ("bug_report", 10, [criterion("repro_steps", "1-3", na_allowed=True)]),
    ]
)
EXAMPLE_GRADES = {
    "acknowledges": 4,
    "patience": 3,
    "correct_info": 4,
    "process": 2,
    "greeting": 1,
    "apology": None,
    "customer_name": 0,
    "repro_steps": None,
}


def test_worked_example() -> None:
    result = score_review(EXAMPLE, EXAMPLE_GRADES)
    assert result.criteria["acknowledges"].score == 75
    assert result.criteria["process"].score == 50
    assert result.categories["empathy"].score == pytest.approx(250 / 3)
    assert result.categories["accuracy"].score == pytest.approx(68.75)
    assert result.categories["etiquette"].score == pytest.approx(50)
    assert result.categories["bug_report"].is_na
    expected = (250 / 3 * 20 + 68.75 * 25 + 50 * 10) / 55
    assert result.overall == pytest.approx(expected)
    assert round(result.overall, 1) == 70.6
    assert result.passed is True
    assert result.complete and result.critical_fails == ()


def test_worked_example_category_critical_fail() -> None:
    result = score_review(EXAMPLE, {**EXAMPLE_GRADES, "process": 1})
    assert result.categories["accuracy"].score == 0
    assert result.categories["accuracy"].raw_score == pytest.approx(56.25)
    assert result.categories["accuracy"].zeroed_by == ("process",)
    assert result.overall == pytest.approx((250 / 3 * 20 + 50 * 10) / 55)
    assert round(result.overall, 1) == 39.4
    assert result.passed is False


def test_worked_example_conversation_critical_fail() -> None:
    result = score_review(EXAMPLE, {**EXAMPLE_GRADES, "correct_info": 2})
    assert result.overall == 0
    assert round(result.raw_overall, 1) == 53.6
    assert result.zeroed_by == ("correct_info",)
    assert [(f.criterion_id, f.scope) for f in result.critical_fails] == [
        ("correct_info", "conversation")
    ]


def test_missing_grades_are_reported_and_block_completion() -> None:
    grades = dict(EXAMPLE_GRADES)
    del grades["greeting"], grades["patience"]
    result = score_review(EXAMPLE, grades)
    assert result.missing == ("patience", "greeting")
    assert not result.complete
    assert result.to_dict()["complete"] is False


def test_nothing_graded_gives_no_score() -> None:
    result = score_review(EXAMPLE, {})
    assert result.overall is None and result.passed is None
    assert len(result.missing) == 8


@pytest.mark.parametrize(
    ("grades", "message"),
    [
        ({"nope": 1}, "unknown criterion 'nope'"),
        ({"acknowledges": 7}, "acknowledges: 7 is not a level of its scale (1, 2, 3, 4, 5)"),
        ({"acknowledges": None}, "acknowledges: N/A is not allowed"),
        ({"greeting": True}, "greeting: True is not a level"),
    ],
)
def test_grades_that_do_not_fit_the_rubric(grades: dict, message: str) -> None:
    with pytest.raises(GradeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        score_review(EXAMPLE, grades)


# --- properties ----------------------------------------------------------------------------

KINDS = ["pass_fail", "1-3", "1-5", "custom"]
weights = st.floats(min_value=0.1, max_value=50, allow_nan=False)


@st.composite
def criterion_data(draw: st.DrawFn, cid: str) -> dict:
    kind = draw(st.sampled_from(KINDS))
    extra: dict[str, Any] = {"na_allowed": draw(st.booleans())}
    if kind == "custom":
        extra["values"] = sorted(draw(st.sets(st.integers(-5, 10), min_size=2, max_size=5)))
    extra["critical"] = draw(st.sampled_from([False, "category", "conversation"]))
    return criterion(cid, kind, draw(weights), **extra)


@st.composite
def rubric_data(draw: st.DrawFn) -> list[tuple[str, float, list[dict]]]:
    n_categories = draw(st.integers(1, 4))
    out, k = [], 0
    for c in range(n_categories):
        crit = []
        for _ in range(draw(st.integers(1, 4))):
            crit.append(draw(criterion_data(f"k{k}")))
            k += 1
        out.append((f"c{c}", draw(weights), crit))
    return out


@st.composite
def rubric_and_grades(draw: st.DrawFn) -> tuple[list, dict]:
    data = draw(rubric_data())
    grades: dict[str, Any] = {}
    for _cid, _w, crit in data:
        for k in crit:
            values = [lv["value"] for lv in k["scale"]["levels"]]
            options = values + ([None] if k["na_allowed"] else [])
            grades[k["id"]] = draw(st.sampled_from(options))
    return data, grades


def _all_scores(result) -> list[float]:
    scores = [result.overall, result.raw_overall]
    scores += [c.score for c in result.categories.values()]
    scores += [c.score for c in result.criteria.values()]
    return [s for s in scores if s is not None]


@settings(max_examples=80, deadline=None)
@given(rubric_and_grades())
def test_every_score_is_between_0_and_100(case: tuple[list, dict]) -> None:
    data, grades = case
    assert all(0 <= s <= 100 for s in _all_scores(score_review(rubric_of(data), grades)))


@settings(max_examples=80, deadline=None)
@given(rubric_and_grades(), st.data())
def test_na_is_the_same_as_removing_the_criterion(case: tuple[list, dict], data) -> None:
    categories, grades = case
    na_ids = [k for k, v in grades.items() if v is None]
    if not na_ids:
        return
    target = data.draw(st.sampled_from(na_ids))
    pruned = copy.deepcopy(categories)
    pruned = [(c, w, [k for k in crit if k["id"] != target]) for c, w, crit in pruned]
    pruned = [entry for entry in pruned if entry[2]]
    with_na = score_review(rubric_of(categories), grades)
    rest = {k: v for k, v in grades.items() if k != target}
    without = score_review(rubric_of(pruned), rest) if pruned else None
    if without is None:
        assert with_na.overall is None
        return
    assert _close(with_na.overall, without.overall)
    for cid, category in without.categories.items():
        assert _close(with_na.categories[cid].score, category.score)


@settings(max_examples=80, deadline=None)
@given(rubric_and_grades(), st.data())
def test_raising_one_grade_never_lowers_the_score(case: tuple[list, dict], data) -> None:
    categories, grades = case
    rubric = rubric_of(categories)
    graded = [k for k, v in grades.items() if v is not None]
    if not graded:
        return
    target = data.draw(st.sampled_from(graded))
    higher = [v for v in rubric.criterion(target).scale.values if v > grades[target]]
    if not higher:
        return
    before = score_review(rubric, grades)
    after = score_review(rubric, {**grades, target: data.draw(st.sampled_from(higher))})
    assert after.overall >= before.overall - 1e-9
    for cid, category in after.categories.items():
        if category.score is not None:
            assert category.score >= before.categories[cid].score - 1e-9


@settings(max_examples=80, deadline=None)
@given(rubric_and_grades())
def test_a_critical_fail_zeroes_its_scope(case: tuple[list, dict]) -> None:
    categories, grades = case
    rubric = rubric_of(categories)
    result = score_review(rubric, grades)
    for c in rubric.criteria():
        value = grades[c.id]
        if c.critical is None or value is None or not c.is_fail(value):
            continue
        if c.critical == "conversation":
            assert result.overall == 0
        else:
            assert result.categories[rubric.category_of(c.id).id].score == 0
    if not result.critical_fails:
        assert _close(result.overall, result.raw_overall)


@settings(max_examples=60, deadline=None)
@given(rubric_and_grades())
def test_all_top_grades_give_100(case: tuple[list, dict]) -> None:
    categories, grades = case
    rubric = rubric_of(categories)
    top = {
        k: (None if v is None else rubric.criterion(k).scale.max_value) for k, v in grades.items()
    }
    result = score_review(rubric, top)
    assert result.critical_fails == ()
    assert result.overall is None or result.overall == pytest.approx(100)


@settings(max_examples=60, deadline=None)
@given(rubric_and_grades(), st.floats(0.01, 100), st.floats(0.01, 100))
def test_weights_are_scale_invariant(case: tuple[list, dict], a: float, b: float) -> None:
    categories, grades = case
    scaled = [
        (c, w * a, [{**k, "weight": k["weight"] * b} for k in crit]) for c, w, crit in categories
    ]
    one = score_review(rubric_of(categories), grades)
    two = score_review(rubric_of(scaled), grades)
    assert _close(one.overall, two.overall)
    for cid, category in one.categories.items():
        assert _close(category.score, two.categories[cid].score)


def _close(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
