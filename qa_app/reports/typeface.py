"""Where the embedded DejaVu Sans files are, for the PDF builder.

DejaVu Sans is used because it covers Cyrillic and Latin with one design, may be
redistributed (see ``fonts/README.md``), and is matplotlib's bundled default, so charts and
the text around them share one typeface. PDF's 14 standard fonts have no Cyrillic, so a
Russian report needs an embedded TrueType font; the files live in the package (installed as
package data) rather than being looked up on the system, which differs per machine.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
LICENSE = FONT_DIR / "LICENSE.txt"
