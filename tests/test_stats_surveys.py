"""CSI and the representativeness warnings of survey figures."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.stats import check_survey, csi, csi_from_ratings, importance_weights, mean_interval


def test_csi_by_hand() -> None:
    # importance: speed 2, politeness 1; 1-5 scale -> position (r - 1) / 4 * 100
    # respondent 1: speed 5 (100), politeness 4 (75): (2*100 + 1*75) / 3 = 91.67
    # respondent 2: speed 3 (50), politeness N/A:     (2*50) / 2        = 50
    # respondent 3: speed 1 (0), politeness 2 (25):   (0 + 25) / 3      = 8.33
    # CSI = mean(91.67, 50, 8.33) = 50; interval is the t interval over the 3 respondents
    rows = [
        {"speed": 5, "politeness": 4},
        {"speed": 3, "politeness": None},
        {"speed": 1, "politeness": 2},
    ]
    result = csi(rows, {"speed": 2, "politeness": 1})
    assert result.estimate == pytest.approx(50)
    assert result.n == 3
    expected = mean_interval([275 / 3, 50, 25 / 3])
    assert (result.low, result.high) == pytest.approx((expected.low, expected.high))
    assert result.method == "csi: t over respondents"


def test_csi_accepts_a_dataframe_and_skips_empty_respondents() -> None:
    frame = pd.DataFrame({"speed": [5, None, 4], "politeness": [5, None, 4]})
    result = csi(frame, {"speed": 1, "politeness": 1})
    assert result.n == 2
    assert result.estimate == pytest.approx((100 + 75) / 2)


def test_csi_attributes_may_be_numbered() -> None:
    assert csi([{1: 5, 2: 1}], {1: 3, 2: 1}).estimate == pytest.approx(75)


def test_csi_on_a_ten_point_scale() -> None:
    result = csi([{"q": 10}, {"q": 1}], {"q": 1}, scale=(1, 10))
    assert result.estimate == pytest.approx(50)


@pytest.mark.parametrize(
    ("rows", "importance", "message"),
    [
        ([{"speed": 5, "tone": 4}], {"speed": 1}, "attribute 'tone' has no importance weight"),
        ([{"speed": 6}], {"speed": 1}, "respondent 0, 'speed': 6 is not a rating on the 1-5 scale"),
        ([{"speed": "ok"}], {"speed": 1}, "respondent 0, 'speed': 'ok' is not a rating"),
        ([{"speed": 5}], {"speed": -1}, "importance weight at position 0 is -1, outside 0-inf"),
        ([{"speed": 5}], {"speed": "high"}, "importance weight at position 0 is 'high'"),
        ([{"speed": 5}], {"speed": None}, "every attribute needs an importance weight"),
        ([{"speed": 5}], {"speed": 0}, "at least one positive weight"),
    ],
)
def test_csi_refuses_bad_input(rows, importance, message) -> None:
    with pytest.raises(ValueError, match=message):
        csi(rows, importance)


def test_csi_of_no_respondents_is_undefined() -> None:
    assert not csi([], {"speed": 1}).defined


def _codes(warnings) -> list[str]:
    return [w.code for w in warnings]


def test_a_healthy_survey_raises_no_warning() -> None:
    ratings = [5, 4, 4, 3, 5, 4, 2, 4, 5, 3] * 4
    customers = [f"c{i}" for i in range(40)]
    assert check_survey(ratings, customer_ids=customers, contacts=200) == ()


def test_too_few_responses() -> None:
    (warning,) = check_survey([4, 5, 3] * 9 + [None] * 5)
    assert warning.code == "too_few_responses"
    assert (warning.value, warning.threshold) == (27, 30)
    assert warning.message == "too few responses: n = 27 < 30"


def test_low_response_rate() -> None:
    ratings = [4, 5, 3, 4] * 10
    (warning,) = check_survey(ratings, contacts=500)
    assert warning.code == "low_response_rate"
    assert warning.value == pytest.approx(0.08)
    assert "40 of 500 contacts answered (8.0%)" in warning.message
    assert check_survey(ratings, contacts=400) == ()
    with pytest.raises(
        ValueError, match="contacts \\(10\\) cannot be fewer than responses \\(40\\)"
    ):
        check_survey(ratings, contacts=10)


def test_responses_from_a_few_customers() -> None:
    # 40 answers: 30 from one customer, 10 from ten others.
    # inverse Simpson: 40^2 / (30^2 + 10 * 1^2) = 1600 / 910 = 1.76 customers -> 4% of 40
    ratings = [4, 5, 3, 4] * 10
    customers = ["big"] * 30 + [f"c{i}" for i in range(10)]
    (warning,) = check_survey(ratings, customer_ids=customers)
    assert warning.code == "few_customers"
    assert warning.value == pytest.approx(1600 / 910 / 40)
    assert "worth 1.8 equally active customers" in warning.message


def test_unknown_customers_count_as_distinct() -> None:
    ratings = [4, 5, 3, 4] * 10
    assert check_survey(ratings, customer_ids=[None] * 40) == ()
    with pytest.raises(ValueError, match="40 ratings but 3 customer ids"):
        check_survey(ratings, customer_ids=["a", "b", "c"])


def test_only_extremes() -> None:
    # 24 fives, 10 ones, 6 threes: 34 of 40 = 85% at the ends, 25% at the low end
    ratings = [5] * 24 + [1] * 10 + [3] * 6
    (warning,) = check_survey(ratings)
    assert warning.code == "polarised"
    assert warning.value == pytest.approx(0.85)


def test_many_fives_alone_is_not_polarised() -> None:
    # 90% fives is a happy team, not a self-selected one: the low end is empty
    ratings = [5] * 36 + [4] * 4
    assert check_survey(ratings) == ()


def test_every_check_can_fire_at_once() -> None:
    ratings = [5] * 10 + [1] * 3 + [3]
    customers = ["a"] * 10 + ["b", "c", "d", "e"]
    warnings = check_survey(ratings, customer_ids=customers, contacts=400)
    assert _codes(warnings) == [
        "too_few_responses",
        "low_response_rate",
        "few_customers",
        "polarised",
    ]


def test_empty_survey_only_says_too_few() -> None:
    assert _codes(check_survey([], contacts=0)) == ["too_few_responses", "low_response_rate"]
    with pytest.raises(ValueError, match="outside 1-5"):
        check_survey([7])


def _long(rows: list[tuple[str, str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent", "attribute", "rating", "importance"])


def test_csi_from_ratings_by_hand() -> None:
    # weights = mean stated importance: speed (4 + 2) / 2 = 3, courtesy (2 + 2) / 2 = 2
    # positions (r - 1) / 4 * 100: A speed 100, courtesy 50 -> (300 + 100) / 5 = 80
    #                              B speed 75, courtesy 0   -> (225 + 0) / 5   = 45
    #                              C speed 25, courtesy 100 -> (75 + 200) / 5  = 55
    # CSI = mean(80, 45, 55) = 60 = (3 x 66.67 + 2 x 50) / 5, the attribute formula
    frame = _long([
        ("A", "speed", 5, 4), ("A", "courtesy", 3, 2),
        ("B", "speed", 4, 2), ("B", "courtesy", 1, 2),
        ("C", "speed", 2, None), ("C", "courtesy", 5, None),
    ])  # fmt: skip
    result = csi_from_ratings(frame)
    assert result.index.estimate == pytest.approx(60)
    assert result.index.n == 3
    expected = mean_interval([80, 45, 55])
    assert (result.index.low, result.index.high) == pytest.approx((expected.low, expected.high))
    table = result.attributes.set_index("attribute")
    assert table.loc["speed", "satisfaction"] == pytest.approx(200 / 3)
    assert table.loc["courtesy", "satisfaction"] == pytest.approx(50)
    assert table.loc["speed", "importance"] == pytest.approx(3)
    assert table.loc["speed", "weight_share"] == pytest.approx(0.6)
    assert table.loc["courtesy", "n"] == 3
    assert result.respondents.to_dict() == pytest.approx({"A": 80, "B": 45, "C": 55})


def test_csi_from_ratings_weights_without_stated_importance() -> None:
    # no importance at all: every attribute weighs 1 -> the plain mean of positions
    frame = _long([("A", "speed", 5, None), ("A", "courtesy", 1, None)])
    assert csi_from_ratings(frame).index.estimate == pytest.approx(50)
    # one attribute weighted (3), the other not: it gets the mean stated weight (3)
    frame = _long([("A", "speed", 5, 3.0), ("A", "courtesy", 1, None)])
    assert importance_weights(frame) == {"speed": 3.0, "courtesy": 3.0}


def test_csi_from_ratings_skipped_attribute_leaves_the_denominator() -> None:
    # A rated speed only (100); B both, speed 2 (25) w 1 and courtesy 4 (75) w 3: 62.5
    frame = _long([("A", "speed", 5, 1), ("B", "speed", 2, 1), ("B", "courtesy", 4, 3)])
    result = csi_from_ratings(frame)
    assert result.index.estimate == pytest.approx((100 + 62.5) / 2)


def test_csi_from_ratings_empty_is_undefined() -> None:
    result = csi_from_ratings(_long([]))
    assert result.index.n == 0 and not result.index.defined
    assert result.attributes.empty


def test_csi_from_ratings_refuses_a_rating_off_the_scale() -> None:
    with pytest.raises(ValueError, match="not a rating on the 1-5 scale"):
        csi_from_ratings(_long([("A", "speed", 7, None)]))
