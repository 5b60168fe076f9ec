"""Collecting one Zendesk export file: its tickets, the users, groups and ratings side-loaded
beside them, and the comments found in ticket pages, audits and incremental ticket events."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_app.ingest.helpdesk.common import Document, FieldReport, items_of, plain_id, text_or_none
from qa_app.ingest.helpdesk.zendesk_fields import PAGE_FIELDS, SOURCE, TICKET_MARKS
from qa_app.ingest.records import Problem, Rejection


@dataclass(slots=True)
class Export:
    tickets: list[tuple[int, dict]] = field(default_factory=list)
    users: dict[str, dict] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    comments: dict[str, list[tuple[dict, dict]]] = field(default_factory=dict)
    ratings: dict[str, dict] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)


def collect(documents: list[Document], file: str, report: FieldReport) -> Export:
    export = Export()
    for document in documents:
        data = document.data
        if isinstance(data, dict) and _is_ticket(data):
            export.tickets.append((document.position, data))
        elif isinstance(data, dict) and any(key in data for key in PAGE_FIELDS):
            report.check("export", data, PAGE_FIELDS)
            _collect_page(document, export, report)
        else:
            problem = Problem("record", "helpdesk_unrecognised", {"source": SOURCE})
            export.rejections.append(Rejection(file, document.position, "", [problem], whole=True))
    return export


def _is_ticket(data: dict) -> bool:
    return "id" in data and any(key in data for key in TICKET_MARKS)


def _collect_page(document: Document, export: Export, report: FieldReport) -> None:
    for _, user in items_of(document, "users"):
        if isinstance(user, dict) and plain_id(user.get("id")):
            export.users[plain_id(user["id"])] = user
    for _, group in items_of(document, "groups"):
        if isinstance(group, dict) and plain_id(group.get("id")):
            export.groups[plain_id(group["id"])] = text_or_none(group.get("name")) or ""
    for _, rating in items_of(document, "satisfaction_ratings"):
        if isinstance(rating, dict) and plain_id(rating.get("ticket_id")):
            export.ratings[plain_id(rating["ticket_id"])] = rating
    export.tickets.extend(
        (pos, ticket) for pos, ticket in items_of(document, "tickets") if isinstance(ticket, dict)
    )
    single = document.data.get("ticket")
    if isinstance(single, dict):
        export.tickets.append((document.position, single))
        for _, comment in items_of(document, "comments"):
            _add_comment(export, single.get("id"), comment, {})
    _collect_audits(document, export)


def _collect_audits(document: Document, export: Export) -> None:
    """Comments inside ticket audits and incremental ticket events."""
    for key, children in (("audits", "events"), ("ticket_events", "child_events")):
        for _, audit in items_of(document, key):
            if not isinstance(audit, dict) or not isinstance(audit.get(children), list):
                continue
            for event in audit[children]:
                kind = (
                    event.get("type") or event.get("event_type")
                    if isinstance(event, dict)
                    else None
                )
                if kind in ("Comment", "VoiceComment"):
                    _add_comment(export, audit.get("ticket_id"), event, audit)


def _add_comment(export: Export, ticket_id: object, comment: object, context: dict) -> None:
    ident = plain_id(ticket_id)
    if ident is not None and isinstance(comment, dict):
        export.comments.setdefault(ident, []).append((comment, context))
