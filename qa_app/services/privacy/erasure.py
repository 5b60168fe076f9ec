"""Right to erasure (GDPR art. 17, 152-FZ art. 21): remove one customer's conversations and
everything derived from them, in one transaction, leaving an audit entry and a report.

The audit entry names the customer only by ``customer_ref`` (the first 16 hex digits of
the SHA-256 of the id): whoever holds the request can check it was carried out, while the
log itself does not keep the identifier the customer asked to have removed. Audit events
written earlier about the deleted reviews or disputes stay: they record staff actions by
id and number, never conversation text, and the audit trail must outlive the data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.permissions import require
from qa_app.services.privacy.closure import delete_rows, derived_rows
from qa_app.storage.models import Conversation


@dataclass(frozen=True, slots=True)
class ErasureReport:
    """What an erasure removed (or, with ``dry_run``, would remove), table by table."""

    customer_ref: str
    conversations: int
    sources: tuple[str, ...]
    rows: dict[str, int]
    dry_run: bool
    at: datetime


def customer_ref(customer_id: str) -> str:
    """A stable reference to a customer that does not spell out their id."""
    return hashlib.sha256(customer_id.encode("utf-8")).hexdigest()[:16]


def erase_customer(
    session: Session,
    actor: Actor,
    customer_id: str,
    *,
    source: str | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ErasureReport:
    """Delete every conversation of ``customer_id`` (in ``source``, else in every source)
    and every row derived from them; ``dry_run`` reports without deleting or auditing."""
    require(actor, "privacy.erase")
    customer_id = (customer_id or "").strip()
    if not customer_id:
        detail = "give the customer id exactly as the imported files spell it"
        raise InvalidInput(detail, key="privacy.error.no_customer")
    query = select(Conversation.id, Conversation.source).where(
        Conversation.customer_id == customer_id
    )
    if source:
        query = query.where(Conversation.source == source)
    found = session.execute(query).all()
    if not found:
        raise NotFound("no conversations of this customer", key="privacy.error.customer_not_found")
    closure = derived_rows(session, [row.id for row in found])
    at = utc_now(now)
    report = ErasureReport(
        customer_ref=customer_ref(customer_id),
        conversations=len(found),
        sources=tuple(sorted({row.source for row in found})),
        rows=closure.counts(),
        dry_run=dry_run,
        at=at,
    )
    if dry_run:
        return report
    delete_rows(session, closure)
    record_event(
        session,
        actor,
        "privacy.erased",
        "customer",
        report.customer_ref,
        now=at,
        conversations=report.conversations,
        sources=list(report.sources),
        rows=report.rows,
    )
    return report
