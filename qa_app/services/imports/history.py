"""What past imports did, for the Import page and ``qa-studio import --history``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.services.imports.liveness import status_of
from qa_app.services.permissions import require
from qa_app.storage.models import ImportRun


def recent_imports(
    session: Session, actor: Actor, limit: int = 20, now: datetime | None = None
) -> list[dict]:
    """The latest import runs, newest first, as plain dicts for tables.

    ``status`` is running, finished or interrupted; a run whose process died shows as
    interrupted here at once, even before the next import records it."""
    require(actor, "import.run")
    now = utc_now(now)
    query = select(ImportRun).order_by(ImportRun.started_at.desc(), ImportRun.id.desc())
    runs = session.scalars(query.limit(limit)).all()
    return [
        {
            "id": run.id,
            "file_name": run.file_name,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "status": status_of(run, now),
            "last_seen_at": run.heartbeat_at or run.started_at,
            "imported": run.imported,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected_rows": run.rejected_rows,
            "messages": run.messages,
        }
        for run in runs
    ]
