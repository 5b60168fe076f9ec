"""The state of one import while it runs: batch, counts, run row, heartbeat."""

from __future__ import annotations

import time
from contextlib import suppress

from sqlalchemy.orm import Session

from qa_app.ingest import ErrorReport, ParsedConversation, Rejection, SourceFile
from qa_app.services.actor import Actor
from qa_app.services.imports.liveness import HEARTBEAT_EVERY, INTERRUPTED, RUNNING, this_process
from qa_app.services.imports.options import ImportOptions, errors_file_path
from qa_app.services.imports.safe_write import DATABASE_ERRORS, store_batch
from qa_app.services.imports.summary import ImportProgress, ImportSummary
from qa_app.services.imports.writer import BatchWriter
from qa_app.storage.models import ImportRun

#: Rejections kept in the summary for the terminal and the page (all go to the errors CSV).
SHOWN_REJECTIONS = 1000


class RunState:
    """State of one import in progress: summary, run row, batch, progress clock."""

    def __init__(
        self, session: Session, actor: Actor, options: ImportOptions, source_file: SourceFile
    ) -> None:
        self.session = session
        self.actor = actor
        self.options = options
        self.source_file = source_file  # the file read; ``options.source`` names the system
        self.clock = options.clock
        self.now = self.clock()
        self.started = self.last_beat = time.perf_counter()
        self.summary = ImportSummary(run_id=None, file_name=source_file.name)
        self.writer = BatchWriter(session.connection, options.source, self.now)
        errors_path = errors_file_path(
            source_file.path, source_file.name, options.errors_dir, self.now
        )
        self.report = ErrorReport(errors_path, options.lang)
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
            counts, refused = store_batch(
                self.session, self.writer, self.batch, self.source_file.name
            )
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
        with suppress(*DATABASE_ERRORS):
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
