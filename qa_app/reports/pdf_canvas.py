"""The fpdf2 page underneath a report: embedded fonts, the footer, and plain text only.

Why fpdf2: pure Python (no system libraries, no browser), embeds and subsets TrueType fonts
so Cyrillic renders everywhere, and breaks long tables across pages repeating the header.

Why a subclass at all: fpdf2 draws headers and footers through overridable methods, and
its total-pages alias ``{nb}`` is substituted in *any* text it renders, so a customer
who typed "{nb}" would see a page count. The alias is therefore switched on only while
the footer is drawn; body text is never scanned for it.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from fpdf import FPDF

from qa_app.reports.safe_cells import clean_text
from qa_app.reports.typeface import BOLD, FAMILY, REGULAR

PAGES_ALIAS = "{nb}"
MARGIN_MM = 15
FOOTER_FONT_PT = 8
GREY = (110, 110, 110)
BLACK = (0, 0, 0)

# Bidirectional embedding, override and isolate controls. fpdf2 lays text out left to right
# without a bidi algorithm (text shaping is off), so these would only show as empty boxes;
# dropping them shows the text in the order it was typed, which an override cannot disguise.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def plain_text(text: object) -> str:
    """Text safe to draw: cleaned like a spreadsheet cell, line ends unified, tabs as
    spaces (the font has no tab glyph), bidi controls dropped. Never markup."""
    text = clean_text(str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return _BIDI_CONTROLS.sub("", text.replace("\t", "    "))


class Canvas(FPDF):
    """An A4 page with DejaVu Sans and a footer from a template such as
    ``"{page} / {pages} · {generated}"``. (No title placeholder: a title is user text, and
    fpdf2 would read a "{nb}" inside it as the page count.)"""

    def __init__(
        self,
        *,
        footer_template: str,
        generated_at: datetime,
        tz: tzinfo,
        landscape: bool = False,
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.add_font(FAMILY, "", str(REGULAR))
        self.add_font(FAMILY, "B", str(BOLD))
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(True, margin=MARGIN_MM + 5)
        self.set_creation_date(generated_at)  # the injected time, so output is repeatable
        local = generated_at.astimezone(tz)
        self._generated = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
        self._footer_template = footer_template
        self.footer_text(1)  # a bad template fails here, not on the last page

    def footer_text(self, page: int) -> str:
        try:
            text = self._footer_template.format(
                page=page, pages=PAGES_ALIAS, generated=self._generated
            )
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(
                f"footer template {self._footer_template!r} is not usable ({error}); "
                "it may use {page}, {pages} and {generated}"
            ) from None
        return text

    def header(self) -> None:
        self.str_alias_nb_pages = None  # body text: "{nb}" stays "{nb}"

    def footer(self) -> None:
        self.str_alias_nb_pages = PAGES_ALIAS
        self.set_y(-(MARGIN_MM - 2))
        self.set_font(FAMILY, "", FOOTER_FONT_PT)
        self.set_text_color(*GREY)
        self.cell(0, 4, self.footer_text(self.page_no()), align="C")
        self.set_text_color(*BLACK)
