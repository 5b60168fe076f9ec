"""Agreement statistics against published worked examples, nltk and scikit-learn."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import interval_distance
from sklearn.metrics import cohen_kappa_score

from scoring.rubric.agreement import (
    Ratings,
    cohens_kappa,
    disagreement_by_group,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    item_disagreement,
    krippendorff_alpha,
    pairwise_kappa,
    percent_agreement,
    rater_severity,
)

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C:
# 4 observers x 12 units, values 1-5, with missing data.
KRIPPENDORFF_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Fleiss' kappa example as tabulated on Wikipedia: 10 subjects, 14 raters, 5 categories.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_published_example(level: str, expected: float) -> None:
    alpha = krippendorff_alpha(Ratings.from_matrix(KRIPPENDORFF_C), level)
    assert round(alpha, 3) == expected


def test_fleiss_published_example() -> None:
    assert round(fleiss_kappa_from_counts(FLEISS_TABLE), 3) == 0.210


def test_fleiss_from_records_matches_the_count_table() -> None:
    records = []
    for item, row in enumerate(FLEISS_TABLE):
        labels = [c for c, count in enumerate(row) for _ in range(count)]
        records += [(item, rater, label) for rater, label in enumerate(labels)]
    assert fleiss_kappa(records) == pytest.approx(fleiss_kappa_from_counts(FLEISS_TABLE))


def test_cohen_classic_example() -> None:
    # 50 applications: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> kappa 0.4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohens_kappa(a, b) == pytest.approx(0.4)
    assert (
        percent_agreement(
            list(zip(range(50), "A" * 50, a, strict=True))
            + list(zip(range(50), "B" * 50, b, strict=True))
        )
        == 0.7
    )


def _random_ratings(seed: int, raters: int, items: int, missing: float) -> list[tuple]:
    rng = random.Random(seed)
    records = []
    for item in range(items):
        truth = rng.randint(1, 5)
        for rater in range(raters):
            if rng.random() < missing:
                continue
            records.append((item, f"r{rater}", min(5, max(1, truth + rng.choice([-1, 0, 0, 1])))))
    return records


def _nltk(records: list[tuple], distance=None) -> AnnotationTask:
    triples = [(rater, item, value) for item, rater, value in records]
    return AnnotationTask(triples, distance) if distance else AnnotationTask(triples)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_matches_nltk_with_missing_data(seed: int) -> None:
    records = _random_ratings(seed, raters=4, items=30, missing=0.25)
    assert krippendorff_alpha(records) == pytest.approx(_nltk(records).alpha())
    interval = _nltk(records, interval_distance).alpha()
    assert krippendorff_alpha(records, "interval") == pytest.approx(interval)


@pytest.mark.parametrize("seed", range(5))
def test_kappas_match_nltk_and_sklearn(seed: int) -> None:
    records = _random_ratings(seed, raters=3, items=40, missing=0.0)
    pairs = pairwise_kappa(records)
    assert float(np.mean(list(pairs.values()))) == pytest.approx(_nltk(records).kappa())
    two = [r for r in records if r[1] in ("r0", "r1")]
    assert pairs[("r0", "r1")] == pytest.approx(_nltk(two).multi_kappa())
    assert percent_agreement(records) == pytest.approx(_nltk(records).avg_Ao())
    a = [v for _i, r, v in records if r == "r0"]
    b = [v for _i, r, v in records if r == "r1"]
    for weights in (None, "linear", "quadratic"):
        assert cohens_kappa(a, b, weights) == pytest.approx(
            cohen_kappa_score(a, b, weights=weights)
        )


def test_weighted_kappa_uses_the_full_scale_when_given() -> None:
    a, b = [1, 3, 3, 1], [3, 3, 1, 1]
    narrow = cohens_kappa(a, b, "linear")
    full = cohens_kappa(a, b, "linear", categories=[1, 2, 3, 4, 5])
    assert narrow == pytest.approx(cohen_kappa_score(a, b, weights="linear"))
    assert full == pytest.approx(cohen_kappa_score(a, b, weights="linear", labels=[1, 2, 3, 4, 5]))
    with pytest.raises(ValueError, match="not among the categories"):
        cohens_kappa([1, 7], [1, 1], categories=[1, 2, 3])


def test_cohen_drops_pairs_with_missing_values() -> None:
    assert cohens_kappa([1, 2, None, 2], [1, 2, 1, float("nan")]) == cohens_kappa([1, 2], [1, 2])


def test_perfect_agreement_on_varied_values_is_one() -> None:
    records = [(i, r, i % 3) for i in range(6) for r in "abc"]
    assert krippendorff_alpha(records) == pytest.approx(1.0)
    assert fleiss_kappa(records) == pytest.approx(1.0)
    assert cohens_kappa([0, 1, 2], [0, 1, 2]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "records",
    [
        [],  # empty input
        [(i, "solo", i % 2) for i in range(5)],  # a single rater: nothing to compare
        [(i, r, "pass") for i in range(4) for r in "ab"],  # no variation: chance agreement is 1
    ],
    ids=["empty", "single-rater", "no-variation"],
)
def test_undefined_coefficients_are_nan(records: list) -> None:
    assert math.isnan(krippendorff_alpha(records))
    assert math.isnan(fleiss_kappa(records))
    a = [v for _i, r, v in records if r == "a"]
    assert math.isnan(cohens_kappa(a, a))


def test_percent_agreement_is_still_defined_without_variation() -> None:
    assert percent_agreement([(i, r, "pass") for i in range(4) for r in "ab"]) == 1.0
    assert math.isnan(percent_agreement([]))


def test_input_shapes_agree() -> None:
    matrix = Ratings.from_matrix(KRIPPENDORFF_C, raters=list("ABCD"))
    records = [
        (item, rater, value)
        for rater, row in zip("ABCD", KRIPPENDORFF_C, strict=True)
        for item, value in enumerate(row)
    ]
    frame = pd.DataFrame(records, columns=["item", "rater", "value"])
    dicts = [{"item": i, "rater": r, "value": v} for i, r, v in records]
    expected = krippendorff_alpha(matrix, "ordinal")
    for data in (records, frame, dicts, Ratings.from_records(records)):
        assert krippendorff_alpha(data, "ordinal") == pytest.approx(expected)


def test_a_rater_cannot_rate_an_item_twice() -> None:
    with pytest.raises(ValueError, match="rated item 'c1' twice"):
        Ratings.from_records([("c1", "anna", 3), ("c1", "anna", 4)])


def test_severity_finds_the_strict_and_the_lenient_reviewer() -> None:
    records = []
    for item in range(10):
        base = 2 + item % 3
        records += [
            (item, "strict", base - 1),
            (item, "fair", base),
            (item, "fair2", base),
            (item, "lenient", base + 1),
        ]
    severity = rater_severity(records)
    assert [s.rater for s in severity][0] == "strict"
    assert [s.rater for s in severity][-1] == "lenient"
    by_rater = {s.rater: s for s in severity}
    assert by_rater["strict"].offset == pytest.approx(-4 / 3)  # others average base + 1/3
    assert by_rater["strict"].n == 10
    median = {s.rater: s.offset for s in rater_severity(records, consensus="median")}
    assert median["strict"] == pytest.approx(-1.0)
    assert median["fair"] == pytest.approx(0.0)


def test_disagreement_ranking_puts_the_disputed_conversation_first() -> None:
    records = [
        (("c1", "tone"), "a", 5),
        (("c1", "tone"), "b", 5),
        (("c2", "tone"), "a", 1),
        (("c2", "tone"), "b", 5),
        (("c1", "accuracy"), "a", 3),
        (("c1", "accuracy"), "b", 4),
        (("c2", "accuracy"), "a", 2),
        (("c2", "accuracy"), "b", 3),
        (("c3", "accuracy"), "a", 2),  # rated once: nothing to discuss
    ]
    ranked = item_disagreement(records)
    assert ranked[0].item == ("c2", "tone")
    assert ranked[0].disagreement == 4
    assert ranked[0].values == {"a": 1, "b": 5}
    assert len(ranked) == 4
    groups = disagreement_by_group(records, group_of=lambda item: item[1])
    assert [g.group for g in groups] == ["tone", "accuracy"]
    assert groups[0].disagreement == 2.0
    assert groups[1].items == 2
    nominal = item_disagreement(records, level="nominal")
    assert nominal[-1].disagreement == 0.0


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), st.sampled_from("abcd"), st.integers(1, 5)), max_size=40)
)
def test_alpha_is_bounded_and_matches_nltk(rows: list[tuple]) -> None:
    records = list({(i, r): (i, r, v) for i, r, v in rows}.values())
    alpha = krippendorff_alpha(records, "interval")
    if math.isnan(alpha):
        return
    assert alpha <= 1 + 1e-9  # perfect agreement is the ceiling; no floor below -1 exists
    assert alpha == pytest.approx(_nltk(records, interval_distance).alpha())


def test_matrix_labels_must_fit_its_shape() -> None:
    with pytest.raises(ValueError, match="shape"):
        Ratings.from_matrix([[1, 2], [1]], raters=["a", "b"])
    assert Ratings.from_matrix([[1, np.nan], [1, 2]]).pairable() == {0: [1, 1]}
