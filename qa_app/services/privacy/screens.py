"""The Privacy page's one read: retention policies, what a purge would delete now, and the
last purge that ran."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.services.permissions import require
from qa_app.services.privacy.retention import Policy, PurgeReport, list_policies, purge
from qa_app.storage.models import AuditEvent
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class LastPurge:
    at: datetime
    actor: str
    conversations: int


@dataclass(frozen=True, slots=True)
class PrivacyScreen:
    policies: list[Policy]
    preview: PurgeReport  # a dry run at ``now``
    last_purge: LastPurge | None


def privacy_screen(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> PrivacyScreen:
    """Policies, the dry run of a purge at ``now`` and the last real purge, in one read."""
    require(actor, "page.privacy")
    at = utc_now(now)
    with uow:
        session = uow.session
        policies = list_policies(session, actor)
        preview = purge(session, actor, now=at, dry_run=True)
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "retention.purged")
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(1)
        ).first()
        last = None
        if event is not None:
            deleted = (event.details or {}).get("sources") or {}
            count = sum(int(rows.get("conversations", 0)) for rows in deleted.values())
            last = LastPurge(event.at, event.actor, count)
    return PrivacyScreen(policies, preview, last)
