"""A Zendesk ticket's comments as messages: who wrote each (customer, agent or bot), public
replies and internal notes, a comment seen twice counted once."""

from __future__ import annotations

from qa_app.ingest.bot_authors import bot_authors
from qa_app.ingest.helpdesk.common import BOT, DraftMessage, FieldReport, plain_id, text_or_none
from qa_app.ingest.helpdesk.html_text import html_to_text
from qa_app.ingest.helpdesk.zendesk_export import Export
from qa_app.ingest.helpdesk.zendesk_fields import (
    AUTOMATIC_FLAG,
    AUTOMATIC_VIA,
    COMMENT_FIELDS,
    via_name,
    zendesk_time,
)


def ticket_messages(
    ticket: dict, extra: list[tuple[dict, dict]], export: Export, report: FieldReport
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
    path: str, comment: dict, context: dict, ticket: dict, export: Export, report: FieldReport
) -> DraftMessage:
    author_id = plain_id(comment.get("author_id") or context.get("author_id"))
    role, author = _author(author_id, ticket, export, report)
    if role != "customer" and _automatic(comment, context):
        role, author = BOT, _bot_name(export.users.get(author_id or "", {}), author)
    public = comment.get("public", True)
    if not isinstance(public, bool):
        report.note("bad_type", field="comment.public", expected="boolean")
        public = True
    sent_at = zendesk_time(comment.get("created_at") or context.get("created_at"))
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
    author_id: str | None, ticket: dict, export: Export, report: FieldReport
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
    channel = via_name(via.get("channel")) if isinstance(via, dict) else None
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
