"""Telling a running import from one whose process died.

A killed process cannot mark its import finished, so a running import leaves traces: its
process id and host, and a heartbeat renewed after every batch and at least every
``HEARTBEAT_EVERY`` seconds. A run is interrupted when it is still "running" but its
process is gone (checked directly on the same host) or its heartbeat is older than
``STALE_AFTER`` (any host: another server, a container whose process ids were reused).
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.storage.models import ImportRun

RUNNING, FINISHED, INTERRUPTED = "running", "finished", "interrupted"
HEARTBEAT_EVERY = 30.0  # seconds
STALE_AFTER = timedelta(minutes=10)


def this_process() -> tuple[int, str]:
    """``(pid, host)`` of the current process, as stored on its runs."""
    return os.getpid(), socket.gethostname()[:255]


def _process_gone(pid: int | None, host: str | None) -> bool:
    """True only when the process is known to be gone: same host, no such pid."""
    if pid is None or host != this_process()[1] or os.name != "posix":
        return False  # (os.kill with signal 0 is a real signal on Windows)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def is_stale(run: ImportRun, now: datetime) -> bool:
    if run.status != RUNNING:
        return False
    last_seen = run.heartbeat_at or run.started_at
    return _process_gone(run.pid, run.host) or now - last_seen > STALE_AFTER


def status_of(run: ImportRun, now: datetime) -> str:
    """The run's status as it really is now (a stale "running" run is interrupted)."""
    return INTERRUPTED if is_stale(run, now) else run.status


def mark_stale_runs(session: Session, now: datetime) -> list[ImportRun]:
    """Mark every stale running run interrupted (not committed); returns them."""
    running = session.scalars(select(ImportRun).where(ImportRun.status == RUNNING)).all()
    stale = [run for run in running if is_stale(run, now)]
    for run in stale:
        run.status = INTERRUPTED
    return stale
