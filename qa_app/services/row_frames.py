"""Query rows as pandas frames without the per-row costs that dominate at 100,000 rows.

Shared by the areas that aggregate in pandas (scorecards, coaching): pandas inspects each
SQLAlchemy ``Row`` when handed them directly, and the aware-datetime column type converts
timestamps one by one; building the frame column by column and parsing timestamps read as
text in one vectorised step costs a fraction of either.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def rows_frame(rows: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    """Rows as a frame, column by column, with column types inferred once."""
    data = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    frame = pd.DataFrame(
        {c: pd.Series(v, dtype=object) for c, v in zip(columns, data, strict=True)}
    )
    return frame.infer_objects()


def utc_times(values: Sequence) -> pd.Series:
    """Timestamps read as text (``type_coerce(column, String)``) as aware UTC datetimes:
    SQLite stores them without a zone (UTC by the storage layer's rule), PostgreSQL with
    one; both parse in a single step."""
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
