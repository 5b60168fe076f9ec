"""Storage: typed models, the session factory and migrations. Only services import this."""

from qa_app.storage.db import get_engine, session_factory, unit_of_work, upgrade

__all__ = ["get_engine", "session_factory", "unit_of_work", "upgrade"]
