"""Ratings of items by raters, from the shapes the app has at hand.

The database gives a long table of ``(item, rater, value)`` records; spreadsheets and papers
give a reliability matrix (rows = raters, columns = items). Both become one ``Ratings``
object; ``None`` and NaN mean "not rated" (pass N/A grades as ``None``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Ratings", "RatingsLike", "as_ratings", "is_missing"]


def is_missing(value: Any) -> bool:
    """None and NaN (also numpy's, as pandas hands them over) mean "not rated"."""
    if value is None:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isnan(value)


@dataclass(frozen=True)
class Ratings:
    """Ratings by item: ``by_item[item][rater] = value``; missing ratings are absent."""

    by_item: Mapping[Hashable, Mapping[Hashable, Any]]

    @classmethod
    def from_records(cls, records: Iterable[Any]) -> Ratings:
        """From ``(item, rater, value)`` tuples, mappings with those keys, or a DataFrame."""
        if hasattr(records, "itertuples") and hasattr(records, "columns"):
            records = records[["item", "rater", "value"]].itertuples(index=False, name=None)
        table: dict[Hashable, dict[Hashable, Any]] = {}
        for record in records:
            if isinstance(record, Mapping):
                item, rater, value = record["item"], record["rater"], record["value"]
            else:
                item, rater, value = record
            if is_missing(value):
                continue
            if rater in table.setdefault(item, {}):
                raise ValueError(f"rater {rater!r} rated item {item!r} twice")
            table[item][rater] = value
        return cls(table)

    @classmethod
    def from_matrix(
        cls,
        matrix: Sequence[Sequence[Any]],
        raters: Sequence[Hashable] | None = None,
        items: Sequence[Hashable] | None = None,
    ) -> Ratings:
        """From a reliability matrix: one row per rater, one column per item."""
        rows = [list(row) for row in matrix]
        raters = list(raters) if raters is not None else list(range(len(rows)))
        width = max((len(row) for row in rows), default=0)
        items = list(items) if items is not None else list(range(width))
        if len(raters) != len(rows) or any(len(row) != len(items) for row in rows):
            raise ValueError("matrix shape does not match the rater and item labels")
        return cls.from_records(
            (item, rater, row[j])
            for rater, row in zip(raters, rows, strict=True)
            for j, item in enumerate(items)
        )

    @property
    def raters(self) -> tuple[Hashable, ...]:
        return tuple(dict.fromkeys(r for values in self.by_item.values() for r in values))

    def pairable(self) -> dict[Hashable, list[Any]]:
        """Values of the items rated at least twice: only those carry agreement information."""
        return {i: list(v.values()) for i, v in self.by_item.items() if len(v) >= 2}


RatingsLike = Ratings | Iterable[Any]


def as_ratings(data: RatingsLike) -> Ratings:
    """Accept a Ratings object, records or a DataFrame with item/rater/value columns."""
    return data if isinstance(data, Ratings) else Ratings.from_records(data)
