"""Importing conversation files: the use case behind ``qa-studio import`` and the Import page.

Streams the file through ``qa_app.ingest`` and stores it in batches, one transaction per
batch (``session.commit()`` after each), so a million-message file lands with flat memory
and visible progress. Idempotent on (source, external_id) by content hash. Rejected
rows go to an errors CSV and into the summary; an unreadable file imports nothing. Every
conversation passes ``ingest.guard`` before it is batched and every batch is written by
``safe_write``, so no value can make the import stop; a killed import is recognised
later by ``liveness`` and shown as interrupted.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import tzinfo

from sqlalchemy.orm import Session

from qa_app.ingest import (
    Masker,
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
from qa_app.services import scoring_queue
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.audit import record_event
from qa_app.services.errors import InvalidInput, ServiceError
from qa_app.services.imports.liveness import FINISHED, mark_stale_runs
from qa_app.services.imports.options import ImportOptions, default_timezone_name
from qa_app.services.imports.run_state import RunState
from qa_app.services.imports.safe_write import DATABASE_ERRORS
from qa_app.services.imports.summary import ImportProgress, ImportSummary
from qa_app.services.permissions import require


class ImportFailed(InvalidInput):
    """The file could not be read at all; nothing was imported."""


class ImportStopped(ServiceError):
    """The database failed during the import (connection lost, disk full, database locked
    or read-only): batches committed before stay, and importing the file again completes
    it. The database's own message is not carried (it can hold SQL and values)."""

    key = "import.fatal.database_stopped"


ProgressCallback = Callable[[ImportProgress], None]
#: Reads a recognised file into conversations and rejections; the default is CSV/JSONL,
#: ``qa_app.ingest.helpdesk.helpdesk_reader`` gives one for a help desk's export.
Reader = Callable[[SourceFile, tzinfo, Masker | None], Iterable[ParsedConversation | Rejection]]


def _note_interrupted(state: RunState) -> None:
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
        # a reader may recognise files the standard import refuses (a mapped .xlsx)
        inspect = getattr(reader, "inspect", None) or inspect_file
        source_file = inspect(path, options.display_name)
    except UnreadableFile as exc:
        raise _failed(exc) from None
    state = RunState(session, actor, options, source_file)
    _note_interrupted(state)
    try:
        with _fewer_gc_passes():
            items = (reader or read_conversations)(source_file, tz, masker)
            _stream(state, items, progress)
    except UnreadableFile as exc:
        state.report.discard()
        session.rollback()
        raise _failed(exc) from None
    except DATABASE_ERRORS as exc:
        state.report.close()
        state.abandon()
        kind = type(exc).__name__
        raise ImportStopped(f"the database stopped the import ({kind})", kind=kind) from None
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


def _stream(state: RunState, items, progress: ProgressCallback | None) -> None:
    last_report = time.perf_counter()
    options = state.options
    file = state.source_file.name
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


def _finish(state: RunState) -> ImportSummary:
    state.flush()
    summary, report = state.summary, state.report
    summary.errors_path = report.path if report.written else None
    summary.errors_failed = report.failed
    summary.notes = _encoding_notes(state.source_file)
    summary.elapsed = time.perf_counter() - state.started
    state.run.finished_at = state.clock()
    state.run.status = FINISHED
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
    # Where the scoring queue runs (PostgreSQL with workers), the new conversations wait
    # for them from the moment this import commits; elsewhere this does nothing.
    summary.scoring_jobs = scoring_queue.enqueue_unscored(state.session, SYSTEM)
    state.session.commit()
    return summary
