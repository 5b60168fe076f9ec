"""The errors CSV: every rejected row with file, line, field and reason.

Opened only when the first rejection arrives, written as it goes (flat memory), UTF-8
with BOM so Excel shows Cyrillic, and safe against spreadsheet formula injection: a cell
that a spreadsheet would run as a formula is prefixed with an apostrophe. A folder that
cannot be written does not stop the import: ``failed`` says why, and the rejections are
still in the summary.
"""

from __future__ import annotations

import csv
from pathlib import Path

from qa_app.i18n import t
from qa_app.ingest.records import Rejection

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Header keys (``import.column.<key>``); ``conversation_id`` is the input file's column
#: name, so the errors file speaks the import format's words.
COLUMNS = ("file", "line", "conversation_id", "field", "reason")


def safe_cell(value: object) -> str:
    """A spreadsheet-safe cell: text that starts like a formula is made inert."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class ErrorReport:
    """Writes rejections to ``path`` (created lazily); ``lang`` picks the reasons' language."""

    def __init__(self, path: Path, lang: str = "en") -> None:
        self.path = path
        self.lang = lang
        self.rows_written = 0
        self.failed: str | None = None
        self._handle = None
        self._writer = None

    def _open(self) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
        except OSError as exc:
            self.failed = f"{self.path.parent}: {exc.strerror or type(exc).__name__}"
            return False
        self._writer = csv.writer(self._handle)
        self._writer.writerow([t(f"import.column.{c}", self.lang) for c in COLUMNS])
        return True

    def add(self, rejection: Rejection) -> None:
        if self.failed or (self._writer is None and not self._open()):
            return
        for problem in rejection.problems:
            cells = (
                rejection.file,
                rejection.line,
                rejection.external_id,
                problem.field,
                problem.reason(self.lang),
            )
            self._writer.writerow([safe_cell(cell) for cell in cells])
            self.rows_written += 1

    @property
    def written(self) -> bool:
        return self._writer is not None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def discard(self) -> None:
        """Remove a partly written report (the import failed as a whole)."""
        self.close()
        if self._writer is not None:
            self.path.unlink(missing_ok=True)
            self._writer = None
