"""Hostile transcript text never crashes an export, and what comes out is still readable."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from qa_app.reports import (
    Column,
    ExportInfo,
    KeyFigure,
    MetaLabels,
    PdfReport,
    Sheet,
    criteria_chart,
    histogram_chart,
    to_csv_bytes,
    to_xlsx_bytes,
)

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
HOSTILE = {
    "nul": "before\x00after",
    "controls": "bell\x07 esc\x1b[2J vt\x0b ff\x0c",
    "cr": "line one\rline two\r\n=1+2",
    "lone_surrogate": "broken \ud83d half emoji",
    "non_characters": "\ufffe\uffff",
    "long_word": "Ж" * 5_000,
    "emoji": "Спасибо 😀👍🏽 🧑\u200d💻 🇷🇺",
    "rtl_override": "invoice_\u202egpj.exe and \u2067isolate\u2069",
    "formula": '=HYPERLINK("http://evil","click")',
    "braces": "{nb} {page} {} {0} %s",
    "markup": "<script>alert(1)</script> **x** $\\frac{",
    "only_spaces": "   \t  ",
    "zero_width": "\u200b\u200c\u200d\ufeff",
}
ALL_HOSTILE = list(HOSTILE.values())


def _labels(text: str) -> MetaLabels:
    return MetaLabels(text, text, text, text, text, text)


@pytest.mark.parametrize("name", HOSTILE)
def test_xlsx_survives_and_reads_back(name):
    text = HOSTILE[name]
    info = ExportInfo(
        title=text,
        exported_by=text,
        exported_at=NOW,
        labels=_labels(text),
        period=(date(2026, 3, 1), date(2026, 3, 31)),
        filters={text: text},
    )
    sheets = [Sheet(text, [{"comment": text, text: 1}]), Sheet(text, [{"x": text}])]
    book = load_workbook(io.BytesIO(to_xlsx_bytes(sheets, info)))
    assert len(book.sheetnames) == 3
    cell = book.worksheets[1]["A2"].value
    assert cell is None or len(cell) <= 32_767
    assert book.worksheets[1]["A2"].data_type in {"s", "n"}  # never "f", a formula


@pytest.mark.parametrize("name", HOSTILE)
def test_csv_survives_and_parses_back_to_one_row(name):
    text = HOSTILE[name]
    data = to_csv_bytes([{"comment": text, "n": 1}])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2 and rows[1][1] == "1"


def test_pdf_with_every_hostile_string_in_every_element():
    report = PdfReport(generated_at=NOW, author=HOSTILE["nul"])
    for text in ALL_HOSTILE:
        report.title(text)
        report.subtitle(text)
        report.heading(text, level=2)
        report.paragraph(text)
    report.key_figures([KeyFigure(t, t, t) for t in ALL_HOSTILE])
    report.table([Column(t) for t in ALL_HOSTILE[:4]], [ALL_HOSTILE[i : i + 4] for i in range(9)])
    report.image(histogram_chart([0.1, 0.5], title=HOSTILE["emoji"], x_label=HOSTILE["nul"]))
    report.image(
        criteria_chart(
            ALL_HOSTILE,
            [0.5] * len(HOSTILE),
            [0.4] * len(HOSTILE),
            [0.6] * len(HOSTILE),
            title=HOSTILE["rtl_override"],
        )
    )
    reader = PdfReader(io.BytesIO(report.to_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "before\ufffdafter" in text  # NUL shown as a visible replacement, not dropped
    assert "invoice_gpj.exe" in text  # the override is gone: text in the order typed
    assert "\u202e" not in text
    assert "<script>alert(1)</script>" in text


def test_a_50_000_character_word_wraps_instead_of_failing():
    word = "Ж" * 50_000
    report = PdfReport(generated_at=NOW)
    report.paragraph(word)
    report.table(["Comment", "n"], [[word, 1]])
    pages = PdfReader(io.BytesIO(report.to_bytes())).pages
    assert len(pages) > 5  # the paragraph wrapped over many pages
    assert "…" in pages[-1].extract_text()  # the table cell was cut, not the document
