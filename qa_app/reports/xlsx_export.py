"""XLSX export with openpyxl: several sheets, a metadata sheet first, typed cells.

Why openpyxl's write-only mode: a review export can hold a hundred thousand rows, and the
normal mode keeps every cell object in memory; write-only streams rows and still supports
what a reader needs here (bold frozen header, column widths, number formats, autofilter).
Widths are therefore measured on the first rows before any row is written.

Text is neutralised like CSV text. Inside XLSX only a string starting with "=" would become
a formula (openpyxl stores it as one), but every trigger is prefixed anyway, so a cell stays
inert when someone edits it in Excel or saves the sheet as CSV.

Cells keep their type (numbers, dates, durations) so a lead can sort and sum; percentages
are fractions shown with a ``0.0%`` format, so 0.734 sums and averages like a number.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from qa_app.reports.metadata import ExportInfo
from qa_app.reports.safe_cells import EXCEL_CELL_LIMIT, safe_cell, safe_text
from qa_app.reports.sheet_names import unique_sheet_names
from qa_app.reports.tables import NUMBER_FORMATS, Sheet, TableData, as_sheet, columns_of, rows_of

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: Excel's grid: 1,048,576 rows (one is the header) and 16,384 columns.
MAX_DATA_ROWS = 1_048_575
MAX_COLUMNS = 16_384
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF6")
_TYPE_FORMATS = (  # datetime before date: a datetime is also a date
    (datetime, NUMBER_FORMATS["datetime"]),
    (date, NUMBER_FORMATS["date"]),
    (time, "hh:mm:ss"),
    (timedelta, NUMBER_FORMATS["duration"]),
)


class ExportTooLarge(ValueError):
    """The table does not fit Excel's grid; services turn this into a translated message
    (and can offer CSV, which has no such limit)."""

    def __init__(self, sheet: str, rows: int, columns: int) -> None:
        super().__init__(
            f"sheet {sheet!r} has {rows:,} rows and {columns:,} columns; Excel holds at most "
            f"{MAX_DATA_ROWS:,} rows below the header and {MAX_COLUMNS:,} columns"
        )
        self.sheet, self.rows, self.columns = sheet, rows, columns


def to_xlsx_bytes(
    tables: Sequence[Sheet | TableData], info: ExportInfo | None = None, *, tz: tzinfo = UTC
) -> bytes:
    """A workbook with the metadata sheet (when ``info`` is given) and one sheet per table.

    Aware datetimes are shown in ``tz``; the metadata sheet names it.
    """
    sheets = [as_sheet(t, name=f"Sheet{i + 1}") for i, t in enumerate(tables)]
    for sheet in sheets:
        _check_size(sheet)
    wanted = ([info.labels.sheet] if info else []) + [s.name for s in sheets]
    names = iter(unique_sheet_names(wanted))
    workbook = Workbook(write_only=True)
    if info:
        _write_info(workbook.create_sheet(next(names)), info, tz)
    for sheet in sheets:
        _write_table(workbook.create_sheet(next(names)), sheet, tz)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_size(sheet: Sheet) -> None:
    rows, columns = len(sheet.data), len(columns_of(sheet.data))
    if rows > MAX_DATA_ROWS or columns > MAX_COLUMNS:
        raise ExportTooLarge(sheet.name, rows, columns)


def _write_table(ws: WriteOnlyWorksheet, sheet: Sheet, tz: tzinfo) -> None:
    columns = columns_of(sheet.data)
    formats = [sheet.number_format(c) for c in columns]
    sample = itertools.islice(rows_of(sheet.data, columns), WIDTH_SAMPLE_ROWS)
    for index, width in enumerate(_widths(columns, sample, formats, tz), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(sheet.data) + 1}"
    ws.append([_header_cell(ws, c) for c in columns])
    for row in rows_of(sheet.data, columns):
        ws.append([_cell(ws, v, f, tz) for v, f in zip(row, formats, strict=True)])


def _header_cell(ws: WriteOnlyWorksheet, name: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe_text(name, EXCEL_CELL_LIMIT))
    cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    return cell


def _cell(ws: WriteOnlyWorksheet, value: Any, number_format: str | None, tz: tzinfo) -> Any:
    """A plain value when the default look is right (fast), a styled cell otherwise."""
    value = safe_cell(value, tz=tz, max_length=EXCEL_CELL_LIMIT)
    if value is None or isinstance(value, str):
        return value
    number_format = number_format or _type_format(value)
    if number_format is None:
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def _type_format(value: Any) -> str | None:
    return next((f for kind, f in _TYPE_FORMATS if isinstance(value, kind)), None)


def _widths(columns: list[str], sample: Any, formats: list[str | None], tz: tzinfo) -> list[int]:
    """Character widths from the header and the first rows, kept between 6 and 60."""
    widths = [len(c) + 2 for c in columns]  # + room for the autofilter button
    for row in sample:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _display_length(safe_cell(value, tz=tz), formats[i]))
    return [min(max(w + 1, MIN_WIDTH), MAX_WIDTH) for w in widths]


def _display_length(value: Any, number_format: str | None) -> int:
    if value is None:
        return 0
    if number_format == NUMBER_FORMATS["percent"]:
        return 7  # "100.0%"
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=len(text))


def _write_info(ws: WriteOnlyWorksheet, info: ExportInfo, tz: tzinfo) -> None:
    """Title, who, when, time zone, period and filters: label in A, value in B (and C)."""
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 14
    labels = info.labels
    title = WriteOnlyCell(ws, value=safe_text(info.title, EXCEL_CELL_LIMIT))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([])
    ws.append([_label(ws, labels.exported_by), safe_text(info.exported_by)])
    ws.append([_label(ws, labels.exported_at), _cell(ws, info.exported_at, None, tz)])
    ws.append([_label(ws, labels.timezone), safe_text(str(tz))])
    if info.period:
        start, end = (_cell(ws, d, None, tz) for d in info.period)
        ws.append([_label(ws, labels.period), start, end])
    if info.filters:
        ws.append([_label(ws, labels.filters)])
        for name, value in info.filters.items():
            ws.append([safe_text(str(name)), safe_cell(value, tz=tz, max_length=EXCEL_CELL_LIMIT)])


def _label(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe_text(text))
    cell.font = _HEADER_FONT
    return cell
