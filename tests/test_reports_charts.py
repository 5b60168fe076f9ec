"""Chart images: PNGs of the right size, repeatable, literal labels, no global side effects."""

from __future__ import annotations

import io
import struct
from datetime import date, timedelta

import matplotlib
import pytest
from PIL import Image

from qa_app.reports import criteria_chart, histogram_chart, trend_chart

WEEKS = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(10)]
SCORES = [0.70, 0.72, None, 0.75, 0.74, 0.78, 0.77, 0.80, 0.79, 0.81]


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", png[16:24])


def _trend(**options) -> bytes:
    lower = [None if v is None else v - 0.04 for v in SCORES]
    upper = [None if v is None else v + 0.04 for v in SCORES]
    return trend_chart(WEEKS, SCORES, lower, upper, **options)


def test_each_helper_returns_a_png_of_the_page_width():
    trend = _trend(
        title="Оценка по неделям",
        band_label="95% интервал",
        target=0.8,
        target_label="Цель",
        lang="ru",
        percent=True,
    )
    histogram = histogram_chart(
        [0.5, 0.61, 0.7, 0.72, 0.9],
        bins=5,
        value_range=(0, 1),
        x_label="Оценка",
        y_label="Разговоры",
    )
    bars = criteria_chart(
        ["Приветствие", "Эмпатия", "Решение"],
        [0.9, 0.6, 0.7],
        [0.85, 0.5, 0.62],
        [0.95, 0.7, 0.78],
        targets=[0.9, 0.8, None],
        target_label="Цель",
    )
    assert _size(trend) == _size(histogram) == (1050, 450)
    width, height = _size(bars)
    assert width == 1050 and height >= 450


def test_a_chart_has_ink_where_the_data_is():
    """Not a blank canvas: the primary colour is present in the rendered pixels."""
    image = Image.open(io.BytesIO(histogram_chart([0.2, 0.5, 0.5, 0.8]))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert (0x2F, 0x6F, 0xB3) in colours


def test_many_criteria_get_a_taller_image():
    labels = [f"Критерий {i}" for i in range(20)]
    values = [0.5] * 20
    assert _size(criteria_chart(labels, values, values, values))[1] > 450 * 1.5


def test_same_data_gives_the_same_bytes():
    assert _trend(title="x") == _trend(title="x")
    assert _trend(title="x") != _trend(title="y")


def test_dollar_signs_in_labels_are_text_not_mathtext():
    # With mathtext on, "$\\frac{" is a parse error and matplotlib raises on drawing.
    hostile = "Cost $5 \\frac{ $\\undefined{"
    png = criteria_chart([hostile], [0.5], [0.4], [0.6], title=hostile, x_label=hostile)
    assert _size(png)[0] == 1050
    assert _size(_trend(title=hostile, y_label=hostile))[0] == 1050


def test_global_matplotlib_settings_are_left_alone():
    before = dict(matplotlib.rcParams)
    _trend(title="x")
    assert dict(matplotlib.rcParams) == before


def test_string_periods_and_empty_data_work():
    assert _size(trend_chart(["W10", "W11", "W12"], [0.7, 0.8, 0.75]))[0] == 1050
    assert _size(trend_chart([], []))[0] == 1050
    assert _size(histogram_chart([]))[0] == 1050
    assert _size(criteria_chart([], [], [], []))[0] == 1050


def test_series_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length; got periods=3, values=2"):
        trend_chart(["a", "b", "c"], [1, 2])
    with pytest.raises(ValueError, match="positions=2, targets=1"):
        criteria_chart(["a", "b"], [1, 2], [0, 1], [2, 3], targets=[0.5])
