"""The audit log: who did what to which record, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.storage.models import AuditEvent


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str = "",
    entity_id: object = "",
    *,
    now: datetime | None = None,
    **details: Any,
) -> None:
    """Add an audit event to the caller's unit of work (committed with the change itself),
    stamped at ``now`` (the moment of the change it records) or the current time."""
    session.add(
        AuditEvent(
            at=utc_now(now),
            user_id=actor.user_id,
            actor=actor.username,
            action=action,
            entity_type=_fits(entity_type),
            entity_id=_fits(str(entity_id)),
            details={**details, "entity_id": str(entity_id)}
            if len(str(entity_id)) > 80
            else details,
        )
    )


def _fits(text: str, limit: int = 80) -> str:
    """Names used as ids (a rubric title, a session name) can be longer than the indexed
    column: the column keeps a shortened form, the details keep the whole text, and the
    change itself is never refused for the sake of its audit line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
