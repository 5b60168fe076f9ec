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
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.bot_authors import bot_authors
from qa_app.ingest.helpdesk.common import (
    BOT,
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

SOURCE = "zendesk"
TICKET_FIELDS = names(
    "allow_attachments allow_channelback assignee_email assignee_id attribute_value_ids "
    "brand_id collaborator_ids collaborators comment comments created_at custom_fields "
    "custom_status_id description due_at email_cc_ids email_ccs encoded_id external_id fields "
    "follower_ids followers followup_ids forum_topic_id from_messaging_channel "
    "generated_timestamp group_id has_incidents id is_public macro_id macro_ids metadata "
    "organization_id priority problem_id raw_subject recipient requester requester_id "
    "result_type safe_update satisfaction_rating sharing_agreement_ids status subject "
    "submitter_id tags ticket_form_id type updated_at updated_stamp url via "
    "via_followup_source_id via_id voice_comment"
)
COMMENT_FIELDS = names(
    "attachments audit_id author_id body created_at data event_type formatted_from "
    "formatted_to html_body id metadata plain_body public transcription_visible trusted type "
    "uploads via via_reference_id"
)
PAGE_FIELDS = names(
    "after_cursor after_url audits before_cursor before_url comments count end_of_stream "
    "end_time groups links meta next_page organizations previous_page satisfaction_ratings "
    "ticket ticket_events tickets users metric_sets dates"
)
# Via ids -> via types (Zendesk's via types reference).
VIA_IDS = {
    0: "web_form", 4: "mail", 5: "web_service", 8: "rule", 15: "iphone", 16: "get_satisfaction",
    17: "dropbox", 19: "merge", 20: "batch", 23: "twitter_favorite", 24: "topic",
    26: "twitter_dm", 27: "closed_ticket", 29: "chat", 30: "twitter", 31: "ticket_sharing",
    33: "voicemail", 34: "phone_call_inbound", 35: "phone_call_outbound", 36: "blog",
    37: "text_message", 38: "facebook_post", 39: "import", 40: "github",
    41: "facebook_message", 44: "api_voicemail", 45: "api_phone_call_inbound",
    46: "api_phone_call_outbound", 48: "web_widget", 49: "mobile_sdk", 50: "helpcenter",
    54: "satisfaction_prediction", 55: "any_channel", 56: "mobile", 57: "sms",
}  # fmt: skip
CHANNELS = {
    "phone": "voice voicemail phone phone_call_inbound phone_call_outbound api_voicemail "
    "api_phone_call_inbound api_phone_call_outbound",
    "chat": "chat chat_transcript chat_offline_message web_widget native_messaging mobile_sdk "
    "messaging sunshine_conversations_api",
    "messenger": "whatsapp telegram viber line wechat kakaotalk sms text_message twilio_sms "
    "messagebird_sms connect_sms google_business_messages google_rcs apple_business_chat "
    "business_messaging_slack_connect",
    "social": "twitter twitter_dm twitter_favorite x facebook facebook_post facebook_message "
    "instagram_dm sunshine_conversations_facebook_messenger sunshine_conversations_twitter_dm",
    # Asynchronous written requests: e-mail, web forms, the API and everything automatic.
    "email": "mail email web web_form web_service api helpcenter dropbox closed_ticket "
    "ticket_sharing batch import topic forum mobile iphone rule merge linked_problem blog "
    "github get_satisfaction any_channel side_conversation connect_mail",
}
CHANNEL_OF = {name: channel for channel, names in CHANNELS.items() for name in names.split()}
STATUSES = {
    "new": "open", "open": "open", "pending": "pending", "hold": "pending",
    "solved": "resolved", "closed": "resolved",
}  # fmt: skip
CSAT = {"good": 5, "bad": 1}
UNRATED = ("offered", "unoffered")
AUTOMATIC_VIA = ("rule", "automatic_solution_suggestions")
AUTOMATIC_FLAG = 4  # comment metadata flag: "The comment was automatically generated"
TICKET_MARKS = ("via", "requester_id", "status", "subject", "description", "comments")
FIELD_NAMES = {
    "channel": "via.channel", "started_at": "created_at", "customer_id": "requester_id",
    "customer_name": "users.name", "csat": "satisfaction_rating.score", "team": "groups.name",
}  # fmt: skip


@dataclass(slots=True)
class _Export:
    tickets: list[tuple[int, dict]] = field(default_factory=list)
    users: dict[str, dict] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    comments: dict[str, list[tuple[dict, dict]]] = field(default_factory=dict)
    ratings: dict[str, dict] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)


def read(
    documents: list[Document],
    file: str,
    default_tz: tzinfo,
    masker: Masker | None,
    report: FieldReport,
) -> Iterator[ParsedConversation | Rejection]:
    """Conversations (and rejections) from the decoded documents of one export file."""
    export = _collect(documents, file, report)
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


def _collect(documents: list[Document], file: str, report: FieldReport) -> _Export:
    export = _Export()
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


def _collect_page(document: Document, export: _Export, report: FieldReport) -> None:
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


def _collect_audits(document: Document, export: _Export) -> None:
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


def _add_comment(export: _Export, ticket_id: object, comment: object, context: dict) -> None:
    ident = plain_id(ticket_id)
    if ident is not None and isinstance(comment, dict):
        export.comments.setdefault(ident, []).append((comment, context))


def _draft(
    file: str, position: int, ticket: dict, export: _Export, report: FieldReport
) -> DraftConversation:
    report.check("ticket", ticket, TICKET_FIELDS)
    ident = plain_id(ticket.get("id"))
    requester = plain_id(ticket.get("requester_id"))
    user = export.users.get(requester or "", {})
    raw = {
        "channel": _channel(ticket, report),
        "started_at": _time(ticket.get("created_at")),
        "customer_id": requester,
        "customer_name": text_or_none(user.get("name")),
        "csat": _csat(ticket, export, report),
        "tags": _tags(ticket, report),
        "status": _status(ticket, report),
        "subject": text_or_none(ticket.get("subject")) or text_or_none(ticket.get("raw_subject")),
        "team": export.groups.get(plain_id(ticket.get("group_id")) or "") or None,
    }
    draft = DraftConversation(file, position, ticket.get("id"), "id", raw, FIELD_NAMES)
    draft.messages = _messages(ticket, export.comments.get(ident or "", []), export, report)
    return draft


def _messages(
    ticket: dict, extra: list[tuple[dict, dict]], export: _Export, report: FieldReport
) -> list[DraftMessage]:
    own = ticket.get("comments")
    if own is not None and not isinstance(own, list):
        report.note("bad_type", field="ticket.comments", expected="array")
        own = None
    pairs = [(c, {}) for c in own or [] if isinstance(c, dict)] + extra
    messages, seen = [], set()
    for index, (comment, context) in enumerate(pairs):
        comment_id = plain_id(comment.get("id"))
        if comment_id is not None and comment_id in seen:
            continue
        seen.add(comment_id)
        report.check("comment", comment, COMMENT_FIELDS)
        messages.append(_message(f"comments[{index}]", comment, context, ticket, export, report))
    if not messages and text_or_none(ticket.get("description")):
        report.note("description_only")
        first = {"author_id": ticket.get("requester_id"), "body": ticket["description"]}
        messages.append(_message("description", first, {"created_at": ticket.get("created_at")},
                                 ticket, export, report))  # fmt: skip
    return messages


def _message(
    path: str, comment: dict, context: dict, ticket: dict, export: _Export, report: FieldReport
) -> DraftMessage:
    author_id = plain_id(comment.get("author_id") or context.get("author_id"))
    role, author = _author(author_id, ticket, export, report)
    if role != "customer" and _automatic(comment, context):
        role, author = BOT, _bot_name(export.users.get(author_id or "", {}), author)
    public = comment.get("public", True)
    if not isinstance(public, bool):
        report.note("bad_type", field="comment.public", expected="boolean")
        public = True
    sent_at = _time(comment.get("created_at") or context.get("created_at"))
    if public:
        return DraftMessage(path, role, _comment_text(comment), sent_at, author)
    note_author = author if role != "customer" else None
    return DraftMessage(path, "system", _comment_text(comment), sent_at, note_author, True)


#: The bot a trigger or automation is reported under when it writes as a person.
AUTOMATION = "Zendesk automation"


def _bot_name(user: dict, author: str | None) -> str:
    """Who a bot comment is reported under: the bot user's name (Answer Bot has no e-mail),
    or ``AUTOMATION`` when a trigger wrote through a person's account, so that the person
    is not also listed as a bot."""
    name = text_or_none(user.get("name"))
    if name and (not text_or_none(user.get("email")) or bot_authors().is_bot(name)):
        return name
    return AUTOMATION


def _author(
    author_id: str | None, ticket: dict, export: _Export, report: FieldReport
) -> tuple[str, str | None]:
    user = export.users.get(author_id or "")
    if user is not None:
        role = user.get("role")
        if role == "end-user":
            return "customer", None
        if role not in ("agent", "admin"):
            report.note("unknown_value", field="user.role", value=role, used="agent")
        return "agent", _login(user, author_id)
    if author_id is not None and author_id == plain_id(ticket.get("requester_id")):
        return "customer", None
    report.note("author_not_in_users")
    return "agent", _login({}, author_id)


def _login(user: dict, author_id: str | None) -> str:
    """The agent's e-mail (stable and unique), else name, else the Zendesk user id."""
    return (
        text_or_none(user.get("email"))
        or text_or_none(user.get("name"))
        or f"zendesk user {author_id or '?'}"
    )


def _automatic(comment: dict, context: dict) -> bool:
    via = comment.get("via") if isinstance(comment.get("via"), dict) else context.get("via")
    channel = _via_name(via.get("channel")) if isinstance(via, dict) else None
    if channel and (channel.startswith("answer_bot") or channel in AUTOMATIC_VIA):
        return True
    metadata = comment.get("metadata")
    flags = metadata.get("flags") if isinstance(metadata, dict) else None
    return isinstance(flags, list) and AUTOMATIC_FLAG in flags


def _comment_text(comment: dict) -> str | None:
    plain = text_or_none(comment.get("plain_body")) or text_or_none(comment.get("body"))
    if plain:
        return plain
    html = text_or_none(comment.get("html_body"))
    return html_to_text(html) if html else None


def _via_name(channel: object) -> str | None:
    if isinstance(channel, int) and not isinstance(channel, bool):
        return VIA_IDS.get(channel, str(channel))
    text = text_or_none(channel)
    if text is not None and text.isdigit():
        return VIA_IDS.get(int(text), text)
    return text.lower() if text else None


def _channel(ticket: dict, report: FieldReport) -> str:
    via = ticket.get("via")
    name = _via_name(via.get("channel")) if isinstance(via, dict) else None
    if name is None:
        return "email"
    channel = CHANNEL_OF.get(name)
    if channel is None:
        report.note("unknown_value", field="via.channel", value=name, used="email")
        return "email"
    return channel


def _status(ticket: dict, report: FieldReport) -> str | None:
    status = text_or_none(ticket.get("status"))
    if status is None:
        return None
    mapped = STATUSES.get(status.lower())
    if mapped is None:
        report.note("unknown_value", field="ticket.status", value=status, used="open")
        return "open"
    return mapped


def _csat(ticket: dict, export: _Export, report: FieldReport) -> int | None:
    rating = ticket.get("satisfaction_rating")
    if not isinstance(rating, dict):
        rating = export.ratings.get(plain_id(ticket.get("id")) or "", {})
    score = text_or_none(rating.get("score"))
    if score is None or score.lower() in UNRATED:
        return None
    value = CSAT.get(score.lower().split("_")[0])
    if value is None:
        report.note("unknown_value", field="satisfaction_rating.score", value=score, used="-")
    return value


def _tags(ticket: dict, report: FieldReport) -> list[str] | None:
    tags = ticket.get("tags")
    if tags is None or isinstance(tags, list):
        return tags
    report.note("bad_type", field="ticket.tags", expected="array")
    return None


def _time(value: object) -> object:
    """ISO 8601 as the API returns it today; the older ``2011/09/25 22:35:44 -0700`` form
    of past API versions is converted so both parse."""
    if isinstance(value, str) and len(value) > 10 and value[4] == "/":
        try:
            return datetime.strptime(value.strip(), "%Y/%m/%d %H:%M:%S %z").isoformat()
        except ValueError:
            return value
    return value
