"""Importing conversation files: the use case behind ``qa-studio import`` and the Import page.

Streams the file through ``qa_app.ingest`` and stores it in batches, one transaction per
batch (``session.commit()`` after each), so a million-message file lands with flat memory
and visible progress. Idempotent on (source, conversation_id) by content hash. Rejected
rows go to an errors CSV and into the summary; an unreadable file imports nothing. Every
conversation passes ``ingest.guard`` before it is batched and every batch is written by
``safe_write``, so no value can make the import stop; a killed import is recognised
later by ``liveness`` and shown as interrupted.
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from qa_app.ingest import (
    ErrorReport,
    Masker,
    MaskingConfig,
    MaskingConfigError,
    Notice,
    ParsedConversation,
    Rejection,
    SourceFile,
    UnreadableFile,
    guard,
    inspect_file,
    parse_timezone,
    read_conversations,
)
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.audit import record_event
from qa_app.services.errors import InvalidInput
from qa_app.services.imports.liveness import (
    FINISHED,
    HEARTBEAT_EVERY,
    INTERRUPTED,
    RUNNING,
    mark_stale_runs,
    this_process,
)
from qa_app.services.imports.safe_write import store_batch
from qa_app.services.imports.writer import BatchCounts, BatchWriter
from qa_app.services.permissions import require
from qa_app.storage.models import ImportRun

DEFAULT_TZ_ENV = "QA_STUDIO_DEFAULT_TZ"
DEFAULT_SOURCE = "import"
SHOWN_REJECTIONS = 1000


class ImportFailed(InvalidInput):
    """The file could not be read at all; nothing was imported."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


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
    clock: Callable[[], datetime] = _utc_now  # injected by tests: run times, heartbeats


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

    def __init__(self, session: Session, actor: Actor, options: ImportOptions, source) -> None:
        self.session = session
        self.actor = actor
        self.options = options
        self.source = source
        self.clock = options.clock
        self.now = self.clock()
        self.started = self.last_beat = time.perf_counter()
        self.summary = ImportSummary(run_id=None, file_name=source.name)
        self.writer = BatchWriter(session.connection, options.source, self.now)
        errors_path = errors_file_path(source.path, source.name, options.errors_dir, self.now)
        self.report = ErrorReport(errors_path, options.lang)
        self.batch: list[ParsedConversation] = []
        self.batch_messages = 0
        self.rows = 0
        self.run: ImportRun | None = None

    def progress(self) -> ImportProgress:
        return ImportProgress(
            rows=self.rows,
            conversations=self.summary.imported + self.summary.updated + self.summary.unchanged,
            bytes_read=self.source.position,
            total_bytes=self.source.size,
            elapsed=time.perf_counter() - self.started,
        )

    def reject(self, rejection: Rejection) -> None:
        summary = self.summary
        summary.rejected_rows += rejection.rows
        summary.rejected_conversations += int(rejection.whole)
        summary.problems += len(rejection.problems)
        if len(summary.rejections) < SHOWN_REJECTIONS:
            summary.rejections.append(rejection)
        self.report.add(rejection)

    def flush(self) -> None:
        """Store the batch and commit it together with the run's counts and heartbeat."""
        if self.run is None:
            self._start_run()
        if self.batch:
            counts, refused = store_batch(self.session, self.writer, self.batch, self.source.name)
            self.summary.add(counts)
            for rejection in refused:
                self.reject(rejection)
        self.batch, self.batch_messages = [], 0
        self._copy_counts()
        self.beat(force=True)

    def beat(self, force: bool = False) -> None:
        """Renew the run's heartbeat (and commit) at most every ``HEARTBEAT_EVERY`` s."""
        if self.run is None or not (
            force or time.perf_counter() - self.last_beat >= HEARTBEAT_EVERY
        ):
            return
        self.run.heartbeat_at = self.clock()
        self.session.commit()
        self.last_beat = time.perf_counter()

    def abandon(self) -> None:
        """The import stops on an error: record the run as interrupted, if the database
        still answers (what was committed stays; a re-run completes it)."""
        with suppress(SQLAlchemyError):
            self.session.rollback()
            if self.run is not None:
                self.run.status = INTERRUPTED
                self.run.heartbeat_at = self.clock()
                self.session.commit()

    def _start_run(self) -> None:
        pid, host = this_process()
        self.run = ImportRun(
            file_name=self.summary.file_name[:500],
            started_at=self.now,
            user_id=self.actor.user_id,
            status=RUNNING,
            heartbeat_at=self.now,
            pid=pid,
            host=host,
        )
        self.session.add(self.run)
        self.session.flush()
        self.summary.run_id = self.run.id

    def _copy_counts(self) -> None:
        s = self.summary
        self.run.imported, self.run.updated, self.run.unchanged = s.imported, s.updated, s.unchanged
        self.run.rejected_rows, self.run.messages = s.rejected_rows, s.messages


def _note_interrupted(state: _Run) -> None:
    """Record earlier runs whose process died; the summary names them for the user."""
    stale = mark_stale_runs(state.session, state.now)
    state.summary.interrupted = [
        {
            "file_name": run.file_name,
            "started_at": run.started_at,
            "last_seen_at": run.heartbeat_at or run.started_at,
        }
        for run in stale
    ]
    if stale:
        state.session.commit()


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
        source = inspect_file(path, options.display_name)
    except UnreadableFile as exc:
        raise _failed(exc) from None
    state = _Run(session, actor, options, source)
    _note_interrupted(state)
    try:
        with _fewer_gc_passes():
            items = (reader or read_conversations)(source, tz, masker)
            _stream(state, items, progress)
    except UnreadableFile as exc:
        state.report.discard()
        session.rollback()
        raise _failed(exc) from None
    except BaseException:
        state.report.close()
        state.abandon()
        raise
    state.report.close()
    return _finish(state)


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


def _stream(state: _Run, items, progress: ProgressCallback | None) -> None:
    last_report = time.perf_counter()
    options = state.options
    file = state.source.name
    for item in items:
        if not isinstance(item, Rejection):
            item = guard(file, item)  # noqa: PLW2901 - the checked conversation, or why not
        if isinstance(item, Rejection):
            state.reject(item)
            state.rows += item.rows
            continue
        state.batch.append(item)
        if item.masked_items:
            state.summary.masked_items.update(item.masked_items)
        state.batch_messages += len(item.messages)
        state.rows += len(item.messages)
        if len(state.batch) >= options.batch_size or state.batch_messages >= options.batch_messages:
            state.flush()
        if time.perf_counter() - last_report >= options.progress_interval:
            if progress:
                progress(state.progress())
            state.beat()
            last_report = time.perf_counter()
    if progress:
        progress(state.progress())


def _encoding_notes(source) -> list[Notice]:
    decoding = source.decoding
    if decoding is None or not decoding.mixed:
        return []
    params = {"lines": decoding.cp1251.describe(), "count": decoding.cp1251.count}
    return [Notice(source.name, "mixed_encoding", params)]


def _finish(state: _Run) -> ImportSummary:
    state.flush()
    summary, report = state.summary, state.report
    summary.errors_path = report.path if report.written else None
    summary.errors_failed = report.failed
    summary.notes = _encoding_notes(state.source)
    summary.elapsed = time.perf_counter() - state.started
    state.run.finished_at = state.clock()
    state.run.status = FINISHED
    record_event(
        state.session,
        state.actor,
        "import.file",
        "import_run",
        state.run.id,
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
