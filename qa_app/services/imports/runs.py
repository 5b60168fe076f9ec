"""Importing conversation files: the use case behind ``qa-studio import`` and the Import page.

Streams the file through ``qa_app.ingest`` and stores it in batches, one transaction per
batch (``session.commit()`` after each), so a million-message file lands with flat memory
and visible progress. Idempotent on (source, external_id) by content hash. Rejected
rows go to an errors CSV and into the summary; an unreadable file imports nothing.
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.ingest import (
    ErrorReport,
    Masker,
    MaskingConfig,
    MaskingConfigError,
    ParsedConversation,
    Rejection,
    SourceFile,
    UnreadableFile,
    inspect_file,
    parse_timezone,
    read_conversations,
)
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput
from qa_app.services.imports.writer import BatchCounts, BatchWriter
from qa_app.services.permissions import require
from qa_app.storage.models import ImportRun

DEFAULT_TZ_ENV = "QA_STUDIO_DEFAULT_TZ"
DEFAULT_SOURCE = "import"
SHOWN_REJECTIONS = 1000


class ImportFailed(InvalidInput):
    """The file could not be read at all; nothing was imported."""


@dataclass(slots=True)
class ImportOptions:
    source: str = DEFAULT_SOURCE
    default_tz: str | None = None  # None: $QA_STUDIO_DEFAULT_TZ, else UTC
    errors_dir: Path | None = None  # None: next to the input file
    display_name: str | None = None  # the user's file name when importing an upload
    lang: str = "en"  # language of the reasons in the errors CSV
    masking: MaskingConfig | None = None  # None: store text as it is; else mask personal data
    batch_size: int = 2000
    batch_messages: int = 20_000
    progress_interval: float = 0.25  # seconds between progress callbacks
    now: datetime | None = None  # when the run starts (None: the real clock)


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
    rejections: list[Rejection] = field(default_factory=list)
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


UPLOAD_LIMIT_ENV = "QA_STUDIO_UPLOAD_LIMIT_MB"
DEFAULT_UPLOAD_LIMIT_MB = 50


def upload_limit_mb() -> int:
    """The largest upload the app accepts, in MB (the server is started with the same limit)."""
    try:
        return max(1, int(os.environ.get(UPLOAD_LIMIT_ENV, DEFAULT_UPLOAD_LIMIT_MB)))
    except ValueError:
        return DEFAULT_UPLOAD_LIMIT_MB


def default_timezone_name() -> str:
    return os.environ.get(DEFAULT_TZ_ENV) or "UTC"


def errors_file_path(source_path: Path, name: str, errors_dir: Path | None, now: datetime) -> Path:
    """``import-errors-<name>-<time>.csv`` in ``errors_dir``, else next to the input file."""
    folder = Path(errors_dir) if errors_dir else source_path.parent
    return folder / f"import-errors-{Path(name).stem}-{now:%Y%m%d-%H%M%S}.csv"


ProgressCallback = Callable[[ImportProgress], None]
#: Reads a recognised file into conversations and rejections; the default is CSV/JSONL,
#: ``qa_app.ingest.helpdesk.helpdesk_reader`` gives one for a help desk's export.
Reader = Callable[[SourceFile, tzinfo, Masker | None], Iterable[ParsedConversation | Rejection]]


class _Run:
    """State of one import in progress: summary, run row, batch, progress clock."""

    def __init__(
        self, session: Session, actor: Actor, options: ImportOptions, source_file: SourceFile
    ) -> None:
        self.session = session
        self.actor = actor
        self.options = options
        self.source_file = source_file  # the file read; ``options.source`` names the system
        self.now = utc_now(options.now)
        self.clock = time.perf_counter()
        self.summary = ImportSummary(run_id=None, file_name=source_file.name)
        self.writer = BatchWriter(session.connection, options.source, self.now)
        self.batch: list[ParsedConversation] = []
        self.batch_messages = 0
        self.rows = 0
        self.run: ImportRun | None = None

    def progress(self) -> ImportProgress:
        return ImportProgress(
            rows=self.rows,
            conversations=self.summary.imported + self.summary.updated + self.summary.unchanged,
            bytes_read=self.source_file.position,
            total_bytes=self.source_file.size,
            elapsed=time.perf_counter() - self.clock,
        )

    def flush(self) -> None:
        """Store the batch and commit it together with the run's counts so far."""
        if self.run is None:
            self.run = ImportRun(
                file_name=self.summary.file_name[:500],
                started_at=self.now,
                user_id=self.actor.user_id,
            )
            self.session.add(self.run)
            self.session.flush()
            self.summary.run_id = self.run.id
        if self.batch:
            self.summary.add(self.writer.write(self.batch))
        self.batch, self.batch_messages = [], 0
        self._copy_counts()
        self.session.commit()

    def _copy_counts(self) -> None:
        s = self.summary
        self.run.imported, self.run.updated, self.run.unchanged = s.imported, s.updated, s.unchanged
        self.run.rejected_rows, self.run.messages = s.rejected_rows, s.messages


def import_file(
    session: Session,
    path: str | os.PathLike[str],
    actor: Actor = SYSTEM,
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
    reader: Reader | None = None,
) -> ImportSummary:
    """Import one CSV/JSONL file (or, with ``reader``, another format such as a help desk's
    export); raises ``ImportFailed`` when it cannot be read at all."""
    require(actor, "import.run")
    options = options or ImportOptions()
    if not options.source.strip() or len(options.source) > 120:
        detail = "source must be a name of 1-120 characters"
        raise InvalidInput(detail, key="error.invalid_input", detail=detail)
    try:
        tz = parse_timezone(options.default_tz or default_timezone_name())
    except ValueError as exc:
        raise InvalidInput(str(exc), key="error.invalid_input", detail=str(exc)) from None
    try:
        masker = Masker(options.masking) if options.masking is not None else None
    except MaskingConfigError as exc:
        raise InvalidInput(str(exc), key="error.invalid_input", detail=str(exc)) from None
    try:
        source_file = inspect_file(path, options.display_name)
    except UnreadableFile as exc:
        raise _failed(exc) from None
    state = _Run(session, actor, options, source_file)
    errors_path = errors_file_path(
        source_file.path, source_file.name, options.errors_dir, state.now
    )
    report = ErrorReport(errors_path, options.lang)
    try:
        with _fewer_gc_passes():
            items = (reader or read_conversations)(source_file, tz, masker)
            _stream(state, items, report, progress)
    except UnreadableFile as exc:
        report.discard()
        session.rollback()
        raise _failed(exc) from None
    finally:
        report.close()
    return _finish(state, report)


@contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    """Collect cycles less often while importing: the parsed rows hold no cycles, and
    default thresholds spend a third of the import re-scanning live batches."""
    previous = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _failed(exc: UnreadableFile) -> ImportFailed:
    return ImportFailed(exc.describe("en"), key=f"import.fatal.{exc.code}", **exc.params)


def _stream(state: _Run, items, report: ErrorReport, progress: ProgressCallback | None) -> None:
    last_report = time.perf_counter()
    options = state.options
    for item in items:
        if isinstance(item, Rejection):
            _reject(state.summary, item, report)
            state.rows += item.rows
            continue
        state.batch.append(item)
        if item.masked_items:
            state.summary.masked_items.update(item.masked_items)
        state.batch_messages += len(item.messages)
        state.rows += len(item.messages)
        if len(state.batch) >= options.batch_size or state.batch_messages >= options.batch_messages:
            state.flush()
        if progress and time.perf_counter() - last_report >= options.progress_interval:
            progress(state.progress())
            last_report = time.perf_counter()
    if progress:
        progress(state.progress())


def _reject(summary: ImportSummary, rejection: Rejection, report: ErrorReport) -> None:
    summary.rejected_rows += rejection.rows
    summary.rejected_conversations += int(rejection.whole)
    if len(summary.rejections) < SHOWN_REJECTIONS:
        summary.rejections.append(rejection)
    report.add(rejection)


def _finish(state: _Run, report: ErrorReport) -> ImportSummary:
    state.flush()
    summary = state.summary
    summary.errors_path = report.path if report.written else None
    summary.elapsed = time.perf_counter() - state.clock
    # started + elapsed (monotonic): the run's own clock, consistent with an injected start
    state.run.finished_at = state.now + timedelta(seconds=summary.elapsed)
    record_event(
        state.session,
        state.actor,
        "import.file",
        "import_run",
        state.run.id,
        now=state.run.finished_at,
        file=summary.file_name,
        source=state.options.source,
        imported=summary.imported,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected_rows=summary.rejected_rows,
        messages=summary.messages,
        masked=dict(summary.masked_items),
    )
    state.session.commit()
    return summary


def recent_imports(session: Session, actor: Actor, limit: int = 20) -> list[dict]:
    """The latest import runs, newest first, as plain dicts for tables."""
    require(actor, "import.run")
    query = select(ImportRun).order_by(ImportRun.started_at.desc(), ImportRun.id.desc())
    runs = session.scalars(query.limit(limit)).all()
    return [
        {
            "id": run.id,
            "file_name": run.file_name,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "imported": run.imported,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected_rows": run.rejected_rows,
            "messages": run.messages,
        }
        for run in runs
    ]
