"""Every value bound for a spreadsheet or a PDF passes through here first.

Why one module: an export mixes our numbers with text customers and agents typed. A message
that starts with ``=`` becomes a live formula when a lead opens the CSV in Excel or
LibreOffice ("CSV injection"); a NUL byte in a transcript makes openpyxl raise
``IllegalCharacterError`` and the whole export fails. Both are handled once, here, and every
writer (CSV, XLSX, PDF, chart labels) calls the same functions, so no writer can forget.

Formula neutralisation follows OWASP's CSV Injection page
(https://owasp.org/www-community/attacks/CSV_Injection): no cell may begin with ``=``, ``+``,
``-``, ``@``, tab (0x09), carriage return (0x0D) or line feed (0x0A); the remedy it names is
to prepend a single quote. OWASP ASVS 5.0 requirement 1.2.10 asks the same of XLSX and ODF
exports and adds NUL (0x00), which :func:`clean_text` already replaces.

Leading whitespace: OWASP's list says nothing about it, but a trigger after spaces is
treated as dangerous too. Importers can trim leading spaces before they look for a formula
(LibreOffice Calc's text-import dialog has a "Trim spaces" option beside "Evaluate
formulas"), and prefixing the rare legitimate "  -5 items" costs nothing. Tab, CR and LF are
triggers in their own right, so ``str.lstrip()`` (which also drops them) covers both cases.

Numbers stay numbers: -5 passed as an ``int`` is a number, is written as one and is never
prefixed. The same characters in a ``str`` are text and are prefixed, because text came from
somebody; callers keep numeric columns numeric.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

#: Characters that make a spreadsheet read a cell as a formula (OWASP, see module docstring).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: What :func:`neutralise_formula` puts in front: Excel and Calc show the rest as plain text.
INERT_PREFIX = "'"
#: Shown where a character could not be kept, so a reader sees that something was there.
REPLACEMENT = "\ufffd"
#: Excel's hard limit for one cell (Excel specifications and limits: 32,767 characters).
EXCEL_CELL_LIMIT = 32_767

# XML 1.0 (which XLSX is) forbids C0 controls other than tab, LF and CR; openpyxl refuses
# exactly those (its ILLEGAL_CHARACTERS_RE). Lone surrogates cannot be encoded as UTF-8 at
# all, and U+FFFE/U+FFFF are outside XML 1.0's Char production, so a strict reader may
# refuse the whole file.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

CellValue = str | int | float | bool | Decimal | date | datetime | time | timedelta | None


def clean_text(text: str) -> str:
    """``text`` with the characters XML, openpyxl and UTF-8 refuse replaced by U+FFFD."""
    return _ILLEGAL.sub(REPLACEMENT, text)


def neutralise_formula(text: str) -> str:
    """``text`` made inert if a spreadsheet would read it as a formula; otherwise unchanged."""
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS):
        return INERT_PREFIX + text
    return text


def safe_text(text: str, max_length: int | None = None) -> str:
    """Cleaned, neutralised, and cut to ``max_length`` (ending in "…") when given."""
    text = neutralise_formula(clean_text(text))
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1] + "…"
    return text


def safe_cell(value: Any, *, tz: tzinfo = UTC, max_length: int | None = None) -> CellValue:
    """One value as a spreadsheet cell: numbers, booleans, dates and durations keep their
    type; missing values become ``None``; everything else becomes safe text.

    Aware datetimes are converted to ``tz`` and made naive, because neither XLSX nor CSV
    can carry an offset (openpyxl refuses aware datetimes); the metadata sheet names the
    zone. Infinite floats become "∞"/"−∞" text: XLSX has no way to store them.
    """
    value = plain_value(value, tz=tz)
    return safe_text(value, max_length) if isinstance(value, str) else value


def plain_value(value: Any, *, tz: tzinfo = UTC) -> CellValue:
    """``value`` as a plain Python value, text untouched: numpy and pandas scalars unwrapped,
    missing values ``None``, aware datetimes naive in ``tz``, collections joined with ", ".
    The PDF tables use this (they format numbers themselves and need no formula guard)."""
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = _from_numpy(value)
    if isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ("∞" if value > 0 else "\u2212∞")
    if isinstance(value, datetime):
        return _naive(value, tz)
    if isinstance(value, date | time | timedelta):
        return _plain_temporal(value)
    return _as_text(value)


def _is_missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NaT
        or value is pd.NA
        or (isinstance(value, float | np.floating) and math.isnan(value))
    )


def _from_numpy(value: np.generic) -> Any:
    # datetime64.item() returns an int of nanoseconds, so dates go through pandas instead.
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value).to_pytimedelta()
    return value.item()


def _naive(value: datetime, tz: tzinfo) -> datetime:
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()  # pandas Timestamp -> datetime
    if value.tzinfo is not None:
        value = value.astimezone(tz).replace(tzinfo=None)
    return value


def _plain_temporal(value: date | time | timedelta) -> date | time | timedelta:
    if isinstance(value, timedelta) and type(value) is not timedelta:
        return timedelta(seconds=value.total_seconds())  # pandas Timedelta -> timedelta
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, set | frozenset):
        return ", ".join(sorted(str(item) for item in value))  # same order on every run
    if isinstance(value, Sequence):
        return ", ".join(str(item) for item in value)
    return str(value)
