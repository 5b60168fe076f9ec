"""Where the data lives: the database URL and the per-user data folder."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "QA_STUDIO_DATABASE_URL"
DATA_DIR_ENV = "QA_STUDIO_DATA_DIR"


def data_dir() -> Path:
    """Per-user data folder: ``$QA_STUDIO_DATA_DIR``, else ``$XDG_DATA_HOME/qa-studio``,
    else ``~/.local/share/qa-studio``."""
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "qa-studio"


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'qa_studio.db'}"


def database_url(explicit: str | None = None) -> str:
    """The URL in force: an explicit one, else the environment, else the SQLite default."""
    return explicit or os.environ.get(DATABASE_URL_ENV) or default_database_url()
