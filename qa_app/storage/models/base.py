"""The declarative base every model shares: one metadata with the constraint naming rules
(so migrations name constraints the same on SQLite and PostgreSQL), the column types of
Python values, and the closed vocabularies the models use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from qa_app.storage.types import JsonValue, UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "lead", "reviewer", "trainer", "agent", "shopper")
CHANNELS = ("phone", "email", "chat", "messenger", "social")
LANGUAGES = ("ru", "en")
MESSAGE_ROLES = ("customer", "agent", "system", "bot")
CONVERSATION_STATUSES = ("resolved", "open", "pending")
REVIEW_STATUSES = ("draft", "submitted", "disputed", "final")
ASSIGNMENT_STATUSES = ("pending", "in_progress", "done", "cancelled")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JsonValue, list[Any]: JsonValue}
