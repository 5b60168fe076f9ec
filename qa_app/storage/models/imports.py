"""The history of imports and the saved column mappings they can use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class ImportRun(Base):
    """One import of one file: what came in and what happened to it.

    ``status`` is running, finished or interrupted. A process that is killed cannot say it
    stopped, so a running import leaves ``heartbeat_at`` (renewed as it works) and its
    ``pid``/``host``: the next import and the history mark it interrupted when the process
    is gone or has been silent too long (migration 0005)."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running", server_default="finished")
    heartbeat_at: Mapped[datetime | None]
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected_rows: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ImportMapping(Base):
    """A named column mapping for importing any CSV/XLSX (``ingest.mapping.ColumnMapping``
    as a document), saved on the Import page or with ``qa-studio mapping save``."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
