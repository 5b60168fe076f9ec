"""Sheet names Excel accepts, from labels that were written for people.

Excel refuses a workbook whose sheet name is empty, longer than 31 characters, contains
any of ``: \\ / ? * [ ]``, starts or ends with an apostrophe, is "History" (reserved), or
repeats another name ignoring case. Labels come translated from the catalogue or from
users (a rubric or team name), so each rule is applied here instead of failing on open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa_app.reports.safe_cells import clean_text

MAX_LENGTH = 31
_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
_RESERVED = {"history"}


def unique_sheet_names(wanted: Iterable[str]) -> list[str]:
    """A valid, case-insensitively unique name for each wanted one, in order."""
    taken: set[str] = set()
    names = []
    for index, name in enumerate(wanted, start=1):
        base = _valid(name) or f"Sheet{index}"
        candidate, n = base, 1
        while candidate.casefold() in taken | _RESERVED:
            n += 1
            suffix = f" ({n})"
            candidate = base[: MAX_LENGTH - len(suffix)] + suffix
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _valid(name: str) -> str:
    name = _FORBIDDEN.sub("_", clean_text(name)).replace("\ufffd", "_")
    name = " ".join(name.split())  # tabs and line breaks are not allowed either
    return name.strip("'")[:MAX_LENGTH].strip("' ")
