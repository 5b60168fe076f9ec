"""CSV and XLSX exports read back with the tools a lead would use (openpyxl, pandas, csv)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from openpyxl import load_workbook

from qa_app.reports import (
    EXCEL_RU,
    ExportInfo,
    ExportTooLarge,
    MetaLabels,
    Sheet,
    to_csv_bytes,
    to_xlsx_bytes,
    xlsx_export,
)

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
LABELS = MetaLabels(
    sheet="Сведения",
    exported_by="Выгрузил",
    exported_at="Время выгрузки",
    timezone="Часовой пояс",
    period="Период",
    filters="Фильтры",
)


@pytest.fixture
def scorecards() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agent": ["а.петрова", '=HYPERLINK("http://evil","click")', "i.smirnov"],
            "quality": [0.734, 0.5, 0.912],
            "offset": [-5, 3, 0],
            "reviews": [37, 12, 58],
            "last_review": pd.to_datetime(
                ["2026-03-02 06:15", "2026-03-03 10:00", "2026-03-04 21:30"]
            ).tz_localize("UTC"),
            "first_response_time": pd.to_timedelta([300, 90_000, 45], unit="s"),
        }
    )


def _info(**changes) -> ExportInfo:
    fields = {
        "title": "Карточки агентов / Scorecards",
        "exported_by": "lead@example.com",
        "exported_at": NOW,
        "labels": LABELS,
        "period": (date(2026, 3, 1), date(2026, 3, 31)),
        "filters": {"Команда": "Tier 1", "Поиск": "=cmd|'/c calc'!A0"},
    }
    return ExportInfo(**(fields | changes))


def test_xlsx_round_trip_keeps_values_types_and_layout(scorecards):
    sheets = [
        Sheet("Агенты", scorecards, formats={"quality": "percent"}),
        Sheet("Disputes", [{"id": 1, "status": "open"}, {"id": 2, "note": "@mention"}]),
    ]
    book = load_workbook(io.BytesIO(to_xlsx_bytes(sheets, _info())))
    assert book.sheetnames == ["Сведения", "Агенты", "Disputes"]

    agents = book["Агенты"]
    assert [c.value for c in agents[1]] == list(scorecards.columns)
    assert all(c.font.b for c in agents[1])
    assert agents.freeze_panes == "A2"
    assert agents.auto_filter.ref == "A1:F4"
    assert agents["A2"].value == "а.петрова"
    assert agents["A3"].value == '\'=HYPERLINK("http://evil","click")'
    assert agents["A3"].data_type == "s"  # text, never a formula
    assert agents["B2"].value == 0.734 and agents["B2"].number_format == "0.0%"
    assert agents["C2"].value == -5 and agents["C2"].data_type == "n"
    assert agents["D4"].value == 58
    assert agents["E2"].value == datetime(2026, 3, 2, 6, 15)  # UTC, shown without offset
    assert agents["E2"].is_date and agents["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert agents["F3"].value == timedelta(hours=25)
    assert 6 <= agents.column_dimensions["A"].width <= 60

    disputes = book["Disputes"]
    rows = [[c.value for c in row] for row in disputes.iter_rows()]
    assert rows == [["id", "status", "note"], [1, "open", None], [2, None, "'@mention"]]


def test_xlsx_metadata_sheet_says_who_when_period_and_filters(scorecards):
    moscow = ZoneInfo("Europe/Moscow")
    book = load_workbook(io.BytesIO(to_xlsx_bytes([scorecards], _info(), tz=moscow)))
    about = {row[0].value: [c.value for c in row[1:]] for row in book["Сведения"].iter_rows()}
    assert book["Сведения"]["A1"].value == "Карточки агентов / Scorecards"
    assert about["Выгрузил"][0] == "lead@example.com"
    assert about["Время выгрузки"][0] == datetime(2026, 3, 30, 12, 0)  # 09:00 UTC in Moscow
    assert about["Часовой пояс"][0] == "Europe/Moscow"
    assert about["Период"][:2] == [datetime(2026, 3, 1), datetime(2026, 3, 31)]
    assert "Фильтры" in about
    assert about["Команда"][0] == "Tier 1"
    assert about["Поиск"][0] == "'=cmd|'/c calc'!A0"
    assert book["Sheet1"]["E2"].value == datetime(2026, 3, 2, 9, 15)


def test_export_info_refuses_a_naive_time_and_a_backwards_period():
    with pytest.raises(ValueError, match="timezone-aware"):
        _info(exported_at=datetime(2026, 3, 30, 9, 0))
    with pytest.raises(ValueError, match="starts after it ends"):
        _info(period=(date(2026, 4, 1), date(2026, 3, 1)))


def test_xlsx_without_metadata_and_with_an_empty_table():
    empty = pd.DataFrame({"agent": pd.Series([], dtype=object), "score": []})
    book = load_workbook(io.BytesIO(to_xlsx_bytes([Sheet("Empty", empty)])))
    assert book.sheetnames == ["Empty"]
    assert [[c.value for c in r] for r in book["Empty"].iter_rows()] == [["agent", "score"]]


def test_xlsx_refuses_more_rows_than_excel_holds(monkeypatch):
    monkeypatch.setattr(xlsx_export, "MAX_DATA_ROWS", 2)
    with pytest.raises(ExportTooLarge, match="'Big' has 3 rows") as caught:
        to_xlsx_bytes([Sheet("Big", [{"a": 1}, {"a": 2}, {"a": 3}])])
    assert (caught.value.sheet, caught.value.rows) == ("Big", 3)


def test_csv_round_trip_through_pandas_keeps_values(scorecards):
    data = to_csv_bytes(scorecards)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Russian Excel needs
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(scorecards.columns)
    assert back["agent"].tolist() == [
        "а.петрова",
        '\'=HYPERLINK("http://evil","click")',
        "i.smirnov",
    ]
    assert back["quality"].tolist() == [0.734, 0.5, 0.912]
    assert back["offset"].tolist() == [-5, 3, 0]  # negative numbers unquoted, unprefixed
    assert back["last_review"].tolist()[0] == "2026-03-02 06:15:00"
    assert back["first_response_time"].tolist() == ["0:05:00", "25:00:00", "0:00:45"]


def test_csv_quotes_delimiters_quotes_and_line_breaks_so_no_value_spills():
    rows = [{"text": 'a,b;"c"\nnext line', "n": 1}, {"text": "x,=1+2", "n": -2}]
    data = to_csv_bytes(rows)
    assert data.count(b"\r\n") == 3  # header + 2 rows; the inner \n stays inside quotes
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed == [["text", "n"], ['a,b;"c"\nnext line', "1"], ["x,=1+2", "-2"]]


def test_csv_in_the_russian_excel_dialect(scorecards):
    data = to_csv_bytes(Sheet("x", scorecards), **EXCEL_RU)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].split(";")[:3] == ["agent", "quality", "offset"]
    assert lines[1].split(";")[:3] == ["а.петрова", "0,734", "-5"]
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["quality"].tolist() == [0.734, 0.5, 0.912]


def test_csv_refuses_the_same_delimiter_and_decimal_mark():
    with pytest.raises(ValueError, match="both ','"):
        to_csv_bytes([{"a": 1.5}], delimiter=",", decimal=",")


def test_list_of_dicts_columns_are_the_union_in_first_seen_order():
    rows = [{"b": 1}, {"a": 2, "b": 3}, {"c": None}]
    lines = to_csv_bytes(rows).decode("utf-8-sig").split("\r\n")
    assert lines[:4] == ["b,a,c", "1,,", "3,2,", ",,"]
