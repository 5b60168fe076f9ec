"""The audit log page's one read."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.actor import Actor
from qa_app.services.auditlog.log import AuditFilters, AuditRow, audit_choices, audit_rows
from qa_app.services.permissions import require
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AuditScreen:
    rows: list[AuditRow]
    total: int
    users: list[str]
    kinds: list[str]


def audit_screen(uow: UnitOfWork, actor: Actor, filters: AuditFilters) -> AuditScreen:
    """The newest matching events, their total, and the filter choices, in one read."""
    require(actor, "page.audit")
    with uow:
        rows, total = audit_rows(uow.session, actor, filters)
        users, kinds = audit_choices(uow.session, actor)
    return AuditScreen(rows, total, users, kinds)
