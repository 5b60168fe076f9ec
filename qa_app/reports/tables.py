"""The one shape every writer reads: named columns and rows of plain values.

Services hand over pandas DataFrames or lists of dicts (whatever they already have); this
module turns both into ``(columns, rows)`` so the CSV, XLSX and PDF writers do not each
learn pandas. The DataFrame index is not exported: call ``reset_index()`` when it matters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

TableData = pd.DataFrame | Sequence[Mapping[str, Any]]

#: Column kinds a caller can name instead of an Excel number-format code.
NUMBER_FORMATS = {
    "percent": "0.0%",  # the value is a fraction: 0.734 shows as 73.4%
    "integer": "0",
    "decimal": "0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "duration": "[h]:mm:ss",
    "text": "@",
}


@dataclass(frozen=True)
class Sheet:
    """One table to export: a sheet in XLSX, the whole file in CSV.

    ``formats`` maps a column name to a kind from :data:`NUMBER_FORMATS` (or an Excel
    format code); percentages are the one kind that cannot be guessed from the values.
    """

    name: str
    data: TableData
    formats: Mapping[str, str] = field(default_factory=dict)

    def number_format(self, column: str) -> str | None:
        kind = self.formats.get(column)
        return NUMBER_FORMATS.get(kind, kind) if kind else None


def as_sheet(table: Sheet | TableData, name: str = "Data") -> Sheet:
    """``table`` as a :class:`Sheet` (a bare DataFrame or list gets ``name``)."""
    return table if isinstance(table, Sheet) else Sheet(name=name, data=table)


def columns_of(data: TableData) -> list[str]:
    """Column names in order: the DataFrame's, or every dict key in first-seen order."""
    if isinstance(data, pd.DataFrame):
        return [str(c) for c in data.columns]
    seen: dict[str, None] = {}
    for record in data:
        seen.update((str(k), None) for k in record)
    return list(seen)


def rows_of(data: TableData, columns: Sequence[str]) -> Iterator[list[Any]]:
    """Each row's values in ``columns`` order; a key missing from a dict is ``None``."""
    if isinstance(data, pd.DataFrame):
        for row in data.itertuples(index=False, name=None):
            yield list(row)
        return
    for record in data:
        by_name = {str(k): v for k, v in record.items()}
        yield [by_name.get(c) for c in columns]
