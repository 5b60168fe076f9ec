"""The one-language check shared by the AppTest sweep (tests/test_ui_one_language.py) and
the browser journeys: a Russian screen may show no English word and an English one no
Cyrillic, outside data (names, ids, codes, commands) and what users typed.

The allow-list names what reads the same in both languages: product and proper names,
abbreviations and units.
"""

from __future__ import annotations

import html
import re

#: Read the same in both languages: product and format names, abbreviations, units.
ALLOWED_LATIN = {
    "QA", "Studio", "CSAT", "CSI", "NPS", "SLA", "AutoQA", "CSV", "JSONL", "JSON", "XLSX",
    "PDF", "YAML", "Excel", "MB", "ID", "URL", "UTC", "API", "REST", "Zendesk", "Intercom",
    "Freshdesk", "English", "Cohen", "Ctrl", "Enter", "Tab", "kappa", "p", "n", "N", "d",
    "h", "s", "min", "ms", "r", "cron", "PostgreSQL", "SQLite", "PNG", "JPEG", "WebP", "OGG",
    "WAV",
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
#: Data and code, not interface words: seeded ids, logins, usernames and team names, time
#: zone ids, version and rubric ids, example ids and patterns in help texts, commands to
#: type (``qa-studio ...``), the N/A mark.
DATA = re.compile(
    "|".join(
        (
            r"`[^`]*`",
            r"qa-studio(?: [a-z-]+)+(?: --?[a-z-]+(?: [A-Z0-9]+)?)*",
            r"\bN/A\b",
            r"\b(?:MP3|M4A)\b",
            r"\b[A-Z][a-z]+/[A-Za-z_/+-]+",
            r"\b[a-z]+-(?:ru|en)\b",
            r"\bc-\d+-\d+\b",
            r"\b[a-z]\.[a-z]+\b",
            r"\btest(?:-[a-z]+)?\b",
            r"\bsystem\b",
            r"\bTier \d\b",
            r"Русский",
            r"\bv\d+\b",
            r"\b[a-z]+-\d+\+[0-9a-f]+\b",
            r"\([a-z]+(?:-[a-z]+)+\)",
            r"\bdemo-[-\s\d\u00a0\u202f]*",
            r"contract: DG-\\d\{6\}",
            r"\[masked\]",
            r"\b[a-z]+(?:_[a-z]+)+\b",
            r"\b[a-z]+(?:-[a-z]+){2,}\b",
        )
    )
)


def leaks(texts: list[str], lang: str) -> list[str]:
    """English words on a Russian screen, or Cyrillic on an English one."""
    found = []
    for text in map(html.unescape, texts):
        clean = DATA.sub(" ", re.sub(r":material/[a-z_]+:|:[a-z]+-badge\[|https?://\S+", " ", text))
        if lang == "en":
            if CYRILLIC.search(clean):
                found.append(text)
        else:
            words = [w for w in LATIN_WORD.findall(clean) if w not in ALLOWED_LATIN]
            if words:
                found.append(f"{words[:4]} in {text[:90]!r}")
    return sorted(set(found))
