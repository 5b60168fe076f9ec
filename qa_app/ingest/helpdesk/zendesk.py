"""Zendesk Support: tickets and their comments, as the Zendesk REST API returns them.

Field by field from Zendesk's public API reference:

* Tickets (JSON format, ``via``, ``satisfaction_rating``, ``status``, ``tags``):
  https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/
* Ticket comments (``author_id``, ``public``, ``body``/``html_body``/``plain_body``,
  ``metadata.flags``; flag 4 = "automatically generated"):
  https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/
* Ticket audits (``events`` of type ``Comment``):
  https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/
* Incremental exports (tickets; ticket events with the ``comment_events`` side-load, whose
  comments sit in ``child_events``):
  https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
* Side-loading users and groups (``include=users,groups``); user ``role`` is
  ``end-user``, ``agent`` or ``admin``:
  https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/side_loading/
  https://developer.zendesk.com/api-reference/ticketing/users/users/
* Via object and via types (names and numeric ids):
  https://developer.zendesk.com/documentation/ticketing/reference-guides/via-object-reference/
  https://developer.zendesk.com/documentation/ticketing/reference-guides/via-types/
* Satisfaction ratings (``score``: offered, unoffered, good, bad):
  https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/

A file may be a response page (``{"tickets": [...], "users": [...], "groups": [...]}``,
or ``{"ticket": {...}, "comments": [...]}`` for one ticket), such pages one per line, a JSON
array of tickets, or one ticket per line. Comments come from a ticket's own ``comments``
list (the Ticket Comments API response for it), from ``audits`` and from ``ticket_events``
in the same file; a comment seen twice (same id) counts once.

Mapping decisions: a private comment (``public: false``) is an internal note (role
``system``, flagged internal); comments written by Answer Bot, by a trigger or automation
(via ``rule``) or flagged as automatically generated are role ``bot``; CSAT ``good`` is 5
and ``bad`` is 1 (Zendesk asks a yes/no question, so the two ends of the 1-5 scale keep
"share of 4-5" equal to Zendesk's own satisfaction score); statuses new/open -> open,
pending/hold -> pending, solved/closed -> resolved. Left out: attachments, custom fields,
priority and type, organisation, CCs and followers, the rating's comment and reason, SLA
metrics; Zendesk has no escalation flag, so ``escalated`` stays false.

The vocabulary and ticket fields are read in ``zendesk_fields``, the file is collected in
``zendesk_export`` and comments become messages in ``zendesk_messages``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.helpdesk.common import (
    Document,
    DraftConversation,
    FieldReport,
    build_conversation,
    last_by_id,
    plain_id,
    text_or_none,
)
from qa_app.ingest.helpdesk.zendesk_export import Export, collect
from qa_app.ingest.helpdesk.zendesk_fields import (
    FIELD_NAMES,
    SOURCE,
    TICKET_FIELDS,
    ticket_channel,
    ticket_csat,
    ticket_status,
    ticket_tags,
    zendesk_time,
)
from qa_app.ingest.helpdesk.zendesk_messages import ticket_messages
from qa_app.ingest.records import ParsedConversation, Rejection, UnreadableFile

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker


def read(
    documents: list[Document],
    file: str,
    default_tz: tzinfo,
    masker: Masker | None,
    report: FieldReport,
) -> Iterator[ParsedConversation | Rejection]:
    """Conversations (and rejections) from the decoded documents of one export file."""
    export = collect(documents, file, report)
    if not export.tickets:
        raise UnreadableFile(file, "helpdesk_no_records", source=SOURCE, what="tickets")
    yield from export.rejections
    seen = {plain_id(ticket.get("id")) for _, ticket in export.tickets}
    orphans = sum(len(v) for k, v in export.comments.items() if k not in seen)
    if orphans:
        report.note("orphans", times=orphans, what="comments")
    for position, ticket in last_by_id(export.tickets, "id", report, "tickets"):
        draft = _draft(file, position, ticket, export, report)
        yield from build_conversation(draft, default_tz, masker, report)


def _draft(
    file: str, position: int, ticket: dict, export: Export, report: FieldReport
) -> DraftConversation:
    report.check("ticket", ticket, TICKET_FIELDS)
    ident = plain_id(ticket.get("id"))
    requester = plain_id(ticket.get("requester_id"))
    user = export.users.get(requester or "", {})
    raw = {
        "channel": ticket_channel(ticket, report),
        "started_at": zendesk_time(ticket.get("created_at")),
        "customer_id": requester,
        "customer_name": text_or_none(user.get("name")),
        "csat": ticket_csat(ticket, export, report),
        "tags": ticket_tags(ticket, report),
        "status": ticket_status(ticket, report),
        "subject": text_or_none(ticket.get("subject")) or text_or_none(ticket.get("raw_subject")),
        "team": export.groups.get(plain_id(ticket.get("group_id")) or "") or None,
    }
    draft = DraftConversation(file, position, ticket.get("id"), "id", raw, FIELD_NAMES)
    draft.messages = ticket_messages(ticket, export.comments.get(ident or "", []), export, report)
    return draft
