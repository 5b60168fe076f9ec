"""Formula neutralisation and cell cleaning: the one function every writer relies on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from qa_app.reports import FORMULA_TRIGGERS, clean_text, neutralise_formula, safe_cell
from qa_app.reports.sheet_names import unique_sheet_names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+7 999 123-45-67", "'+7 999 123-45-67"),
        ("-5", "'-5"),  # text, not a number: whoever typed it is not us
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"),
        ("\r=1+2", "'\r=1+2"),
        ("\n=1+2", "'\n=1+2"),
        ('   =HYPERLINK("http://x")', '\'   =HYPERLINK("http://x")'),
        ("\u00a0-2+3", "'\u00a0-2+3"),  # a non-breaking space is whitespace too
        ("=", "'="),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_each_dangerous_start_is_made_inert(text, expected):
    assert safe_cell(text) == expected
    assert neutralise_formula(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте, чем могу помочь?",
        "Hello, how can I help?",
        "a.petrova@example.com",  # @ inside is harmless; only a leading one starts a formula
        "1+1=2",
        "'=already quoted",
        "",
        "   plain text after spaces",
        "C-3PO",
    ],
)
def test_normal_text_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-5, -0.25, -1e-9, 0, 3, 2.5, Decimal("-1.50")])
def test_real_numbers_stay_numbers_even_negative(number):
    value = safe_cell(number)
    assert value == number
    assert type(value) is type(number)


def test_numpy_and_pandas_scalars_become_plain_python_values():
    assert safe_cell(np.int64(-7)) == -7 and type(safe_cell(np.int64(-7))) is int
    assert type(safe_cell(np.float32(0.5))) is float
    assert safe_cell(np.bool_(True)) is True
    assert safe_cell(np.datetime64("2026-03-02T09:15")) == datetime(2026, 3, 2, 9, 15)
    assert safe_cell(pd.Timedelta(minutes=5)) == timedelta(minutes=5)


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NaT, pd.NA])
def test_missing_values_become_empty_cells(missing):
    assert safe_cell(missing) is None


def test_infinity_becomes_text_that_is_not_a_formula():
    assert safe_cell(float("inf")) == "∞"
    assert safe_cell(float("-inf")) == "\u2212∞"  # a real minus sign, not the "-" trigger


def test_aware_datetimes_are_shown_in_the_export_zone_without_offset():
    moment = datetime(2026, 3, 2, 6, 15, tzinfo=UTC)
    assert safe_cell(moment) == datetime(2026, 3, 2, 6, 15)
    assert safe_cell(moment, tz=ZoneInfo("Europe/Moscow")) == datetime(2026, 3, 2, 9, 15)
    assert safe_cell(pd.Timestamp(moment)) == datetime(2026, 3, 2, 6, 15)
    assert safe_cell(date(2026, 3, 2)) == date(2026, 3, 2)


def test_collections_are_joined_and_sets_sorted_so_output_is_repeatable():
    assert safe_cell(["billing", "refund"]) == "billing, refund"
    assert safe_cell({"refund", "billing"}) == "billing, refund"
    assert safe_cell(["=x", "y"]) == "'=x, y"  # the joined text is neutralised too


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b", "a\ufffdb"),
        ("bell\x07", "bell\ufffd"),
        ("vt\x0bff\x0c", "vt\ufffdff\ufffd"),
        ("esc\x1b[31m", "esc\ufffd[31m"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("non-char \ufffe\uffff", "non-char \ufffd\ufffd"),
        ("tab\tline\nreturn\r", "tab\tline\nreturn\r"),  # the three XML allows stay
    ],
    ids=repr,
)
def test_characters_openpyxl_refuses_are_replaced_visibly(raw, expected):
    assert clean_text(raw) == expected
    Workbook().active["A1"] = clean_text(raw)  # openpyxl accepts the result


def test_long_text_is_cut_to_the_requested_length_with_an_ellipsis():
    value = safe_cell("x" * 40_000, max_length=32_767)
    assert len(value) == 32_767 and value.endswith("…")


@given(st.text())
def test_no_text_ever_leaves_starting_a_formula_or_refused_by_openpyxl(text):
    value = safe_cell(text)
    assert not value.lstrip().startswith(FORMULA_TRIGGERS) or value.startswith("'")
    Workbook().active["A1"] = value  # raises IllegalCharacterError if anything slipped


def test_sheet_names_follow_excel_rules():
    names = unique_sheet_names(
        ["Agents", "agents", "History", "a/b:c?*[d]", "", "'quoted'", "x" * 40, "Команда\x00"]
    )
    assert names == [
        "Agents",
        "agents (2)",
        "History (2)",
        "a_b_c___d_",
        "Sheet5",
        "quoted",
        "x" * 31,
        "Команда_",
    ]
    assert all(0 < len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
