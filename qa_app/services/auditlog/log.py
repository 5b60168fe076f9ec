"""Reading the audit log: who did what and when, filtered by user, action and period.

Every change a service makes writes an ``audit_events`` row in the same transaction
(``services/audit.record_event``); this module only reads them. The kinds of action are
the first part of the action name (``auth``, ``import``, ``rubric``, ``review``,
``dispute``, ``privacy``, ...), so a filter on "disputes" catches raised, accepted and
rejected alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.errors import InvalidInput
from qa_app.services.permissions import require
from qa_app.storage.models import AuditEvent

PAGE_LIMIT = 1000  # rows the page shows; the export takes every matching row
EXPORT_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """Empty fields filter nothing. ``since``/``until`` are whole UTC days, both included."""

    users: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # action prefixes: "auth", "import", "privacy", ...
    since: date | None = None
    until: date | None = None

    def check(self) -> None:
        if self.since and self.until and self.since > self.until:
            detail = f"the period starts ({self.since}) after it ends ({self.until})"
            raise InvalidInput(detail, key="audit.error.bad_period")


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    entity: str  # "review 12", "customer 3f2a...", "" when the action names no record
    details: str  # the details as compact JSON, read as text


def _where(filters: AuditFilters) -> list:
    clauses = []
    if filters.users:
        clauses.append(AuditEvent.actor.in_(filters.users))
    if filters.kinds:
        clauses.append(or_(*(AuditEvent.action.startswith(f"{k}.") for k in filters.kinds)))
    if filters.since:
        clauses.append(AuditEvent.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        clauses.append(AuditEvent.at < end)
    return clauses


def _row(event: AuditEvent) -> AuditRow:
    entity = f"{event.entity_type} {event.entity_id}".strip()
    details = json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True, default=str)
    return AuditRow(event.at, event.actor, event.action, entity, details)


def audit_rows(
    session: Session, actor: Actor, filters: AuditFilters, limit: int = PAGE_LIMIT
) -> tuple[list[AuditRow], int]:
    """The newest ``limit`` matching events and how many match in all."""
    require(actor, "audit.read")
    filters.check()
    clauses = _where(filters)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*clauses)) or 0
    events = session.scalars(
        select(AuditEvent)
        .where(*clauses)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [_row(e) for e in events], total


def audit_choices(session: Session, actor: Actor) -> tuple[list[str], list[str]]:
    """Every user name and action kind that occurs in the log, for the filter lists."""
    require(actor, "audit.read")
    users = sorted(session.scalars(select(AuditEvent.actor).distinct()))
    actions = session.scalars(select(AuditEvent.action).distinct())
    kinds = sorted({action.split(".", 1)[0] for action in actions})
    return users, kinds
