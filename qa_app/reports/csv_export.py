"""CSV export: UTF-8 with a byte-order mark, RFC 4180 quoting, formula-safe cells.

Why the BOM: Excel on Windows opens a double-clicked CSV in the system's ANSI code page
(cp1251 in Russia) unless the file starts with the UTF-8 byte-order mark EF BB BF, and
Cyrillic then shows as mojibake ("РџСЂРёРІРµС‚"). With the mark it reads UTF-8. pandas
(``encoding="utf-8-sig"``), LibreOffice and Python's csv module all accept it, and our own
importer reads UTF-8 with BOM too (DESIGN.md, import formats).

Why a delimiter and a decimal option: Russian Excel uses ";" as the list separator and ","
as the decimal mark, so a comma-separated file opens as a single column there. Callers pick
``delimiter=";", decimal=","`` for Russian users (see :data:`EXCEL_RU`); the default is the
comma dialect that every other tool expects.

Quoting (fields with a delimiter, quote or line break are wrapped in double quotes, inner
quotes doubled) is Python's csv module, so a value cannot spill into the next cell: the
half of OWASP's advice that :mod:`qa_app.reports.safe_cells` does not cover.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from qa_app.reports.safe_cells import safe_cell, safe_text
from qa_app.reports.tables import Sheet, TableData, as_sheet, columns_of, rows_of

#: The dialect Russian Excel opens with a double click.
EXCEL_RU = {"delimiter": ";", "decimal": ","}


def to_csv_bytes(
    table: Sheet | TableData,
    *,
    delimiter: str = ",",
    decimal: str = ".",
    tz: tzinfo = UTC,
) -> bytes:
    """The table as CSV bytes (BOM, CRLF line ends), ready for a download or a file."""
    if delimiter == decimal:
        raise ValueError(f"delimiter and decimal mark are both {delimiter!r}; pick two")
    sheet = as_sheet(table)
    columns = columns_of(sheet.data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_text(c) for c in columns])
    for row in rows_of(sheet.data, columns):
        writer.writerow([_field(v, decimal, tz) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _field(value: Any, decimal: str, tz: tzinfo) -> str:
    cell = safe_cell(value, tz=tz)
    if cell is None:
        return ""
    if isinstance(cell, bool | int | str):
        return str(cell)
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="seconds")
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, timedelta):
        return _duration(cell)
    return str(cell).replace(".", decimal)  # float or Decimal


def _duration(value: timedelta) -> str:
    """ "H:MM:SS", hours past 24 allowed: what Excel reads as a duration."""
    seconds = round(value.total_seconds())
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
