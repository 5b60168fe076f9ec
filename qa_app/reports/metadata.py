"""Who exported what, when, for which period and filters: the first sheet of a workbook.

An export outlives the screen it came from; a lead who finds "scorecards.xlsx" in a mail
a month later must be able to tell what it shows. The labels are passed in, already
translated by the caller through the i18n catalogue, because this layer renders text and
never chooses a language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class MetaLabels:
    """Translated labels of the metadata sheet (e.g. ``t("reports.meta.sheet", lang)``)."""

    sheet: str
    exported_by: str
    exported_at: str
    timezone: str
    period: str
    filters: str


@dataclass(frozen=True)
class ExportInfo:
    """What the metadata sheet says. ``exported_at`` is the injected ``now``, timezone-aware
    (a naive time would be a guess about where the export happened)."""

    title: str
    exported_by: str
    exported_at: datetime
    labels: MetaLabels
    period: tuple[date, date] | None = None
    filters: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.exported_at.tzinfo is None:
            raise ValueError(
                "ExportInfo.exported_at must be timezone-aware (got a naive datetime); "
                "pass the injected now, e.g. datetime.now(UTC)"
            )
        if self.period is not None and self.period[0] > self.period[1]:
            raise ValueError(
                f"ExportInfo.period starts after it ends: {self.period[0]} > {self.period[1]}"
            )
