"""Freshdesk: tickets and their conversations, as the Freshdesk API v2 returns them.

Field by field from Freshdesk's public API reference, https://developers.freshdesk.com/api/
(sections Tickets, Conversations, Satisfaction Ratings, Agents; field names also checked
against the API's sample responses in the python-freshdesk client's tests,
https://github.com/sjkingo/python-freshdesk):

* Tickets: ``source`` 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback Widget,
  10 Outbound Email; ``status`` 2 Open, 3 Pending, 4 Resolved, 5 Closed; ``priority``;
  ``requester_id``, ``responder_id``; ``is_escalated``, ``fr_escalated``; ``tags``;
  ``description`` (HTML) and ``description_text``; ``include=conversations,requester``.
* Conversations ("List all conversations of a ticket"): ``body`` (HTML),
  ``body_text``, ``incoming`` (created from outside: the customer), ``private`` (a private
  note), ``user_id``, ``source`` (0 reply, 2 note), ``ticket_id``.
* Satisfaction ratings: ``ticket_id``, ``ratings`` keyed by question, ``default_question``
  holding the overall answer as a code (the reference's examples show 103, 101 and -102).
* Agents: ``id`` with ``contact.name`` / ``contact.email``.

A file may be a JSON array of tickets (List/View tickets, with ``conversations`` embedded
by ``include=conversations``), one ticket per line, or an object joining the API's lists:
``{"tickets": [...], "conversations": [...], "satisfaction_ratings": [...],
"agents": [...]}`` (conversations and ratings are matched to tickets by ``ticket_id``).

Mapping decisions: the ticket description is the first message, written by the requester
(by the agent when the source is Outbound Email); a private conversation is an internal
note (role ``system``, flagged internal); an incoming conversation, or one by the
requester, is the customer's, any other is an agent's. Freshdesk's API marks no bot
author, so bot replies arrive as agent messages. CSAT from ``default_question``, read as a
scale symmetric around 100 (neutral) with the sign giving the direction, which is our
reading of the codes, not a documented table: 103 -> 5, 102 and 101 -> 4, 100 -> 3,
-101 and -102 -> 2, -103 -> 1; any other code is reported and left empty.
Status 2 -> open, 3 -> pending, 4 and 5 -> resolved, custom statuses (6 and above) ->
pending; ``escalated`` is true when ``is_escalated``, ``fr_escalated`` or
``nr_escalated`` is. Left out: attachments, custom fields, priority and type, group
(the API gives only its id), CC/BCC addresses, the rating's feedback text, SLA due dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.helpdesk.common import (
    Document,
    DraftConversation,
    DraftMessage,
    FieldReport,
    build_conversation,
    items_of,
    last_by_id,
    names,
    plain_id,
    text_or_none,
)
from qa_app.ingest.helpdesk.html_text import html_to_text
from qa_app.ingest.records import ParsedConversation, Problem, Rejection, UnreadableFile

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker

SOURCE = "freshdesk"
TICKET_FIELDS = names(
    "associated_tickets_count attachments cc_emails company company_id conversations "
    "created_at custom_fields deleted description description_text due_by email "
    "email_config_id facebook_id form_id fr_due_by fr_escalated fwd_emails group_id id "
    "internal_agent_id internal_group_id is_escalated name nr_due_by nr_escalated phone "
    "priority priority_name product_id reply_cc_emails requester requester_id responder_id "
    "satisfaction_ratings sentiment_score initial_sentiment_score source spam stats status "
    "structured_description subject support_email tags ticket_cc_emails to_emails "
    "twitter_id type unique_external_id updated_at"
)
CONVERSATION_FIELDS = names(
    "attachments bcc_emails body body_text category cc_emails created_at from_email "
    "has_quoted_text id incoming last_edited_at last_edited_user_id private source "
    "support_email thread_id ticket_id to_emails updated_at user_id"
)
PAGE_FIELDS = names("tickets conversations satisfaction_ratings agents contacts")
CHANNELS = {1: "email", 2: "email", 3: "phone", 7: "chat", 9: "email", 10: "email"}
OUTBOUND_EMAIL = 10
TICKET_MARKS = ("requester_id", "source", "status", "description_text", "conversations")
STATUSES = {2: "open", 3: "pending", 4: "resolved", 5: "resolved"}
CSAT = {103: 5, 102: 4, 101: 4, 100: 3, -101: 2, -102: 2, -103: 1}
FIELD_NAMES = {
    "channel": "source", "started_at": "created_at", "customer_id": "requester_id",
    "customer_name": "requester.name", "csat": "satisfaction_ratings.default_question",
    "escalated": "is_escalated",
}  # fmt: skip


@dataclass(slots=True)
class _Export:
    tickets: list[tuple[int, dict]] = field(default_factory=list)
    conversations: dict[str, list[dict]] = field(default_factory=dict)
    ratings: dict[str, dict] = field(default_factory=dict)
    agents: dict[str, dict] = field(default_factory=dict)


def read(
    documents: list[Document],
    file: str,
    default_tz: tzinfo,
    masker: Masker | None,
    report: FieldReport,
) -> Iterator[ParsedConversation | Rejection]:
    """Conversations (and rejections) from the decoded documents of one export file."""
    export = _Export()
    for document in documents:
        rejection = _collect(document, export, file, report)
        if rejection is not None:
            yield rejection
    if not export.tickets:
        raise UnreadableFile(file, "helpdesk_no_records", source=SOURCE, what="tickets")
    known = {plain_id(ticket.get("id")) for _, ticket in export.tickets}
    orphans = sum(len(v) for k, v in export.conversations.items() if k not in known)
    if orphans:
        report.note("orphans", times=orphans, what="conversations")
    for position, ticket in last_by_id(export.tickets, "id", report, "tickets"):
        draft = _draft(file, position, ticket, export, report)
        yield from build_conversation(draft, default_tz, masker, report)


def _collect(
    document: Document, export: _Export, file: str, report: FieldReport
) -> Rejection | None:
    data = document.data
    kind = _kind(data)
    if kind == "record":  # a conversation or a rating listed on its own
        _collect_record(data, export)
    elif kind == "ticket":
        export.tickets.append((document.position, data))
    elif kind == "page":
        report.check("export", data, PAGE_FIELDS)
        for pos, item in items_of(document, "tickets"):
            if isinstance(item, dict):
                export.tickets.append((pos, item))
        for key in ("conversations", "satisfaction_ratings", "agents"):
            for _, item in items_of(document, key):
                _collect_record(item, export)
    else:
        problem = Problem("record", "helpdesk_unrecognised", {"source": SOURCE})
        return Rejection(file, document.position, "", [problem], whole=True)
    return None


def _kind(data: object) -> str:
    """Conversations and ratings carry ``ticket_id``; tickets an ``id`` and ticket fields."""
    if not isinstance(data, dict):
        return "unknown"
    if "ticket_id" in data:
        return "record"
    if "id" in data and any(key in data for key in TICKET_MARKS):
        return "ticket"
    if any(isinstance(data.get(key), list) for key in PAGE_FIELDS):
        return "page"
    return "unknown"


def _collect_record(item: object, export: _Export) -> None:
    """A conversation or a satisfaction rating (both carry ``ticket_id``), or an agent."""
    if not isinstance(item, dict):
        return
    ticket_id = plain_id(item.get("ticket_id"))
    if ticket_id is not None and "ratings" in item:
        export.ratings[ticket_id] = item
    elif ticket_id is not None:
        export.conversations.setdefault(ticket_id, []).append(item)
    elif plain_id(item.get("id")) is not None and isinstance(item.get("contact"), dict):
        export.agents[plain_id(item["id"])] = item


def _draft(
    file: str, position: int, ticket: dict, export: _Export, report: FieldReport
) -> DraftConversation:
    report.check("ticket", ticket, TICKET_FIELDS)
    requester = ticket.get("requester") if isinstance(ticket.get("requester"), dict) else {}
    raw = {
        "channel": _code(ticket, "source", CHANNELS, "email", report),
        "started_at": ticket.get("created_at"),
        "customer_id": plain_id(ticket.get("requester_id")),
        "customer_name": text_or_none(requester.get("name")),
        "csat": _csat(ticket, export, report),
        "tags": _tags(ticket, report),
        "status": _code(ticket, "status", STATUSES, "pending", report),
        "escalated": any(
            ticket.get(k) is True for k in ("is_escalated", "fr_escalated", "nr_escalated")
        ),
        "subject": text_or_none(ticket.get("subject")),
    }
    draft = DraftConversation(
        file, position, ticket.get("id"), "id", raw, FIELD_NAMES, empty_field="conversations"
    )
    draft.messages = _messages(ticket, export, report)
    return draft


def _messages(ticket: dict, export: _Export, report: FieldReport) -> list[DraftMessage]:
    requester = plain_id(ticket.get("requester_id"))
    messages = []
    description = text_or_none(ticket.get("description_text")) or _html(ticket.get("description"))
    if description or ticket.get("description") is not None:
        outbound = ticket.get("source") == OUTBOUND_EMAIL
        author_id = plain_id(ticket.get("responder_id")) if outbound else requester
        role = "agent" if outbound else "customer"
        author = _agent_login(author_id, export) if outbound else None
        when = ticket.get("created_at")
        messages.append(DraftMessage("description", role, description, when, author,
                                     text_field="description_text"))  # fmt: skip
    own = ticket.get("conversations")
    if own is not None and not isinstance(own, list):
        report.note("bad_type", field="ticket.conversations", expected="array")
        own = None
    ticket_id = plain_id(ticket.get("id")) or ""
    listed = [c for c in own or [] if isinstance(c, dict)] + export.conversations.get(ticket_id, [])
    seen: set[str] = set()
    for index, conversation in enumerate(listed):
        ident = plain_id(conversation.get("id"))
        if ident is not None and ident in seen:
            continue
        seen.add(ident or f"#{index}")
        report.check("conversation", conversation, CONVERSATION_FIELDS)
        messages.append(_message(index, conversation, requester, export))
    return messages


def _message(
    index: int, conversation: dict, requester: str | None, export: _Export
) -> DraftMessage:
    user = plain_id(conversation.get("user_id"))
    text = text_or_none(conversation.get("body_text")) or _html(conversation.get("body"))
    path, when = f"conversations[{index}]", conversation.get("created_at")
    from_customer = conversation.get("incoming") is True or (user is not None and user == requester)
    if conversation.get("private") is True:
        author = None if from_customer else _agent_login(user, export)
        return DraftMessage(path, "system", text, when, author, True, text_field="body_text")
    if from_customer:
        return DraftMessage(path, "customer", text, when, None, text_field="body_text")
    author = _agent_login(user, export)
    return DraftMessage(path, "agent", text, when, author, text_field="body_text")


def _agent_login(user_id: str | None, export: _Export) -> str | None:
    """The agent's e-mail (stable and unique), else name, else the Freshdesk user id."""
    if user_id is None:
        return None
    contact = export.agents.get(user_id, {}).get("contact") or {}
    return (
        text_or_none(contact.get("email"))
        or text_or_none(contact.get("name"))
        or f"freshdesk agent {user_id}"
    )


def _html(value: object) -> str | None:
    html = text_or_none(value)
    return html_to_text(html) or None if html else None


def _code(
    ticket: dict, name: str, table: dict[int, str], fallback: str, report: FieldReport
) -> str | None:
    value = ticket.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value in table:
        return table[value]
    report.note("unknown_value", field=f"ticket.{name}", value=value, used=fallback)
    return fallback


def _csat(ticket: dict, export: _Export, report: FieldReport) -> int | None:
    ticket_id = plain_id(ticket.get("id")) or ""
    rating = export.ratings.get(ticket_id)
    embedded = ticket.get("satisfaction_ratings")
    if (
        rating is None
        and isinstance(embedded, list)
        and embedded
        and isinstance(embedded[-1], dict)
    ):
        rating = embedded[-1]
    ratings = rating.get("ratings") if isinstance(rating, dict) else None
    value = ratings.get("default_question") if isinstance(ratings, dict) else None
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if value not in CSAT or isinstance(value, bool):
        report.note("unknown_value", field="ratings.default_question", value=value, used="-")
        return None
    return CSAT[value]


def _tags(ticket: dict, report: FieldReport) -> list[str] | None:
    tags = ticket.get("tags")
    if tags is None or isinstance(tags, list):
        return tags
    report.note("bad_type", field="ticket.tags", expected="array")
    return None
