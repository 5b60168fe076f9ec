"""What an import reports: progress while it runs, the summary when it is done."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qa_app.ingest import Notice, Rejection
from qa_app.services.imports.writer import BatchCounts


@dataclass(slots=True)
class ImportProgress:
    rows: int
    conversations: int
    bytes_read: int
    total_bytes: int
    elapsed: float

    @property
    def rate(self) -> float:
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def fraction(self) -> float:
        return min(1.0, self.bytes_read / self.total_bytes) if self.total_bytes else 0.0

    @property
    def eta_seconds(self) -> float | None:
        if not self.total_bytes or self.bytes_read <= 0 or self.elapsed <= 0:
            return None
        return max(0.0, (self.total_bytes - self.bytes_read) * self.elapsed / self.bytes_read)


@dataclass(slots=True)
class ImportSummary:
    """What one import did. ``problems`` counts the reason lines (one per refused value)
    of all rejections, also those beyond the ``SHOWN_REJECTIONS`` kept in ``rejections``;
    ``errors_failed`` says why the errors CSV could not be written, if it could not."""

    run_id: int | None
    file_name: str
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_rows: int = 0
    rejected_conversations: int = 0
    messages: int = 0
    elapsed: float = 0.0
    errors_path: Path | None = None
    errors_failed: str | None = None
    #: Scoring jobs queued for the workers at commit (0 where the queue does not run).
    scoring_jobs: int = 0
    problems: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[Notice] = field(default_factory=list)
    interrupted: list[dict] = field(default_factory=list)  # earlier runs found dead
    masked_items: Counter[str] = field(default_factory=Counter)  # kind -> how many masked

    @property
    def exit_code(self) -> int:
        """0: everything imported; 1: imported, but some rows were rejected."""
        return 1 if self.rejected_rows or self.rejected_conversations else 0

    def add(self, counts: BatchCounts) -> None:
        self.imported += counts.imported
        self.updated += counts.updated
        self.unchanged += counts.unchanged
        self.messages += counts.messages
