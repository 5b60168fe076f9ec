"""A small document API for PDF reports: scorecards, the team report, mystery-shopper
visits. Callers say *what* goes on the page (title, key figures, a table, a chart) and this
module decides *how* it looks, so every report shares one layout.

Every text argument is drawn as plain text: nothing is read as Markdown, HTML or a page
alias, so a customer's "**urgent**" or "<b>" appears exactly as typed. Labels arrive already
translated; numbers in tables follow ``lang``.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from qa_app.reports.pdf_canvas import BLACK, GREY, Canvas, plain_text
from qa_app.reports.pdf_table import Column, draw_table
from qa_app.reports.typeface import FAMILY

DEFAULT_FOOTER = "{page} / {pages} · {generated}"
KEEP_WITH_NEXT_MM = 35  # a heading this close to the bottom moves to the next page
MAX_BOX_TEXT = 200
BOX_GAP_MM, BOX_PAD_MM = 4, 3
BOXES_PER_ROW = 4


@dataclass(frozen=True)
class KeyFigure:
    """One headline number: ``KeyFigure("Quality score", "77%", "n = 37, 95% CI 71–83")``."""

    label: str
    value: str
    caption: str = ""


class PdfReport:
    """Build a report top to bottom, then call :meth:`to_bytes`.

    ``generated_at`` is the injected ``now`` (timezone-aware); it is printed in every
    footer (in ``tz``) and stored as the PDF's creation date, so the same inputs give the
    same bytes. ``footer`` is a translated template with ``{page}``, ``{pages}`` and
    ``{generated}``.
    """

    def __init__(
        self,
        *,
        generated_at: datetime,
        lang: str = "en",
        footer: str = DEFAULT_FOOTER,
        tz: tzinfo = UTC,
        author: str = "",
        landscape: bool = False,
    ) -> None:
        if generated_at.tzinfo is None:
            raise ValueError("PdfReport: generated_at must be timezone-aware (the injected now)")
        self.lang, self.tz = lang, tz
        self._pdf = Canvas(
            footer_template=footer, generated_at=generated_at, tz=tz, landscape=landscape
        )
        self._pdf.set_lang(lang)
        self._pdf.set_creator("QA Studio")
        if author:
            self._pdf.set_author(plain_text(author))
        self._pdf.add_page()
        self._output: bytes | None = None

    def title(self, text: str) -> None:
        """The report's title; the first one also becomes the PDF's document title."""
        if not self._pdf.title:
            self._pdf.set_title(plain_text(text))
        self._write(text, size=18, bold=True, line=8.5, after=1)

    def subtitle(self, text: str) -> None:
        self._write(text, size=11, line=5.5, after=4, colour=GREY)

    def heading(self, text: str, level: int = 1) -> None:
        """A section heading; it never sits alone at the bottom of a page."""
        if self._pdf.get_y() > self._pdf.page_break_trigger - KEEP_WITH_NEXT_MM:
            self._pdf.add_page()
        self._pdf.ln(3 if level == 1 else 1.5)
        self._write(text, size=13 if level == 1 else 11, bold=True, line=6.5, after=1.5)

    def paragraph(self, text: str) -> None:
        self._write(text, size=10, line=5, after=2.5)

    def key_figures(self, figures: Sequence[KeyFigure]) -> None:
        """Boxes with a label, a large value and a caption (sample size, interval),
        up to four in a row."""
        for start in range(0, len(figures), BOXES_PER_ROW):
            self._box_row(figures[start : start + BOXES_PER_ROW])
        self._pdf.ln(3)

    def table(self, columns: Sequence[Column | str], rows: Iterable[Sequence[Any]]) -> None:
        """A table that breaks across pages with its header repeated."""
        columns = [c if isinstance(c, Column) else Column(c) for c in columns]
        draw_table(self._pdf, columns, rows, self.lang, self.tz)

    def image(self, png: bytes, *, width_mm: float | None = None, caption: str = "") -> None:
        """A PNG (e.g. from :mod:`qa_app.reports.charts`), centred, moved whole to the next
        page when it does not fit, and shrunk when it is taller than a page."""
        pdf = self._pdf
        pixels_w, pixels_h = _png_size(png)
        width = min(width_mm or pdf.epw, pdf.epw)
        height = width * pixels_h / pixels_w
        page_height = pdf.page_break_trigger - pdf.t_margin
        if height > page_height:
            width, height = width * page_height / height, page_height
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        pdf.image(
            io.BytesIO(png),
            x=pdf.l_margin + (pdf.epw - width) / 2,
            y=top,
            w=width,
            alt_text=plain_text(caption) or None,
        )
        pdf.set_y(top + height + 1)
        if caption:
            self._write(caption, size=8, line=4, after=3, colour=GREY, align="C")

    def page_break(self) -> None:
        self._pdf.add_page()

    @property
    def page_count(self) -> int:
        return self._pdf.page_no()

    def to_bytes(self) -> bytes:
        """The finished PDF. Further drawing is not possible after this."""
        if self._output is None:
            self._output = bytes(self._pdf.output())
        return self._output

    def _write(
        self,
        text: str,
        *,
        size: float,
        line: float,
        after: float,
        bold: bool = False,
        colour: tuple[int, int, int] = BLACK,
        align: str = "L",
    ) -> None:
        pdf = self._pdf
        pdf.set_font(FAMILY, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, line, plain_text(text), align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*BLACK)
        pdf.ln(after)

    def _box_row(self, figures: Sequence[KeyFigure]) -> None:
        pdf = self._pdf
        width = (pdf.epw - BOX_GAP_MM * (len(figures) - 1)) / len(figures)
        height = max(self._box_height(f, width) for f in figures)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        for index, figure in enumerate(figures):
            self._box(figure, pdf.l_margin + index * (width + BOX_GAP_MM), top, width, height)
        pdf.set_xy(pdf.l_margin, top + height + BOX_GAP_MM)

    def _box_height(self, figure: KeyFigure, width: float) -> float:
        return 2 * BOX_PAD_MM + sum(
            self._lines(text, style, width - 2 * BOX_PAD_MM) * style[1]
            for text, style in _box_parts(figure)
        )

    def _lines(self, text: str, style: tuple[float, float, bool, tuple], width: float) -> int:
        size, step, bold, _ = style
        self._pdf.set_font(FAMILY, "B" if bold else "", size)
        lines = self._pdf.multi_cell(width, step, text, dry_run=True, output="LINES")
        return len(lines)

    def _box(self, figure: KeyFigure, x: float, y: float, width: float, height: float) -> None:
        pdf = self._pdf
        pdf.set_draw_color(200, 208, 220)
        pdf.set_fill_color(250, 251, 253)
        pdf.rect(x, y, width, height, style="DF", round_corners=True, corner_radius=2)
        pdf.set_xy(x + BOX_PAD_MM, y + BOX_PAD_MM)
        for text, (size, step, bold, colour) in _box_parts(figure):
            pdf.set_font(FAMILY, "B" if bold else "", size)
            pdf.set_text_color(*colour)
            pdf.multi_cell(
                width - 2 * BOX_PAD_MM, step, text, align="L", new_x="LEFT", new_y="NEXT"
            )
        pdf.set_text_color(*BLACK)


#: Font size (pt), line step (mm), bold, colour of a key figure's label, value and caption.
_BOX_STYLES = ((8, 3.6, False, GREY), (16, 8, True, BLACK), (7.5, 3.4, False, GREY))


def _box_parts(figure: KeyFigure) -> list[tuple[str, tuple[float, float, bool, tuple]]]:
    texts = (figure.label, figure.value, figure.caption)
    return [(_box_text(t), style) for t, style in zip(texts, _BOX_STYLES, strict=True) if t]


def _box_text(text: str) -> str:
    text = plain_text(text)
    return text if len(text) <= MAX_BOX_TEXT else text[: MAX_BOX_TEXT - 1] + "…"


def _png_size(png: bytes) -> tuple[int, int]:
    """Pixel width and height from the PNG header (the IHDR chunk comes first)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise ValueError("PdfReport.image expects PNG bytes (e.g. from qa_app.reports.charts)")
    return struct.unpack(">II", png[16:24])
