"""Intercom: conversations with their conversation parts, as the Intercom REST API returns them.

Field by field from Intercom's public API reference (and the types of the official
``intercom-node`` client, generated from the same API definition):

* Conversation (``source``, ``contacts``, ``state``, ``tags``, ``conversation_rating``,
  ``statistics``, ``conversation_parts``):
  https://developers.intercom.com/docs/references/rest-api/api.intercom.io/Conversations/conversation/
* Conversation parts and the conversation rating (``rating`` 1-5, ``remark``):
  https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/models/conversation_parts
* Part author (``type`` user, lead, admin, team or bot; ``from_ai_agent`` and
  ``is_ai_answer`` for the AI agent; Intercom's own example of the Operator bot is an admin
  ``operator+...@intercom.io``):
  https://developers.intercom.com/docs/references/rest-api/api.intercom.io/models/conversation_part_author
* Conversation source (``type``: conversation, email, facebook, instagram, phone_call,
  phone_switch, push, sms, twitter, whatsapp; ``delivered_as``: customer_initiated,
  campaigns_initiated, operator_initiated, automated, admin_initiated):
  https://developers.intercom.com/docs/references/2.9/rest-api/api.intercom.io/models/conversation_source
* The same models as types in the official client: https://github.com/intercom/intercom-node
  (``src/api/types/ConversationPart.ts``, ``ConversationSource.ts``, ``ConversationRating.ts``)

A file may be one conversation (Retrieve a conversation), a ``conversation.list`` page (List
or Search conversations; these carry no parts, so only the first message is imported), a
JSON array of conversations, or any of these one per line.

Mapping decisions: parts of type ``note`` are internal notes (role ``system``, flagged
internal); parts by a bot author, marked as written by the AI agent, by Intercom's
Operator (an admin with an ``operator+...@intercom.io`` address, as in Intercom's own
examples), and first messages delivered by a bot, a campaign or an automation are role
``bot``; users, leads and contacts are customers; admins and teams are agents. Parts
without text (assignment, snooze, open and close events) are not messages. Times are
Unix seconds, stored as UTC. The rating 1-5 is CSAT as is. States open -> open,
snoozed -> pending, closed -> resolved. Left out: attachments, custom attributes,
statistics (QA Studio measures response times from the messages), SLA, priority, the
team (the export gives only its id), the rating's remark; Intercom has no escalation flag.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.helpdesk.common import (
    BOT,
    Document,
    DraftConversation,
    DraftMessage,
    FieldReport,
    build_conversation,
    epoch_to_iso,
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

SOURCE = "intercom"
CONVERSATION_FIELDS = names(
    "type id title created_at updated_at waiting_since snoozed_until open state read priority "
    "admin_assignee_id team_assignee_id company_id tags conversation_rating source contacts "
    "teammates custom_attributes first_contact_reply sla_applied statistics "
    "conversation_parts linked_objects ai_agent_participated ai_agent assignee user "
    "customers conversation_message customer_first_reply"
)
PART_FIELDS = names(
    "type id part_type body created_at updated_at notified_at assigned_to author attachments "
    "external_id redacted email_message_metadata metadata state tags event_details "
    "app_package_code"
)
SOURCE_FIELDS = names("type id delivered_as subject body author attachments url redacted")
PAGE_FIELDS = names("type conversations pages total_count")
MARKS = ("source", "conversation_parts", "state", "open", "contacts")
CUSTOMER_TYPES = ("user", "lead", "contact", "visitor")
AGENT_TYPES = ("admin", "team")
CHANNELS = {
    "conversation": "chat", "push": "chat", "email": "email", "facebook": "social",
    "instagram": "social", "twitter": "social", "whatsapp": "messenger", "sms": "messenger",
    "phone_switch": "messenger", "phone_call": "phone",
}  # fmt: skip
AUTOMATED_START = ("operator_initiated", "automated", "campaigns_initiated")
STATES = {"open": "open", "snoozed": "pending", "closed": "resolved"}
FIELD_NAMES = {
    "channel": "source.type", "started_at": "created_at", "customer_id": "contacts",
    "customer_name": "source.author.name", "csat": "conversation_rating.rating",
    "status": "state", "subject": "title",
}  # fmt: skip


def read(
    documents: list[Document],
    file: str,
    default_tz: tzinfo,
    masker: Masker | None,
    report: FieldReport,
) -> Iterator[ParsedConversation | Rejection]:
    """Conversations (and rejections) from the decoded documents of one export file."""
    conversations: list[tuple[int, dict]] = []
    for document in documents:
        data = document.data
        if isinstance(data, dict) and isinstance(data.get("conversations"), list):
            report.check("export", data, PAGE_FIELDS)
            conversations.extend(
                (pos, item) for pos, item in items_of(document, "conversations")
                if isinstance(item, dict)
            )  # fmt: skip
        elif isinstance(data, dict) and "id" in data and any(k in data for k in MARKS):
            conversations.append((document.position, data))
        else:
            problem = Problem("record", "helpdesk_unrecognised", {"source": SOURCE})
            yield Rejection(file, document.position, "", [problem], whole=True)
    if not conversations:
        raise UnreadableFile(file, "helpdesk_no_records", source=SOURCE, what="conversations")
    for position, conversation in last_by_id(conversations, "id", report, "conversations"):
        draft = _draft(file, position, conversation, report)
        yield from build_conversation(draft, default_tz, masker, report)


def _draft(file: str, position: int, conversation: dict, report: FieldReport) -> DraftConversation:
    report.check("conversation", conversation, CONVERSATION_FIELDS)
    source = conversation.get("source") if isinstance(conversation.get("source"), dict) else {}
    report.check("source", source, SOURCE_FIELDS)
    author = source.get("author") if isinstance(source.get("author"), dict) else {}
    raw = {
        "channel": _channel(source, report),
        "started_at": epoch_to_iso(conversation.get("created_at")),
        "customer_id": _customer_id(conversation),
        "customer_name": text_or_none(author.get("name"))
        if author.get("type") in CUSTOMER_TYPES
        else None,
        "csat": _rating(conversation),
        "tags": _tags(conversation, report),
        "status": _state(conversation, report),
        "subject": text_or_none(conversation.get("title")) or text_or_none(source.get("subject")),
    }
    draft = DraftConversation(
        file, position, conversation.get("id"), "id", raw, FIELD_NAMES,
        empty_field="conversation_parts",
    )  # fmt: skip
    draft.messages = _messages(conversation, source, report)
    return draft


def _messages(conversation: dict, source: dict, report: FieldReport) -> list[DraftMessage]:
    messages = []
    if source:
        role, author = _author(source.get("author"), report)
        if source.get("delivered_as") in AUTOMATED_START and role == "agent":
            role = BOT
        first = _body(source.get("body"))
        when = epoch_to_iso(conversation.get("created_at"))
        messages.append(DraftMessage("source", role, first, when, author))
    parts = conversation.get("conversation_parts")
    if parts is None:
        report.note("first_message_only")  # List/Search responses carry no parts
    if isinstance(parts, dict):
        parts = parts.get("conversation_parts")
    if parts is not None and not isinstance(parts, list):
        report.note("bad_type", field="conversation.conversation_parts", expected="array")
        parts = []
    for index, part in enumerate(parts or []):
        if isinstance(part, dict):
            message = _part(index, part, report)
            if message is not None:
                messages.append(message)
    return messages


def _part(index: int, part: dict, report: FieldReport) -> DraftMessage | None:
    report.check("conversation_part", part, PART_FIELDS)
    part_type = text_or_none(part.get("part_type")) or ""
    text = _body(part.get("body"))
    is_message = part_type in ("comment", "note", "quick_reply") or part_type.startswith("note")
    if text is None and not is_message:
        return None  # an event: assignment, snooze, open or close without a reply
    if not is_message and part_type not in KNOWN_EVENT_PARTS:
        report.note("unknown_value", field="conversation_part.part_type", value=part_type,
                    used="message")  # fmt: skip
    role, author = _author(part.get("author"), report)
    path = f"conversation_parts[{index}]"
    when = epoch_to_iso(part.get("created_at"))
    if part_type.startswith("note"):
        note_author = author if role != "customer" else None
        return DraftMessage(path, "system", text, when, note_author, internal=True)
    return DraftMessage(path, role, text, when, author)


KNOWN_EVENT_PARTS = names(
    "assignment open close snoozed unsnoozed timer_unsnooze away_mode_assignment "
    "default_assignment participant_added participant_removed conversation_rating_changed "
    "conversation_rating_remark_added"
)


def _author(author: object, report: FieldReport) -> tuple[str, str | None]:
    if not isinstance(author, dict):
        return "system", None
    kind = text_or_none(author.get("type"))
    name = text_or_none(author.get("name"))
    email = text_or_none(author.get("email"))
    if author.get("from_ai_agent") is True or author.get("is_ai_answer") is True or kind == BOT:
        return BOT, name or "bot"
    if kind in CUSTOMER_TYPES:
        return "customer", None
    if kind in AGENT_TYPES:
        if email and email.startswith("operator+") and email.endswith("@intercom.io"):
            return BOT, name or "Operator"
        return "agent", email or name or f"intercom admin {plain_id(author.get('id')) or '?'}"
    report.note("unknown_value", field="author.type", value=kind, used="system")
    return "system", None


def _body(body: object) -> str | None:
    html = text_or_none(body)
    return html_to_text(html) or None if html else None


def _channel(source: dict, report: FieldReport) -> str:
    kind = text_or_none(source.get("type"))
    if kind is None:
        return "chat"
    channel = CHANNELS.get(kind.lower())
    if channel is None:
        report.note("unknown_value", field="source.type", value=kind, used="chat")
        return "chat"
    return channel


def _customer_id(conversation: dict) -> str | None:
    contacts = conversation.get("contacts")
    if isinstance(contacts, dict):
        contacts = contacts.get("contacts")
    if not isinstance(contacts, list) or not contacts or not isinstance(contacts[0], dict):
        return None
    first = contacts[0]
    return plain_id(first.get("external_id")) or plain_id(first.get("id"))


def _rating(conversation: dict) -> object:
    rating = conversation.get("conversation_rating")
    return rating.get("rating") if isinstance(rating, dict) else None


def _tags(conversation: dict, report: FieldReport) -> list[str] | None:
    tags = conversation.get("tags")
    if isinstance(tags, dict):
        tags = tags.get("tags")
    if tags is None:
        return None
    if not isinstance(tags, list):
        report.note("bad_type", field="conversation.tags", expected="object")
        return None
    return [str(tag.get("name")) for tag in tags if isinstance(tag, dict) and tag.get("name")]


def _state(conversation: dict, report: FieldReport) -> str | None:
    state = text_or_none(conversation.get("state"))
    if state is None:
        is_open = conversation.get("open")
        return None if not isinstance(is_open, bool) else ("open" if is_open else "resolved")
    mapped = STATES.get(state.lower())
    if mapped is None:
        report.note("unknown_value", field="conversation.state", value=state, used="open")
        return "open"
    return mapped
