"""Tables in a PDF: formatted values, aligned columns, the header repeated on every page.

Numbers are formatted the way the report's language writes them (decimal comma and a real
minus sign in Russian, via :mod:`qa_app.i18n.numbers`) and right-aligned so digits line up;
text is left-aligned. fpdf2 breaks the table across pages and repeats the heading row.
A PDF table is a summary a person reads: a cell longer than :data:`MAX_CELL_CHARS` is cut
(the full text belongs in a CSV/XLSX export), so one row can never outgrow a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from typing import Any

from fpdf.fonts import FontFace

from qa_app.i18n.numbers import count, decimal
from qa_app.reports.pdf_canvas import Canvas, plain_text
from qa_app.reports.safe_cells import plain_value
from qa_app.reports.typeface import FAMILY

MAX_CELL_CHARS = 600
TABLE_FONT_PT = 8.5
MIN_COLUMN_MM, MAX_COLUMN_MM = 12, 70
WIDTH_SAMPLE_ROWS = 2_000
ALIGNMENTS = {"left": "LEFT", "right": "RIGHT", "center": "CENTER"}
MISSING = "—"


@dataclass(frozen=True)
class Column:
    """A table column: its (translated) title, and optionally the alignment ("left",
    "right", "center"; numbers default to right), a relative width, and decimals."""

    title: str
    align: str | None = None
    weight: float | None = None
    digits: int = 2

    def __post_init__(self) -> None:
        if self.align is not None and self.align not in ALIGNMENTS:
            raise ValueError(
                f"column {self.title!r}: align must be one of {sorted(ALIGNMENTS)}, "
                f"not {self.align!r}"
            )


def format_value(value: Any, lang: str, digits: int = 2, tz: tzinfo = UTC) -> str:
    """One cell as text for a reader: numbers in the language's style, dates as ISO."""
    value = plain_value(value, tz=tz)
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int):
        return count(value, lang)
    if isinstance(value, float | Decimal):
        return decimal(float(value), lang, digits)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date | time):
        return value.isoformat()
    text = plain_text(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def draw_table(
    pdf: Canvas,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    lang: str,
    tz: tzinfo,
) -> None:
    """Draw the table at the current position, full text width."""
    rows = [list(r) for r in rows]
    for number, row in enumerate(rows, start=1):
        if len(row) != len(columns):
            raise ValueError(
                f"table row {number} has {len(row)} values but there are {len(columns)} "
                f"columns ({', '.join(c.title for c in columns)})"
            )
    texts = [
        [format_value(v, lang, c.digits, tz) for v, c in zip(r, columns, strict=True)] for r in rows
    ]
    widths = _widths(pdf, columns, texts)
    pdf.set_font(FAMILY, "", TABLE_FONT_PT)
    with pdf.table(
        width=min(sum(widths), pdf.epw) if _natural(columns) else pdf.epw,
        align="LEFT",
        col_widths=tuple(widths),
        text_align=tuple(_alignments(columns, rows)),
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 238, 246)),
        cell_fill_color=(247, 248, 250),
        cell_fill_mode="ROWS",
        borders_layout="HORIZONTAL_LINES",
        line_height=TABLE_FONT_PT * 0.5,
        padding=(1, 1.5),
        markdown=False,
    ) as table:
        table.row([plain_text(c.title) for c in columns])
        for row in texts:
            table.row(row)
    pdf.ln(3)


def _alignments(columns: Sequence[Column], rows: list[list[Any]]) -> list[str]:
    aligned = []
    for index, column in enumerate(columns):
        if column.align:
            aligned.append(ALIGNMENTS[column.align])
            continue
        values = (plain_value(r[index]) for r in rows)
        first = next((v for v in values if v is not None), None)
        numeric = isinstance(first, int | float | Decimal) and not isinstance(first, bool)
        aligned.append("RIGHT" if numeric else "LEFT")
    return aligned


def _natural(columns: Sequence[Column]) -> bool:
    """True when widths come from the text (in mm), false when the caller gave weights."""
    return all(c.weight is None for c in columns)


def _widths(pdf: Canvas, columns: Sequence[Column], texts: list[list[str]]) -> list[float]:
    """The caller's weights when any column has one (1 for the others), spread over the
    page width; otherwise the widest text of the header and the first rows, kept between
    12 and 70 mm, so a narrow table stays narrow (fpdf2 shrinks a too-wide one to fit)."""
    if not _natural(columns):
        return [float(c.weight if c.weight is not None else 1.0) for c in columns]
    widths = []
    for index, column in enumerate(columns):
        pdf.set_font(FAMILY, "B", TABLE_FONT_PT)
        widest = pdf.get_string_width(plain_text(column.title))
        pdf.set_font(FAMILY, "", TABLE_FONT_PT)
        for row in texts[:WIDTH_SAMPLE_ROWS]:
            longest_line = max(row[index].split("\n"), key=len)
            widest = max(widest, pdf.get_string_width(longest_line))
        widths.append(min(max(widest + 4, MIN_COLUMN_MM), MAX_COLUMN_MM))
    return widths
