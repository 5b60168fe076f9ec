"""Exports: CSV, XLSX and PDF, for scorecards, the team report, mystery-shopper reports and
review exports. Services build the rows and the translated labels; this package writes
bytes (for ``st.download_button`` or a CLI ``--output`` file) and never touches the
database, the session or the UI.

Safety is built in rather than left to callers: every spreadsheet cell passes through
:func:`safe_cell` (formula injection, characters openpyxl refuses) and every PDF string is
drawn as plain text.

The PDF and chart names load fpdf2 and matplotlib on first use (about a second), so a page
that only offers a CSV download does not pay for them.
"""

from __future__ import annotations

import importlib
from typing import Any

from qa_app.reports.csv_export import EXCEL_RU, to_csv_bytes
from qa_app.reports.metadata import ExportInfo, MetaLabels
from qa_app.reports.safe_cells import (
    FORMULA_TRIGGERS,
    clean_text,
    neutralise_formula,
    safe_cell,
    safe_text,
)
from qa_app.reports.tables import NUMBER_FORMATS, Sheet
from qa_app.reports.xlsx_export import ExportTooLarge, to_xlsx_bytes

_LAZY = {
    "PdfReport": "qa_app.reports.pdf_document",
    "KeyFigure": "qa_app.reports.pdf_document",
    "Column": "qa_app.reports.pdf_table",
    "trend_chart": "qa_app.reports.charts",
    "histogram_chart": "qa_app.reports.charts",
    "criteria_chart": "qa_app.reports.charts",
}

__all__ = [
    "EXCEL_RU",
    "FORMULA_TRIGGERS",
    "NUMBER_FORMATS",
    "Column",
    "ExportInfo",
    "ExportTooLarge",
    "KeyFigure",
    "MetaLabels",
    "PdfReport",
    "Sheet",
    "clean_text",
    "criteria_chart",
    "histogram_chart",
    "neutralise_formula",
    "safe_cell",
    "safe_text",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "trend_chart",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'qa_app.reports' has no attribute {name!r}")
